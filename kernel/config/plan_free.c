/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The planner's free-memory list: sorted, disjoint, page-aligned ranges below
 * PLAN_MAX_ADDR, so that no end computation can wrap.
 */
#include <hv/config.h>
#include <hv/plan.h>
#include <hv/string.h>

#include "plan_internal.h"

static bool insert_at(struct plan *p, u32 at, u64 base, u64 size)
{
	if (p->free_count == PLAN_MAX_FREE)
		return false;
	memmove(&p->free[at + 1], &p->free[at], (p->free_count - at) * sizeof(p->free[0]));
	p->free[at] = (struct machine_range){base, size};
	p->free_count++;
	return true;
}

static void remove_at(struct plan *p, u32 at)
{
	memmove(&p->free[at], &p->free[at + 1], (p->free_count - at - 1) * sizeof(p->free[0]));
	p->free_count--;
}

/* Adds [base, base+size), merging with whatever it touches or overlaps. */
bool plan_free_add(struct plan *p, u64 base, u64 size)
{
	u64 end;
	u32 i = 0;

	if (base >= PLAN_MAX_ADDR || size == 0)
		return true;
	end = size > PLAN_MAX_ADDR - base ? PLAN_MAX_ADDR : base + size;
	base = ALIGN_UP(base, PAGE_SIZE);
	end = ALIGN_DOWN(end, PAGE_SIZE);
	if (end <= base)
		return true;
	while (i < p->free_count && p->free[i].base + p->free[i].size < base)
		i++;
	while (i < p->free_count && p->free[i].base <= end) {
		u64 e = p->free[i].base + p->free[i].size;

		base = p->free[i].base < base ? p->free[i].base : base;
		end = e > end ? e : end;
		remove_at(p, i);
	}
	return insert_at(p, i, base, end - base);
}

/* Takes [base, base+size) out of the free list, splitting ranges as needed. */
bool plan_free_remove(struct plan *p, u64 base, u64 size)
{
	u64 end;

	if (base >= PLAN_MAX_ADDR || size == 0)
		return true;
	end = size > PLAN_MAX_ADDR - base ? PLAN_MAX_ADDR : base + size;
	for (u32 i = 0; i < p->free_count; i++) {
		u64 fb = p->free[i].base, fe = fb + p->free[i].size;

		if (fe <= base || fb >= end)
			continue;
		remove_at(p, i);
		if (fe > end &&
		    !insert_at(p, i, ALIGN_UP(end, PAGE_SIZE), fe - ALIGN_UP(end, PAGE_SIZE)))
			return false;
		if (fb < base && !insert_at(p, i, fb, ALIGN_DOWN(base, PAGE_SIZE) - fb))
			return false;
		/* Revisit index i: it now holds a piece outside [base, end) or the next range. */
		i--;
	}
	return true;
}

bool plan_free_contains(const struct plan *p, u64 base, u64 size)
{
	for (u32 i = 0; i < p->free_count; i++)
		if (base >= p->free[i].base && size <= p->free[i].size &&
		    base - p->free[i].base <= p->free[i].size - size)
			return true;
	return false;
}

u64 plan_free_total(const struct plan *p)
{
	u64 total = 0;

	for (u32 i = 0; i < p->free_count; i++)
		total += p->free[i].size;
	return total;
}

/*
 * Best fit at alignment a: the smallest free range that holds size bytes at an
 * a-aligned base (lowest address on ties). Returns false if none does.
 */
bool plan_free_best_fit(const struct plan *p, u64 size, u64 a, u64 *out)
{
	u64 best_len = UINT64_MAX;
	bool found = false;

	for (u32 i = 0; i < p->free_count; i++) {
		u64 fb = p->free[i].base, fe = fb + p->free[i].size;
		u64 b = ALIGN_UP(fb, a);

		if (b >= fe || fe - b < size || p->free[i].size >= best_len)
			continue;
		best_len = p->free[i].size;
		*out = b;
		found = true;
	}
	return found;
}

/* The largest free range (lowest address on ties); false if the list is empty. */
bool plan_free_largest(const struct plan *p, u32 *index)
{
	u64 best = 0;

	for (u32 i = 0; i < p->free_count; i++) {
		if (p->free[i].size > best) {
			best = p->free[i].size;
			*index = i;
		}
	}
	return best != 0;
}
