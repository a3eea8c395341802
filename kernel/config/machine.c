/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Rules only the real machine can answer: CPUs present (MADT), usable RAM
 * (the boot memory map), the hypervisor's own memory, PCI functions present,
 * whether there is an IOMMU, and the sizes of the guest images.
 */
#include <hv/config.h>
#include <hv/errno.h>
#include <hv/string.h>

#include "cfg_internal.h"

#define LOW_MEMORY_END 0x100000ULL /* never given to guests: real-mode firmware area */

static u64 overlap_bytes(u64 a, u64 as, u64 b, u64 bs)
{
	u64 lo = a > b ? a : b;
	u64 a_end = a + (as - 1), b_end = b + (bs - 1);
	u64 hi = a_end < b_end ? a_end : b_end;

	return as && bs && lo <= hi ? hi - lo + 1 : 0;
}

static void check_cpus(const struct config *cfg, const struct machine_desc *m, struct diag_sink *d)
{
	for (u32 i = 0; i < cfg->guest_count; i++) {
		const struct cfg_guest *g = &cfg->guests[i];
		u32 absent = 0, first = 0;

		for (u32 c = 0; c < g->cpu_count; c++)
			if (g->cpus[c] >= m->cpu_count && absent++ == 0)
				first = g->cpus[c];
		if (absent)
			diag_report(d, DIAG_ERROR, g->key_line[GK_CPUS], "cpu-absent",
				    "guest '%s' wants CPU %u%s but this machine has CPUs 0-%u only",
				    g->name, first, absent > 1 ? " and more" : "",
				    m->cpu_count - 1);
	}
	if (cfg->has_console_cpu && cfg->console_cpu >= m->cpu_count)
		diag_report(d, DIAG_ERROR, cfg->console_cpu_line, "cpu-absent",
			    "console_cpu %u is absent: this machine has CPUs 0-%u only",
			    cfg->console_cpu, m->cpu_count - 1);
}

/*
 * Usable RAM above the first MiB that is not the hypervisor's. An estimate
 * for the message (the planner is exact): overlapping inputs are clamped so
 * the sum never wraps.
 */
static u64 free_ram(const struct machine_desc *m)
{
	u64 total = 0;

	for (u32 i = 0; i < m->ram_count; i++) {
		const struct machine_range *r = &m->ram[i];
		u64 taken = overlap_bytes(r->base, r->size, 0, LOW_MEMORY_END);

		for (u32 k = 0; k < m->reserved_count; k++)
			taken += overlap_bytes(r->base, r->size, m->reserved[k].base,
					       m->reserved[k].size);
		if (taken < r->size && total + (r->size - taken) >= total)
			total += r->size - taken;
	}
	return total;
}

static void check_ram_total(const struct config *cfg, const struct machine_desc *m,
			    struct diag_sink *d)
{
	u64 need = 0, have = free_ram(m);
	char s_need[32], s_have[32], s_miss[32];

	for (u32 i = 0; i < cfg->guest_count; i++)
		need += cfg->guests[i].memory;
	for (u32 i = 0; i < cfg->shared_count; i++)
		need += cfg->shared[i].size;
	if (need <= have)
		return;
	cfg_format_size(s_need, sizeof(s_need), need);
	cfg_format_size(s_have, sizeof(s_have), have);
	cfg_format_size(s_miss, sizeof(s_miss), need - have);
	diag_report(d, DIAG_ERROR, cfg->guest_count ? cfg->guests[0].line : 1, "ram-short",
		    "guests and shared regions need %s but this machine has %s of free RAM: "
		    "%s missing",
		    s_need, s_have, s_miss);
}

static void check_pinned(const struct cfg_guest *g, const struct machine_desc *m,
			 struct diag_sink *d)
{
	u64 covered = 0;

	for (u32 i = 0; i < m->ram_count; i++)
		covered += overlap_bytes(g->memory_at, g->memory, m->ram[i].base, m->ram[i].size);
	if (covered < g->memory)
		diag_report(d, DIAG_ERROR, g->key_line[GK_MEMORY], "memory-not-ram",
			    "guest '%s' is pinned at 0x%llx-0x%llx, which is not all usable RAM",
			    g->name, (unsigned long long)g->memory_at,
			    (unsigned long long)(g->memory_at + (g->memory - 1)));
	for (u32 k = 0; k < m->reserved_count; k++)
		if (overlap_bytes(g->memory_at, g->memory, m->reserved[k].base,
				  m->reserved[k].size))
			diag_report(d, DIAG_ERROR, g->key_line[GK_MEMORY], "memory-reserved",
				    "guest '%s' memory at 0x%llx overlaps the hypervisor's own "
				    "memory 0x%llx-0x%llx",
				    g->name, (unsigned long long)g->memory_at,
				    (unsigned long long)m->reserved[k].base,
				    (unsigned long long)(m->reserved[k].base +
							 (m->reserved[k].size - 1)));
}

static bool pci_present(const struct machine_desc *m, const struct cfg_pci *p)
{
	u16 bdf = PCI_BDF(p->bus, p->dev, p->fn);

	for (u32 i = 0; i < m->pci_count; i++)
		if (m->pci[i] == bdf)
			return true;
	return false;
}

static void check_pci(const struct cfg_guest *g, const struct machine_desc *m, struct diag_sink *d)
{
	for (u32 i = 0; i < g->pci_count; i++)
		if (!pci_present(m, &g->pci[i]))
			diag_report(d, DIAG_ERROR, g->pci[i].line, "pci-absent",
				    "PCI function %02x:%02x.%x is not present on this machine",
				    g->pci[i].bus, g->pci[i].dev, g->pci[i].fn);
	/* Bus-master DMA from a passed-through function must be confined (design: Devices). */
	if (g->pci_count && !m->iommu_present)
		diag_report(d, DIAG_ERROR, g->pci[0].line, "iommu-required",
			    "guest '%s' is given PCI functions, which can DMA anywhere without an "
			    "IOMMU, and this machine has none (or it is disabled in the firmware)",
			    g->name);
}

/* Size of one image; false (reported) if it is missing. */
static bool image_size(const struct machine_desc *m, const char *name, u32 line, u64 *size,
		       struct diag_sink *d)
{
	if (!name)
		return false;
	if (m->file_size(m->file_ctx, name, size) == 0)
		return true;
	diag_report(d, DIAG_ERROR, line, "image-missing",
		    "'%s' was not found on the boot volume (or as a multiboot2 module)", name);
	return false;
}

/* a + b, or UINT64_MAX when that does not fit: the sum only feeds a comparison and a message. */
static u64 add_sat(u64 a, u64 b)
{
	return a + b < a ? UINT64_MAX : a + b;
}

/* Adds one image's size to *total; remembers the line of the first image found. */
static void add_image(const struct machine_desc *m, const char *name, u32 line, bool whole_pages,
		      u64 *total, u32 *first_line, struct diag_sink *d)
{
	u64 size;

	if (!image_size(m, name, line, &size, d))
		return;
	/* Each module starts on a page boundary (multiboot 3.1.2, flag 0), so it takes whole pages.
	 */
	if (whole_pages)
		size = add_sat(size, PAGE_SIZE - 1) & PAGE_MASK;
	*total = add_sat(*total, size);
	if (!*first_line)
		*first_line = line;
}

static void check_images(const struct cfg_guest *g, const struct machine_desc *m,
			 struct diag_sink *d)
{
	u64 total = 0;
	u32 line = 0;
	char s_img[32], s_mem[32];

	add_image(m, g->kernel, g->key_line[GK_KERNEL], false, &total, &line, d);
	add_image(m, g->initrd, g->key_line[GK_INITRD], false, &total, &line, d);
	for (u32 i = 0; i < g->module_count; i++)
		add_image(m, g->modules[i].path, g->modules[i].line, true, &total, &line, d);
	if (!line || !g->memory || total <= g->memory)
		return;
	cfg_format_size(s_img, sizeof(s_img), total);
	cfg_format_size(s_mem, sizeof(s_mem), g->memory);
	diag_report(d, DIAG_ERROR, line, "image-too-large",
		    "guest '%s' images take %s but its memory is %s: raise 'memory'", g->name,
		    s_img, s_mem);
}

int config_check_machine(const struct config *cfg, const struct machine_desc *m,
			 struct diag_sink *d)
{
	u32 errors = d->errors;

	check_cpus(cfg, m, d);
	check_ram_total(cfg, m, d);
	for (u32 i = 0; i < cfg->guest_count; i++) {
		const struct cfg_guest *g = &cfg->guests[i];

		if (g->memory_pinned && g->memory)
			check_pinned(g, m, d);
		check_pci(g, m, d);
		if (m->file_size)
			check_images(g, m, d);
	}
	return d->errors == errors ? 0 : -EINVAL;
}

/*
 * The offline checker's default machine (docs/config.md): QEMU q35 with
 * -smp 4 -m 4G, an intel-iommu and an edu device; the hypervisor at 2 MiB
 * taking 30 MiB.
 */
void machine_default(struct machine_desc *m)
{
	static const u16 pci[] = {PCI_BDF(0, 0, 0), PCI_BDF(0, 1, 0),  PCI_BDF(0, 2, 0),
				  PCI_BDF(0, 3, 0), PCI_BDF(0, 31, 0), PCI_BDF(0, 31, 2),
				  PCI_BDF(0, 31, 3)};

	memset(m, 0, sizeof(*m));
	m->cpu_count = 4;
	for (u32 i = 0; i < m->cpu_count; i++)
		m->apic_ids[i] = i;
	m->ram[m->ram_count++] = (struct machine_range){0x100000, 0x7ff00000};
	m->ram[m->ram_count++] = (struct machine_range){0x100000000ULL, 0x80000000ULL};
	m->reserved[m->reserved_count++] = (struct machine_range){0x200000, 0x1e00000};
	for (u32 i = 0; i < ARRAY_SIZE(pci); i++)
		m->pci[m->pci_count++] = pci[i];
	m->iommu_present = true;
}
