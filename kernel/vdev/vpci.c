/* SPDX-License-Identifier: Apache-2.0 */
/*
 * PCI configuration mechanism #1 (PCI Local Bus 3.0, 3.2.2.3.2) on ports
 * 0xCF8-0xCFF, and the reset control register that PC chipsets decode at
 * 0xCF9 for byte accesses (PIIX4 datasheet, "RC - Reset Control Register").
 *
 *   0xCF8, 32 bits	CONFIG_ADDRESS: enable (31), bus (23:16), device (15:11),
 *			function (10:8), register (7:2); reads back
 *   0xCF9, 8 bits	reset control: writing RST_CPU (bit 2) resets the guest
 *   0xCFC-0xCFF	CONFIG_DATA: 1, 2 or 4 bytes at the register + (port & 3)
 *
 * Bus 0 holds one function, the host bridge at 00:00.0 (guest_platform.h:
 * 440FX identity, class 06/00/00) with a read-only header and no BARs; any
 * other address reads all ones (no device) and drops writes. Other widths
 * on 0xCF8-0xCFB pass to the (empty) ISA bus: all ones, writes dropped.
 */
#include <hv/guest.h>
#include <hv/vdev.h>
#include <hv/vplatform.h>

#define CFG_ENABLE    BIT(31)
#define CFG_BDF_SHIFT 8
#define CFG_BDF_MASK  0xffffU /* bus, device, function */
#define CFG_REG_MASK  0xfcU   /* register, dword aligned */
#define CFG_ADDR_MASK (CFG_ENABLE | 0x00fffffcU)

#define RCR_SYS_RST BIT(1) /* full reset (stored) */
#define RCR_RST_CPU BIT(2) /* 0 -> 1: reset */

#define HB_COMMAND 0x0006 /* memory space, bus master */
#define HB_STATUS  0x0000

void vpci_init(struct vpci *p, struct guest *g)
{
	p->lock = (spinlock_t)SPINLOCK_INIT;
	p->g = g;
	p->addr = 0;
	p->rcr = 0;
}

/* The host bridge's configuration dword at reg (a Type 0 header, PCI 3.0 6.1). */
static u32 bridge_dword(u32 reg)
{
	switch (reg) {
	case 0x00:
		return GUEST_PCI_HB_VENDOR | GUEST_PCI_HB_DEVICE << 16;
	case 0x04:
		return HB_COMMAND | HB_STATUS << 16;
	case 0x08:
		return GUEST_PCI_HB_REVISION | GUEST_PCI_HB_CLASS << 8;
	default:
		return 0; /* header type 0, no BARs, no capabilities, no interrupt */
	}
}

static u32 config_read(u32 addr, u32 byte, unsigned int size)
{
	u32 mask = size == 4 ? 0xffffffffU : (1U << (size * 8)) - 1;

	if (!(addr & CFG_ENABLE) || ((addr >> CFG_BDF_SHIFT) & CFG_BDF_MASK) != 0)
		return mask; /* no device: all ones */
	return (bridge_dword(addr & CFG_REG_MASK) >> (byte * 8)) & mask;
}

static int vpci_read(void *ctx, struct vcpu *v, u64 addr, unsigned int size, u64 *val)
{
	struct vpci *p = ctx;
	u32 port = (u32)addr;

	*val = size == 4 ? 0xffffffffU : (1U << (size * 8)) - 1;
	spin_lock(&p->lock);
	if (port == GUEST_PCI_CONF_ADDR && size == 4)
		*val = p->addr;
	else if (port == GUEST_RESET_PORT && size == 1)
		*val = p->rcr;
	else if (port >= GUEST_PCI_CONF_DATA)
		*val = config_read(p->addr, port - GUEST_PCI_CONF_DATA, size);
	spin_unlock(&p->lock);
	return 0;
}

static int vpci_write(void *ctx, struct vcpu *v, u64 addr, unsigned int size, u64 val)
{
	struct vpci *p = ctx;
	u32 port = (u32)addr;
	bool reset = false;

	spin_lock(&p->lock);
	if (port == GUEST_PCI_CONF_ADDR && size == 4) {
		p->addr = (u32)val & CFG_ADDR_MASK;
	} else if (port == GUEST_RESET_PORT && size == 1) {
		reset = (val & RCR_RST_CPU) && !(p->rcr & RCR_RST_CPU);
		p->rcr = (u8)(val & RCR_SYS_RST);
	}
	/* CONFIG_DATA: the bridge's header is read-only, absent functions drop writes. */
	spin_unlock(&p->lock);
	if (reset)
		guest_reset(p->g);
	return 0;
}

const struct vdev_ops vpci_ops = {
	.read = vpci_read,
	.write = vpci_write,
};
