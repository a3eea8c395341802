/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Rules between guests: CPU ownership, pinned memory, passthrough resources,
 * shared regions and the hypervisor's own console.
 */
#include <hv/config.h>
#include <hv/printk.h>
#include <hv/string.h>

#include "cfg_internal.h"

#define NO_OWNER 0xff

static void check_cpus(const struct config *cfg, struct diag_sink *d)
{
	u8 owner[CFG_MAX_CPUS];

	STATIC_ASSERT(CFG_MAX_GUESTS < NO_OWNER, "owner must fit u8");
	memset(owner, NO_OWNER, sizeof(owner));
	for (u32 i = 0; i < cfg->guest_count; i++) {
		const struct cfg_guest *g = &cfg->guests[i];

		for (u32 c = 0; c < g->cpu_count; c++) {
			const struct cfg_guest *o;

			if (owner[g->cpus[c]] == NO_OWNER) {
				owner[g->cpus[c]] = (u8)i;
				continue;
			}
			o = &cfg->guests[owner[g->cpus[c]]];
			diag_report(d, DIAG_ERROR, g->key_line[GK_CPUS], "cpu-shared",
				    "CPU %u is given to both '%s' (line %u) and '%s'", g->cpus[c],
				    o->name, o->key_line[GK_CPUS], g->name);
		}
	}
	if (cfg->has_console_cpu && owner[cfg->console_cpu] != NO_OWNER)
		diag_report(d, DIAG_WARNING, cfg->console_cpu_line, "console-cpu",
			    "console_cpu %u also runs guest '%s': the console polls from the "
			    "hypervisor tick between that guest's runs",
			    cfg->console_cpu, cfg->guests[owner[cfg->console_cpu]].name);
}

static void check_pinned_pair(const struct cfg_guest *a, const struct cfg_guest *b,
			      struct diag_sink *d)
{
	if (!a->memory_pinned || !b->memory_pinned || !a->memory || !b->memory)
		return;
	if (cfg_overlap(a->memory_at, a->memory, b->memory_at, b->memory))
		diag_report(d, DIAG_ERROR, b->key_line[GK_MEMORY], "memory-overlap",
			    "memory of '%s' at 0x%llx overlaps that of '%s' (line %u)", b->name,
			    (unsigned long long)b->memory_at, a->name, a->key_line[GK_MEMORY]);
}

/* One finding about a resource (already formatted) that b gives again. */
static void pass_report(const struct cfg_guest *a, u32 a_line, const struct cfg_guest *b,
			u32 b_line, const char *what, struct diag_sink *d)
{
	if (a == b)
		diag_report(d, DIAG_ERROR, b_line, "passthrough-duplicate",
			    "%s is already given to '%s' at line %u: list it once", what, a->name,
			    a_line);
	else
		diag_report(d, DIAG_ERROR, b_line, "passthrough-shared",
			    "%s is given to both '%s' (line %u) and '%s'", what, a->name, a_line,
			    b->name);
}

static void check_pci_pair(const struct cfg_guest *a, const struct cfg_guest *b,
			   struct diag_sink *d)
{
	char what[48];

	for (u32 j = 0; j < b->pci_count; j++) {
		const struct cfg_pci *q = &b->pci[j];

		for (u32 i = 0; i < (a == b ? j : a->pci_count); i++) {
			const struct cfg_pci *p = &a->pci[i];

			if (p->bus != q->bus || p->dev != q->dev || p->fn != q->fn)
				continue;
			hv_snprintf(what, sizeof(what), "PCI function %02x:%02x.%x", q->bus, q->dev,
				    q->fn);
			pass_report(a, p->line, b, q->line, what, d);
		}
	}
}

static void check_range_pair(const struct cfg_guest *a, const struct cfg_range *ar, u32 an,
			     const struct cfg_guest *b, const struct cfg_range *br, u32 bn,
			     const char *kind, struct diag_sink *d)
{
	char what[64];

	for (u32 j = 0; j < bn; j++) {
		for (u32 i = 0; i < (a == b ? j : an); i++) {
			if (!cfg_overlap(ar[i].base, ar[i].size, br[j].base, br[j].size))
				continue;
			hv_snprintf(what, sizeof(what), "%s 0x%llx-0x%llx", kind,
				    (unsigned long long)br[j].base,
				    (unsigned long long)(br[j].base + (br[j].size - 1)));
			pass_report(a, ar[i].line, b, br[j].line, what, d);
		}
	}
}

/* Passthrough entries of b against those of a (against b's earlier ones when a == b). */
static void check_pass_pair(const struct cfg_guest *a, const struct cfg_guest *b,
			    struct diag_sink *d)
{
	check_pci_pair(a, b, d);
	check_range_pair(a, a->ioports, a->ioport_count, b, b->ioports, b->ioport_count,
			 "port range", d);
	check_range_pair(a, a->mmio, a->mmio_count, b, b->mmio, b->mmio_count, "MMIO range", d);
}

static void check_pairs(const struct config *cfg, struct diag_sink *d)
{
	for (u32 j = 0; j < cfg->guest_count; j++) {
		for (u32 i = 0; i <= j; i++) {
			if (i != j)
				check_pinned_pair(&cfg->guests[i], &cfg->guests[j], d);
			check_pass_pair(&cfg->guests[i], &cfg->guests[j], d);
		}
	}
}

static void check_console(const struct config *cfg, struct diag_sink *d)
{
	bool io = cfg->serial_kind == CFG_SERIAL_IO;
	u64 size = io ? 8 : PAGE_SIZE;
	u64 base = io ? cfg->serial_base : ALIGN_DOWN(cfg->serial_base, PAGE_SIZE);

	for (u32 i = 0; i < cfg->guest_count; i++) {
		const struct cfg_guest *g = &cfg->guests[i];
		const struct cfg_range *r = io ? g->ioports : g->mmio;
		u32 n = io ? g->ioport_count : g->mmio_count;

		for (u32 k = 0; k < n; k++)
			if (cfg_overlap(r[k].base, r[k].size, base, size))
				diag_report(d, DIAG_ERROR, r[k].line, "console-passthrough",
					    "guest '%s' is given the console UART at 0x%llx: "
					    "the hypervisor owns it (change [hypervisor] serial)",
					    g->name, (unsigned long long)cfg->serial_base);
	}
}

static int find_guest(const struct config *cfg, const char *s, size_t len)
{
	for (u32 i = 0; i < cfg->guest_count; i++)
		if (cfg_word_eq(s, len, cfg->guests[i].name))
			return (int)i;
	return -1;
}

static void unknown_guest(const struct config *cfg, const struct cfg_shared *sh, const char *tok,
			  size_t len, struct diag_sink *d)
{
	const char *names[CFG_MAX_GUESTS];
	const char *hint;

	for (u32 i = 0; i < cfg->guest_count; i++)
		names[i] = cfg->guests[i].name;
	hint = cfg_did_you_mean(tok, len, names, cfg->guest_count);
	diag_report(d, DIAG_ERROR, sh->key_line[SK_GUESTS], "shared-unknown-guest",
		    "shared region '%s' names guest '%.*s', which is not defined%s%s%s", sh->name,
		    (int)(len > 40 ? 40 : len), tok, hint ? " (did you mean '" : "",
		    hint ? hint : "", hint ? "'?)" : "");
}

static void add_shared_guest(struct cfg_shared *sh, u8 idx)
{
	for (u32 i = 0; i < sh->guest_count; i++)
		if (sh->guests[i] == idx)
			return;
	sh->guests[sh->guest_count++] = idx;
}

static void check_shared(struct config *cfg, struct cfg_shared *sh, struct diag_sink *d)
{
	const char *p = sh->guest_names, *end, *tok;
	size_t len;
	int idx;

	for (u32 k = 0; k < SK_COUNT; k++)
		if (cfg_shared_keys[k].required && !sh->key_line[k])
			diag_report(d, DIAG_ERROR, sh->line, "missing-key",
				    "shared region '%s' has no '%s' (required)", sh->name,
				    cfg_shared_keys[k].name);
	if (sh->size && !IS_ALIGNED(sh->size, PAGE_SIZE))
		diag_report(d, DIAG_ERROR, sh->key_line[SK_SIZE], "memory-align",
			    "shared region '%s' size %llu is not a multiple of 4 KiB", sh->name,
			    (unsigned long long)sh->size);
	if (!p)
		return;
	for (end = p + strlen(p); cfg_next_token(&p, end, &tok, &len);) {
		idx = find_guest(cfg, tok, len);
		if (idx < 0)
			unknown_guest(cfg, sh, tok, len, d);
		else
			add_shared_guest(sh, (u8)idx);
	}
	if (sh->guest_count < 2)
		diag_report(d, DIAG_ERROR, sh->key_line[SK_GUESTS], "shared-one-guest",
			    "shared region '%s' needs at least two different guests", sh->name);
}

void cfg_validate_cross(struct config *cfg, struct diag_sink *diags)
{
	check_cpus(cfg, diags);
	check_pairs(cfg, diags);
	check_console(cfg, diags);
	for (u32 i = 0; i < cfg->shared_count; i++)
		check_shared(cfg, &cfg->shared[i], diags);
}
