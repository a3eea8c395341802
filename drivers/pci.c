/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Enumerates the host's PCI functions through configuration mechanism #1, so
 * that the boot-time configuration check knows which functions exist.
 * A function is present when its vendor ID is not 0xFFFF; functions 1-7 are
 * only probed when function 0's header type has the multi-function bit
 * (PCI Local Bus Spec 3.0, §6.2.1).
 */
#include <arch/cpu.h>
#include <hv/pci.h>
#include <hv/printk.h>

#define PCI_CONFIG_ADDRESS	 0xcf8
#define PCI_CONFIG_DATA		 0xcfc
#define PCI_REG_ID		 0x00
#define PCI_REG_CLASS		 0x08
#define PCI_REG_HEADER		 0x0c
#define PCI_HEADER_MULTIFUNCTION BIT(23) /* header type bit 7, in the dword at 0x0c */

struct pci_function pci_functions[PCI_MAX_FUNCTIONS];
u32 pci_function_count;

static u32 pci_read32(u8 bus, u8 dev, u8 fn, u8 reg)
{
	outl(PCI_CONFIG_ADDRESS, pci_cf8_address(bus, dev, fn, reg));
	return inl(PCI_CONFIG_DATA);
}

static bool probe_function(u8 bus, u8 dev, u8 fn)
{
	u32 id = pci_read32(bus, dev, fn, PCI_REG_ID);

	if ((id & 0xffff) == 0xffff)
		return false;
	if (pci_function_count < PCI_MAX_FUNCTIONS)
		pci_functions[pci_function_count++] = (struct pci_function){
			.bus = bus,
			.dev = dev,
			.fn = fn,
			.vendor = (u16)id,
			.device = (u16)(id >> 16),
			.class_code = pci_read32(bus, dev, fn, PCI_REG_CLASS) >> 8,
		};
	return true;
}

static void scan_device(u8 bus, u8 dev)
{
	if (!probe_function(bus, dev, 0))
		return;
	if (!(pci_read32(bus, dev, 0, PCI_REG_HEADER) & PCI_HEADER_MULTIFUNCTION))
		return;
	for (u8 fn = 1; fn < 8; fn++)
		probe_function(bus, dev, fn);
}

void pci_scan(void)
{
	for (unsigned bus = 0; bus < 256; bus++)
		for (u8 dev = 0; dev < 32; dev++)
			scan_device((u8)bus, dev);
	pr_info("pci: %u functions", pci_function_count);
	for (u32 i = 0; i < pci_function_count; i++) {
		const struct pci_function *f = &pci_functions[i];
		pr_debug("pci:   %02x:%02x.%x %04x:%04x class %06x", f->bus, f->dev, f->fn,
			 f->vendor, f->device, f->class_code);
	}
}
