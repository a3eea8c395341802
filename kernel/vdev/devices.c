/* SPDX-License-Identifier: Apache-2.0 */
/* One guest's device set, built from its configuration (include/hv/vdev.h). */
#include <hv/config.h>
#include <hv/guest.h>
#include <hv/vdev.h>

#define VUART_PORTS 8

/* The 16550's interrupt line: ISA IRQ 4 (COM1, COM3) or 3 (COM2, COM4), GSI = IRQ. */
static void uart_irq4(void *ioapic, bool level)
{
	vioapic_set_irq(ioapic, GUEST_COM1_GSI, level);
}

static void uart_irq3(void *ioapic, bool level)
{
	vioapic_set_irq(ioapic, 3, level);
}

int guest_devices_init(struct guest_devices *d, struct guest *g, const struct cfg_guest *cfg)
{
	int err;

	vdev_bus_init(&d->bus);
	vuart_init(&d->uart, cfg->name, cfg->uart_port); /* flushable even when absent */
	if (cfg->uart_port) {
		err = vdev_add_pio(&d->bus, "uart", cfg->uart_port, VUART_PORTS, &vuart_ops,
				   &d->uart);
		if (err)
			return err;
	}
	err = vdev_add_pio(&d->bus, "test-exit", TESTEXIT_PORT, 4, &testexit_ops, g);
	if (err)
		return err;
	for (u32 i = 0; i < cfg->ioport_count; i++) {
		err = vdev_add_pio_passthrough(&d->bus, (u16)cfg->ioports[i].base,
					       (u32)cfg->ioports[i].size);
		if (err)
			return err;
	}
	err = vplatform_init(&d->platform, &d->bus, g, cfg->memory);
	if (err)
		return err;
	vuart_set_irq(&d->uart, (cfg->uart_port & 0x100) ? uart_irq4 : uart_irq3,
		      &d->platform.ioapic); /* 0x3f8/0x3e8: IRQ 4; 0x2f8/0x2e8: IRQ 3 */
	return arch_vdev_init(&d->bus);
}
