/* SPDX-License-Identifier: Apache-2.0 */
#include <hv/sl_build.h>

bool plan_shared_has_guest(const struct plan_shared *s, u32 gi)
{
	for (u32 i = 0; i < s->guest_count; i++)
		if (s->guests[i] == gi)
			return true;
	return false;
}

/*
 * Guest memory is ordinary write-back RAM, readable, writable and executable
 * by the guest; the guest's own page tables and PAT decide the rest.
 */
int sl_map_guest(struct pt *sl, const struct plan *plan, u32 gi)
{
	const struct plan_guest *g = &plan->guests[gi];
	int rc = 0;

	for (u32 i = 0; !rc && i < g->extent_count; i++)
		rc = pt_map(sl, g->extents[i].gpa, g->extents[i].hpa, g->extents[i].size,
			    PT_RWX | PT_CACHE_WB);
	for (u32 i = 0; !rc && i < plan->shared_count; i++) {
		const struct plan_shared *s = &plan->shared[i];
		if (plan_shared_has_guest(s, gi))
			rc = pt_map(sl, s->gpa, s->hpa, s->size, PT_RW | PT_CACHE_WB);
	}
	return rc;
}
