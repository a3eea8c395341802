/* SPDX-License-Identifier: Apache-2.0 */
/*
 * bulkhead.cfg at boot: the same parser, validator and planner as the
 * offline checker, fed with the real machine (CPUs from the MADT, the free
 * RAM of the page allocator, the loaded files, the IOMMU tables).
 */
#include <hv/acpi.h>
#include <hv/errno.h>
#include <hv/mm.h>
#include <hv/pci.h>
#include <hv/partition.h>
#include <hv/printk.h>
#include <hv/string.h>

static struct config config;
static struct plan plan;
static struct machine_desc machine;

static void print_diag(void *ctx, enum diag_severity sev, const char *line)
{
	printk(sev == DIAG_ERROR ? LOG_ERR : LOG_WARN, "%s", line);
}

static void add_free_run(void *arg, hpa_t base, u64 size)
{
	struct machine_desc *m = arg;

	if (m->ram_count < MACHINE_MAX_RANGES)
		m->ram[m->ram_count++] = (struct machine_range){base, size};
}

static void add_reserved(struct machine_desc *m, hpa_t base, u64 size)
{
	if (size && m->reserved_count < MACHINE_MAX_RANGES)
		m->reserved[m->reserved_count++] = (struct machine_range){base, size};
}

static int file_size(void *ctx, const char *name, u64 *size)
{
	const struct boot_file *f = boot_find_file(ctx, name);

	if (!f)
		return -ENOENT;
	*size = f->size;
	return 0;
}

/* Logical CPU n of the configuration is the n-th enabled CPU of the MADT. */
static void describe_cpus(struct machine_desc *m)
{
	for (u32 i = 0; i < acpi.cpu_count && m->cpu_count < MACHINE_MAX_CPUS; i++)
		if (acpi.cpus[i].enabled)
			m->apic_ids[m->cpu_count++] = acpi.cpus[i].apic_id;
	if (!m->cpu_count)
		m->apic_ids[m->cpu_count++] = 0; /* no MADT: the boot CPU alone */
}

static void describe_machine(const struct boot_info *bi, struct machine_desc *m)
{
	memset(m, 0, sizeof(*m));
	describe_cpus(m);
	mm_for_each_free(add_free_run, m);
	add_reserved(m, bi->image_base, bi->image_size);
	for (u32 i = 0; i < bi->file_count && i < BOOT_MAX_FILES; i++)
		add_reserved(m, bi->files[i].addr, bi->files[i].size);
	for (u32 i = 0; i < pci_function_count && m->pci_count < MACHINE_MAX_PCI; i++)
		m->pci[m->pci_count++] =
			PCI_BDF(pci_functions[i].bus, pci_functions[i].dev, pci_functions[i].fn);
	m->iommu_present = acpi.dmar || acpi.ivrs;
	m->file_size = file_size;
	m->file_ctx = (void *)bi;
}

static void print_plan_line(void *ctx, const char *line)
{
	pr_info("%s", line);
}

int boot_config_load(const struct boot_info *bi, struct config **cfg_out, struct plan **plan_out,
		     const struct machine_desc **machine_out)
{
	struct diag_sink diags = {.emit = print_diag, .file = "bulkhead.cfg"};
	const char *text = phys_to_virt(bi->config_addr);

	if (!bi->config_found) {
		pr_err("bulkhead: no configuration: looked for %s; no guest started",
		       bi->config_path[0] ? bi->config_path : "bulkhead.cfg");
		return -ENOENT;
	}
	pr_info("bulkhead: configuration %s (%llu bytes)", bi->config_path,
		(unsigned long long)bi->config_size);
	describe_machine(bi, &machine);
	if (!config_load(&config, "bulkhead.cfg", text, bi->config_size, &diags))
		config_check_machine(&config, &machine, &diags);
	if (!diags.errors)
		plan_build(&config, &machine, &plan, &diags);
	if (diags.errors) {
		pr_err("bulkhead: configuration invalid: %u error(s), %u warning(s); no guest "
		       "started",
		       diags.errors, diags.warnings);
		return -EINVAL;
	}
	plan_print(&plan, print_plan_line, NULL);
	*cfg_out = &config;
	*plan_out = &plan;
	*machine_out = &machine;
	return 0;
}
