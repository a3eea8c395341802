/* SPDX-License-Identifier: Apache-2.0 */
/*
 * What a `format = linux` guest gets besides its kernel (docs/linux.md): the
 * initrd the boot path loaded, and ACPI tables generated for its CPUs and
 * the emulated platform (hv/guest_acpi.h), placed in the BIOS area where
 * the zero page's acpi_rsdp_addr and a scanning kernel both find them;
 * and the command line with what Linux cannot measure here
 * (linux_cmdline_compose).
 */
#include <arch/tsc.h>
#include <hv/errno.h>
#include <hv/guest_acpi.h>
#include <hv/mm.h>
#include <hv/printk.h>

#include "guest_linux.h"

static int find_initrd(const struct guest *g, struct loader_image *img)
{
	const struct boot_file *f;

	if (!g->cfg->initrd)
		return 0;
	f = boot_find_file(g->boot, g->cfg->initrd);
	if (!f) {
		pr_err("bulkhead: guest %s: initrd %s was not loaded", g->cfg->name,
		       g->cfg->initrd);
		return -ENOENT;
	}
	img->initrd = phys_to_virt(f->addr);
	img->initrd_size = f->size;
	return 0;
}

/* Builds the tables in a scratch page, then copies them into the (scrubbed) guest. */
static int write_acpi(const struct guest *g, struct loader_image *img)
{
	struct guest_acpi_params p;
	struct guest_acpi_layout l;
	u32 pages = GUEST_ACPI_MAX_SIZE / PAGE_SIZE;
	hpa_t scratch = page_alloc(pages, PAGE_SIZE, 0);
	int rc;

	if (!scratch)
		return -ENOMEM;
	guest_acpi_default_params(&p, g->plan->cpu_count);
	rc = guest_acpi_build(&p, GUEST_ACPI_BASE, phys_to_virt(scratch), GUEST_ACPI_MAX_SIZE, &l);
	if (!rc)
		rc = guest_mem_write(&g->mem, GUEST_ACPI_BASE, phys_to_virt(scratch), l.size);
	page_free(scratch, pages);
	if (rc) {
		pr_err("bulkhead: guest %s: cannot write its ACPI tables (%d)", g->cfg->name, rc);
		return rc;
	}
	img->acpi_rsdp = l.rsdp;
	return 0;
}

/* One per guest: the loader copies it into the guest, at boot and at each restart. */
static char cmdlines[CFG_MAX_GUESTS][CFG_VALUE_MAX + 64];

static int compose_cmdline(const struct guest *g, struct loader_image *img)
{
	char *buf = cmdlines[g - guests];

	if (linux_cmdline_compose(buf, sizeof(cmdlines[0]), g->cfg->cmdline, tsc_hz() / 1000)) {
		pr_err("bulkhead: guest %s: command line too long", g->cfg->name);
		return -ENOSPC;
	}
	img->cmdline = buf;
	return 0;
}

int guest_linux_prepare(const struct guest *g, struct loader_image *img)
{
	int rc = find_initrd(g, img);

	if (!rc)
		rc = compose_cmdline(g, img);
	return rc ? rc : write_acpi(g, img);
}
