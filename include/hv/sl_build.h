/* SPDX-License-Identifier: Apache-2.0 */
/*
 * A guest's second-level tables (EPT or NPT) from the partition plan: its own
 * extents and the shared regions that name it, nothing else. Pure, host-tested.
 */
#ifndef HV_SL_BUILD_H
#define HV_SL_BUILD_H

#include <arch/paging.h>
#include <hv/plan.h>

/* Maps into sl (already initialised) what plan gives guest index gi. 0 or -errno. */
int sl_map_guest(struct pt *sl, const struct plan *plan, u32 gi);

/* Whether shared region s is mapped into guest gi. */
bool plan_shared_has_guest(const struct plan_shared *s, u32 gi);

#endif
