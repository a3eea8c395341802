/* SPDX-License-Identifier: Apache-2.0 */
/*
 * MCFG (PCI Firmware Specification 3.2, 4.1.2) and HPET (IA-PC HPET
 * Specification 1.0a, 3.2.4): the two small tables that only give a base
 * address for later drivers.
 */
#include <hv/printk.h>

#include "acpi_priv.h"

/* MCFG: 8 reserved bytes after the header, then 16-byte allocations. */
#define MCFG_ENTRIES	     44
#define MCFG_ENTRY_SIZE	     16
#define MCFG_ENTRY_BASE	     0
#define MCFG_ENTRY_SEGMENT   8
#define MCFG_ENTRY_BUS_START 10
#define MCFG_ENTRY_BUS_END   11

/* HPET: Event Timer Block ID at 36, then the base address as a GAS. */
#define HPET_BASE_GAS 40
#define HPET_MIN_LEN  56

void acpi_parse_mcfg(const u8 *t, u32 len, struct acpi_info *info)
{
	const u8 *e = t + MCFG_ENTRIES;

	if (len < MCFG_ENTRIES + MCFG_ENTRY_SIZE) {
		pr_warn("acpi: MCFG has no allocation\n");
		return;
	}
	info->mcfg_count = (len - MCFG_ENTRIES) / MCFG_ENTRY_SIZE;
	info->ecam_base = acpi_rd64(e, MCFG_ENTRY_BASE);
	info->ecam_segment = acpi_rd16(e, MCFG_ENTRY_SEGMENT);
	info->ecam_bus_start = e[MCFG_ENTRY_BUS_START];
	info->ecam_bus_end = e[MCFG_ENTRY_BUS_END];
}

void acpi_parse_hpet(const u8 *t, u32 len, struct acpi_info *info)
{
	if (len < HPET_MIN_LEN) {
		pr_warn("acpi: HPET table too short (%u bytes)\n", len);
		return;
	}
	info->hpet_address = acpi_rd_gas(t, HPET_BASE_GAS).address;
}
