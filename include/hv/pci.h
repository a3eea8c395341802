/* SPDX-License-Identifier: Apache-2.0 */
/* Host PCI: the functions present (configuration mechanism #1, ports 0xCF8/0xCFC). */
#ifndef HV_PCI_H
#define HV_PCI_H

#include <hv/types.h>

#define PCI_MAX_FUNCTIONS 256

struct pci_function {
	u8 bus, dev, fn;
	u16 vendor, device;
	u32 class_code; /* class, subclass, prog-if in bits 23:0 */
};

extern struct pci_function pci_functions[PCI_MAX_FUNCTIONS];
extern u32 pci_function_count;

/* Scans every bus for present functions and logs a summary. */
void pci_scan(void);

/* The configuration-space address for mechanism #1 (PCI Local Bus Spec 3.0, §3.2.2.3.2). */
static inline u32 pci_cf8_address(u8 bus, u8 dev, u8 fn, u8 reg)
{
	return 0x80000000u | ((u32)bus << 16) | ((u32)(dev & 0x1f) << 11) | ((u32)(fn & 7) << 8) |
	       (reg & 0xfc);
}

#endif
