/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Semantic rules of one guest on its own: required keys, memory size and
 * placement, image format, and passthrough ranges that collide with the
 * devices Bulkhead emulates for that guest. Cross-guest rules are in
 * validate_cross.c.
 */
#include <hv/config.h>
#include <hv/errno.h>
#include <hv/guest_platform.h>
#include <hv/string.h>

#include "cfg_internal.h"

struct named_range {
	u64 base;
	u64 size;
	const char *what;
};

/*
 * Host-physical ranges no PC gives to a guest (PC/AT memory map; IOAPIC,
 * local APIC and flash per the ICH/PCH datasheets' fixed address ranges).
 */
static const struct named_range firmware_ranges[] = {
	{0, 0x100000, "the first MiB (real-mode firmware data, VGA and option ROMs)"},
	{0xfec00000, 0x1400000, "the IOAPIC, local APIC and firmware flash (0xfec00000-4G)"},
};

/* Ports each guest gets as an emulated device (docs/config.md, "port-conflict"). */
static const struct named_range emulated_ports[] = {
	{GUEST_PIC_MASTER, 2, "the emulated PIC"},
	{GUEST_PIC_SLAVE, 2, "the emulated PIC"},
	{GUEST_ELCR_PORT, 2, "the emulated PIC's edge/level control"},
	{GUEST_PIT_PORT, 4, "the emulated PIT"},
	{GUEST_SYS_CTRL_B_PORT, 1, "the emulated system control port B"},
	{GUEST_KBC_DATA_PORT, 1, "the emulated keyboard controller"},
	{GUEST_KBC_CMD_PORT, 1, "the emulated keyboard controller"},
	{GUEST_RTC_PORT, 2, "the emulated RTC"},
	{0xf4, 4, "the test-exit port"},
	{GUEST_PCI_CONF_ADDR, 8, "PCI configuration space and the reset port"},
	{GUEST_PM_BASE, GUEST_PM_SIZE, "the emulated ACPI power-management block"},
};

static void check_required(const struct cfg_guest *g, struct diag_sink *d)
{
	for (u32 k = 0; k < GK_COUNT; k++)
		if (cfg_guest_keys[k].required && !g->key_line[k])
			diag_report(d, DIAG_ERROR, g->line, "missing-key",
				    "guest '%s' has no '%s' (required)", g->name,
				    cfg_guest_keys[k].name);
}

static void check_pinned(const struct cfg_guest *g, struct diag_sink *d)
{
	u32 line = g->key_line[GK_MEMORY];

	if (!IS_ALIGNED(g->memory_at, PAGE_SIZE))
		diag_report(d, DIAG_ERROR, line, "memory-align",
			    "guest '%s' is pinned at 0x%llx, not a multiple of 4 KiB", g->name,
			    (unsigned long long)g->memory_at);
	for (u32 i = 0; i < ARRAY_SIZE(firmware_ranges); i++) {
		const struct named_range *r = &firmware_ranges[i];

		if (cfg_overlap(g->memory_at, g->memory, r->base, r->size))
			diag_report(d, DIAG_ERROR, line, "memory-reserved",
				    "guest '%s' memory 0x%llx-0x%llx overlaps %s: pin it elsewhere",
				    g->name, (unsigned long long)g->memory_at,
				    (unsigned long long)(g->memory_at + (g->memory - 1)), r->what);
	}
}

static void check_memory(const struct cfg_guest *g, struct diag_sink *d)
{
	u64 min = g->format == CFG_FORMAT_LINUX ? CFG_MIN_MEMORY_LINUX : CFG_MIN_MEMORY;
	u32 line = g->key_line[GK_MEMORY];
	char want[32];

	if (!g->memory)
		return;
	if (!IS_ALIGNED(g->memory, PAGE_SIZE))
		diag_report(d, DIAG_ERROR, line, "memory-align",
			    "guest '%s' memory %llu is not a multiple of 4 KiB", g->name,
			    (unsigned long long)g->memory);
	if (g->memory < min) {
		cfg_format_size(want, sizeof(want), min);
		diag_report(d, DIAG_ERROR, line, "memory-too-small",
			    "guest '%s' has %llu bytes of memory; this format needs at least %s",
			    g->name, (unsigned long long)g->memory, want);
	}
	if (g->memory_pinned)
		check_pinned(g, d);
}

static void check_format(const struct cfg_guest *g, struct diag_sink *d)
{
	if (g->format == CFG_FORMAT_RAW && !g->has_entry && !g->key_line[GK_ENTRY])
		diag_report(d, DIAG_ERROR, g->key_line[GK_FORMAT], "raw-entry",
			    "guest '%s' has a raw image but no 'entry': add entry = ADDRESS",
			    g->name);
	if (g->format != CFG_FORMAT_RAW && g->format != CFG_FORMAT_NONE && g->has_entry)
		diag_report(d, DIAG_WARNING, g->key_line[GK_ENTRY], "entry-ignored",
			    "guest '%s': 'entry' is used by raw images only; the image names its "
			    "own entry point",
			    g->name);
	if (g->initrd && g->format != CFG_FORMAT_LINUX && g->format != CFG_FORMAT_NONE)
		diag_report(d, DIAG_ERROR, g->key_line[GK_INITRD], "initrd-format",
			    "guest '%s' has an initrd but format is not linux: remove the initrd "
			    "or pass it as a multiboot module",
			    g->name);
	if (g->module_count && g->format != CFG_FORMAT_MULTIBOOT && g->format != CFG_FORMAT_NONE)
		diag_report(d, DIAG_ERROR, g->modules[0].line, "module-format",
			    "guest '%s' has a module but format is not multiboot: only multiboot "
			    "kernels receive modules (a linux guest takes an initrd)",
			    g->name);
}

static void check_mmio(const struct cfg_guest *g, struct diag_sink *d)
{
	for (u32 i = 0; i < g->mmio_count; i++) {
		const struct cfg_range *r = &g->mmio[i];

		if (!IS_ALIGNED(r->base, PAGE_SIZE) || !IS_ALIGNED(r->size, PAGE_SIZE))
			diag_report(
				d, DIAG_ERROR, r->line, "mmio-align",
				"MMIO range 0x%llx+0x%llx is not whole 4 KiB pages (second-level "
				"page tables map pages)",
				(unsigned long long)r->base, (unsigned long long)r->size);
	}
}

static void port_conflict(const struct cfg_guest *g, const struct cfg_range *r, u64 base, u64 size,
			  const char *what, struct diag_sink *d)
{
	if (cfg_overlap(r->base, r->size, base, size))
		diag_report(d, DIAG_ERROR, r->line, "port-conflict",
			    "guest '%s' ports 0x%llx-0x%llx overlap %s at 0x%llx-0x%llx", g->name,
			    (unsigned long long)r->base,
			    (unsigned long long)(r->base + r->size - 1), what,
			    (unsigned long long)base, (unsigned long long)(base + size - 1));
}

static void check_ports(const struct cfg_guest *g, struct diag_sink *d)
{
	for (u32 i = 0; i < g->ioport_count; i++) {
		const struct cfg_range *r = &g->ioports[i];

		if (g->uart_port)
			port_conflict(g, r, g->uart_port, 8,
				      "its virtual UART (set uart = none or another comN)", d);
		for (u32 k = 0; k < ARRAY_SIZE(emulated_ports); k++)
			port_conflict(g, r, emulated_ports[k].base, emulated_ports[k].size,
				      emulated_ports[k].what, d);
	}
}

static void check_guest(const struct cfg_guest *g, struct diag_sink *d)
{
	check_required(g, d);
	check_memory(g, d);
	check_format(g, d);
	check_mmio(g, d);
	check_ports(g, d);
}

int config_validate(struct config *cfg, struct diag_sink *diags)
{
	u32 errors = diags->errors;

	if (cfg->guest_count == 0)
		diag_report(diags, DIAG_ERROR, cfg->line_count, "no-guest",
			    "no [guest NAME] section: the configuration starts nothing");
	for (u32 i = 0; i < cfg->guest_count; i++)
		check_guest(&cfg->guests[i], diags);
	cfg_validate_cross(cfg, diags);
	return diags->errors == errors ? 0 : -EINVAL;
}
