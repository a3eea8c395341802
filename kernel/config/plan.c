/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The partition planner. Order of work, each step deterministic:
 *   1. free memory = usable RAM above 1 MiB, minus the hypervisor's ranges;
 *   2. pinned guests take exactly their ranges;
 *   3. the other guests, largest first, take the best-fitting single range at
 *      1 GiB, then 2 MiB, then 4 KiB alignment (so EPT/NPT can use large
 *      pages); if no single range is large enough, the largest free ranges
 *      in turn (fragmentation), up to PLAN_MAX_PIECES pieces;
 *   4. shared regions, in file order, each in one piece;
 *   5. CPU ownership.
 * The whole plan is tried in three passes, and the first that succeeds wins:
 * large-page alignment with one piece per guest; 4 KiB alignment with one
 * piece (alignment gaps can make an exact fit fail); then large pages with
 * pieces. Only the last pass reports errors.
 */
#include <hv/config.h>
#include <hv/errno.h>
#include <hv/plan.h>
#include <hv/string.h>

#include "plan_internal.h"

#define LOW_MEMORY_END 0x100000ULL

/* Appends host piece [hpa, hpa+size) at guest-memory offset *off, split at 3 GiB. */
static void add_piece(struct plan_guest *g, hpa_t hpa, u64 size, u64 *off)
{
	while (size) {
		u64 low = PLAN_GPA_MMIO32;
		u64 n = *off < low && size > low - *off ? low - *off : size;
		gpa_t gpa = *off < low ? *off : PLAN_GPA_HIGH + (*off - low);

		g->extents[g->extent_count++] = (struct plan_extent){hpa, gpa, n};
		hpa += n;
		*off += n;
		size -= n;
	}
}

static bool take(struct plan *p, struct plan_guest *g, hpa_t hpa, u64 size, u64 *off)
{
	if (!plan_free_remove(p, hpa, size))
		return false;
	add_piece(g, hpa, size, off);
	return true;
}

struct plan_pass {
	u64 max_align;
	bool pieces;
};

static const struct plan_pass passes[] = {
	{SIZE_1G, false},
	{PAGE_SIZE, false},
	{SIZE_1G, true},
};

/* One range at the best alignment the size allows, up to max_align. */
static bool alloc_single(struct plan *p, u64 size, u64 max_align, hpa_t *out)
{
	static const u64 aligns[] = {SIZE_1G, SIZE_2M, PAGE_SIZE};

	for (u32 i = 0; i < ARRAY_SIZE(aligns); i++)
		if (size >= aligns[i] && aligns[i] <= max_align &&
		    plan_free_best_fit(p, size, aligns[i], out))
			return true;
	return false;
}

/* Fragmented: the largest free ranges in turn, each from its 2 MiB-aligned part if it has one. */
static int alloc_pieces(struct plan *p, struct plan_guest *g, u64 size, u64 *off)
{
	u32 i;

	while (size) {
		u64 base, len;

		if (g->extent_count + 2 > PLAN_MAX_EXTENTS || !plan_free_largest(p, &i))
			return -ENOSPC;
		base = p->free[i].base;
		len = p->free[i].size;
		if (ALIGN_UP(base, SIZE_2M) < base + len && len > SIZE_2M) {
			len -= ALIGN_UP(base, SIZE_2M) - base;
			base = ALIGN_UP(base, SIZE_2M);
		}
		len = len < size ? len : size;
		if (!take(p, g, base, len, off))
			return -ENOSPC;
		size -= len;
	}
	return 0;
}

static u64 page_size_of(const struct plan_guest *g)
{
	u64 ps = SIZE_1G;

	for (u32 i = 0; i < g->extent_count; i++)
		while (ps > PAGE_SIZE &&
		       (!IS_ALIGNED(g->extents[i].hpa, ps) || !IS_ALIGNED(g->extents[i].gpa, ps)))
			ps = ps == SIZE_1G ? SIZE_2M : PAGE_SIZE;
	return ps;
}

static void report_short(u64 total, const struct cfg_guest *cg, u64 need, bool frag,
			 struct diag_sink *d)
{
	char s_need[32], s_free[32], s_miss[32];

	cfg_format_size(s_need, sizeof(s_need), need);
	cfg_format_size(s_free, sizeof(s_free), total);
	cfg_format_size(s_miss, sizeof(s_miss), need > total ? need - total : 0);
	if (frag)
		diag_report(d, DIAG_ERROR, cg->key_line[GK_MEMORY], "plan-fragmented",
			    "guest '%s' needs %s; %s is free but in pieces too many or too "
			    "small (at most %d per guest): pin guests or use fewer, larger ones",
			    cg->name, s_need, s_free, PLAN_MAX_PIECES);
	else
		diag_report(d, DIAG_ERROR, cg->key_line[GK_MEMORY], "ram-short",
			    "guest '%s' needs %s but only %s of RAM is left: %s missing", cg->name,
			    s_need, s_free, s_miss);
}

static int place_guest(struct plan *p, const struct cfg_guest *cg, struct plan_guest *g,
		       const struct plan_pass *pass, struct diag_sink *d)
{
	u64 size = ALIGN_UP(cg->memory, PAGE_SIZE), off = 0;
	u64 total = plan_free_total(p);
	hpa_t hpa;
	int err = 0;

	if (cg->memory_pinned) {
		if (plan_free_contains(p, cg->memory_at, size) &&
		    take(p, g, cg->memory_at, size, &off))
			return 0;
		diag_report(d, DIAG_ERROR, cg->key_line[GK_MEMORY], "memory-not-ram",
			    "guest '%s' is pinned at 0x%llx, which is not free RAM", cg->name,
			    (unsigned long long)cg->memory_at);
		return -ENOSPC;
	} else if (alloc_single(p, size, pass->max_align, &hpa)) {
		if (!take(p, g, hpa, size, &off))
			err = -ENOSPC;
	} else if (total < size) {
		report_short(total, cg, size, false, d);
		return -ENOSPC;
	} else {
		err = pass->pieces ? alloc_pieces(p, g, size, &off) : -ENOSPC;
	}
	if (err)
		report_short(total, cg, size, true, d);
	return err;
}

static void init_guest(struct plan_guest *g, const struct cfg_guest *cg, u32 index)
{
	u64 mem = ALIGN_UP(cg->memory, PAGE_SIZE);

	memcpy(g->name, cg->name, CFG_NAME_MAX);
	g->cfg_index = index;
	g->memory = mem;
	g->low_end = mem < PLAN_GPA_MMIO32 ? mem : PLAN_GPA_MMIO32;
	g->high_end = PLAN_GPA_HIGH + (mem > PLAN_GPA_MMIO32 ? mem - PLAN_GPA_MMIO32 : 0);
	g->cpu_count = cg->cpu_count;
	memcpy(g->cpus, cg->cpus, sizeof(g->cpus));
}

/* Guest indices, pinned ones first, then by memory size descending (stable). */
static void placement_order(const struct config *cfg, u8 *order)
{
	for (u32 i = 0; i < cfg->guest_count; i++) {
		const struct cfg_guest *g = &cfg->guests[i];
		u32 j = i;

		for (; j > 0; j--) {
			const struct cfg_guest *o = &cfg->guests[order[j - 1]];

			if (o->memory_pinned > g->memory_pinned ||
			    (o->memory_pinned == g->memory_pinned && o->memory >= g->memory))
				break;
			order[j] = order[j - 1];
		}
		order[j] = (u8)i;
	}
}

static void init_free(struct plan *p, const struct machine_desc *m)
{
	for (u32 i = 0; i < m->ram_count; i++)
		plan_free_add(p, m->ram[i].base, m->ram[i].size);
	plan_free_remove(p, 0, LOW_MEMORY_END);
	for (u32 i = 0; i < m->reserved_count; i++)
		plan_free_remove(p, m->reserved[i].base, m->reserved[i].size);
}

static int place_shared(struct plan *p, const struct cfg_shared *cs, struct plan_shared *s,
			gpa_t *gpa, struct diag_sink *d)
{
	u64 size = ALIGN_UP(cs->size, PAGE_SIZE);
	u64 align = size >= SIZE_2M ? SIZE_2M : PAGE_SIZE;
	char s_need[32];

	memcpy(s->name, cs->name, CFG_NAME_MAX);
	s->size = size;
	s->guest_count = cs->guest_count;
	memcpy(s->guests, cs->guests, sizeof(s->guests));
	*gpa = ALIGN_UP(*gpa, align);
	s->gpa = *gpa;
	if (size > PLAN_GPA_HIGH - *gpa || !alloc_single(p, size, SIZE_2M, &s->hpa) ||
	    !plan_free_remove(p, s->hpa, size)) {
		cfg_format_size(s_need, sizeof(s_need), size);
		diag_report(d, DIAG_ERROR, cs->key_line[SK_SIZE], "ram-short",
			    "shared region '%s' needs %s in one piece and no free range (or "
			    "room in the 3-4 GiB window) holds it",
			    cs->name, s_need);
		return -ENOSPC;
	}
	*gpa += size;
	return 0;
}

static void assign_cpus(const struct config *cfg, const struct machine_desc *m, struct plan *p)
{
	p->cpu_count = m->cpu_count < MACHINE_MAX_CPUS ? m->cpu_count : MACHINE_MAX_CPUS;
	memset(p->cpu_owner, PLAN_CPU_PARKED, sizeof(p->cpu_owner));
	for (u32 i = 0; i < cfg->guest_count; i++)
		for (u32 c = 0; c < cfg->guests[i].cpu_count; c++)
			p->cpu_owner[cfg->guests[i].cpus[c]] = (u8)i;
	p->has_console_cpu = cfg->has_console_cpu;
	p->console_cpu = cfg->console_cpu;
}

static int plan_pass(const struct config *cfg, const struct machine_desc *m, struct plan *p,
		     const struct plan_pass *pass, struct diag_sink *d)
{
	u8 order[CFG_MAX_GUESTS];
	gpa_t shared_gpa = PLAN_GPA_MMIO32;
	int err = 0;

	memset(p, 0, sizeof(*p));
	init_free(p, m);
	p->guest_count = cfg->guest_count;
	placement_order(cfg, order);
	for (u32 k = 0; k < cfg->guest_count; k++) {
		u32 i = order[k];

		init_guest(&p->guests[i], &cfg->guests[i], i);
		if (place_guest(p, &cfg->guests[i], &p->guests[i], pass, d))
			err = -ENOSPC;
		p->guests[i].page_size = page_size_of(&p->guests[i]);
	}
	p->shared_count = cfg->shared_count;
	for (u32 i = 0; i < cfg->shared_count; i++)
		if (place_shared(p, &cfg->shared[i], &p->shared[i], &shared_gpa, d))
			err = -ENOSPC;
	assign_cpus(cfg, m, p);
	return err;
}

int plan_build(const struct config *cfg, const struct machine_desc *m, struct plan *p,
	       struct diag_sink *d)
{
	struct diag_sink quiet = {0};
	u32 last = ARRAY_SIZE(passes) - 1;

	for (u32 i = 0; i < last; i++)
		if (plan_pass(cfg, m, p, &passes[i], &quiet) == 0)
			return 0;
	return plan_pass(cfg, m, p, &passes[last], d);
}
