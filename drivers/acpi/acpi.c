/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The hypervisor side of the ACPI parser: physical memory is reached through
 * the identity mapping, and the result lives in the global `acpi`.
 */
#include <hv/acpi.h>
#include <hv/mm.h>
#include <hv/printk.h>

struct acpi_info acpi;

static const void *phys_fetch(void *ctx, hpa_t addr, size_t len)
{
	/* Page 0 is never a table; a range that wraps is corrupt. */
	if (!addr || addr + len < addr)
		return NULL;
	return phys_to_virt(addr);
}

static const struct acpi_mem phys_mem = {.fetch = phys_fetch};

int acpi_init(hpa_t rsdp)
{
	int err = acpi_parse(&phys_mem, rsdp, &acpi);

	if (err)
		return err;
	acpi_print_summary(&acpi);
	return 0;
}

void acpi_dump_tables(void)
{
	acpi_dump(&phys_mem, acpi.rsdp);
}
