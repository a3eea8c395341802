/* SPDX-License-Identifier: Apache-2.0 */
/*
 * One guest's PC platform devices (include/hv/vplatform.h): initialised and
 * registered together. A port range the configuration passes through stays
 * with the real hardware, and the emulated device for it is left out.
 */
#include <hv/errno.h>
#include <hv/vdev.h>
#include <hv/vplatform.h>

static bool passed_through(const struct vdev_bus *bus, u16 base, u32 count)
{
	for (u32 i = 0; i < count; i++)
		if (vdev_pio_is_passthrough(bus, (u16)(base + i), 1))
			return true;
	return false;
}

static int add_pio(struct vdev_bus *bus, const char *name, u16 base, u32 count,
		   const struct vdev_ops *ops, void *ctx)
{
	if (passed_through(bus, base, count))
		return 0;
	return vdev_add_pio(bus, name, base, count, ops, ctx);
}

int vplatform_init(struct vplatform *p, struct vdev_bus *bus, struct guest *g, u64 memory)
{
	int err = 0;

	vioapic_init(&p->ioapic, g);
	vpic_init(&p->pic);
	vpit_init(&p->pit);
	vrtc_init(&p->rtc, memory);
	vpci_init(&p->pci, g);
	vpm_init(&p->pm, g);

	err = err ?: add_pio(bus, "pic1", GUEST_PIC_MASTER, 2, &vpic_ops, &p->pic);
	err = err ?: add_pio(bus, "pic2", GUEST_PIC_SLAVE, 2, &vpic_ops, &p->pic);
	err = err ?: add_pio(bus, "elcr", GUEST_ELCR_PORT, 2, &velcr_ops, &p->pic);
	err = err ?: add_pio(bus, "pit", GUEST_PIT_PORT, 4, &vpit_ops, &p->pit);
	err = err ?: add_pio(bus, "port61", GUEST_SYS_CTRL_B_PORT, 1, &vport61_ops, &p->pit);
	err = err ?: add_pio(bus, "rtc", GUEST_RTC_PORT, 2, &vrtc_ops, &p->rtc);
	err = err ?: add_pio(bus, "pci", GUEST_PCI_CONF_ADDR, 8, &vpci_ops, &p->pci);
	err = err ?: add_pio(bus, "acpi-pm", GUEST_PM_BASE, GUEST_PM_SIZE, &vpm_ops, &p->pm);
	err = err ?: add_pio(bus, "kbc-data", GUEST_KBC_DATA_PORT, 1, &vkbc_ops, g);
	err = err ?: add_pio(bus, "kbc-cmd", GUEST_KBC_CMD_PORT, 1, &vkbc_ops, g);
	err = err
		      ?: vdev_add_mmio(bus, "ioapic", GUEST_IOAPIC_ADDR, GUEST_IOAPIC_SIZE,
				       &vioapic_ops, &p->ioapic);
	return err;
}
