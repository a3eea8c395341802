/* SPDX-License-Identifier: Apache-2.0 */
/* Internal interfaces of the planner (plan*.c). */
#ifndef KERNEL_CONFIG_PLAN_INTERNAL_H
#define KERNEL_CONFIG_PLAN_INTERNAL_H

#include <hv/plan.h>

bool plan_free_add(struct plan *p, u64 base, u64 size);
bool plan_free_remove(struct plan *p, u64 base, u64 size);
bool plan_free_contains(const struct plan *p, u64 base, u64 size);
u64 plan_free_total(const struct plan *p);
bool plan_free_best_fit(const struct plan *p, u64 size, u64 align, u64 *out);
bool plan_free_largest(const struct plan *p, u32 *index);

#endif
