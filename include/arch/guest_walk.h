/* SPDX-License-Identifier: Apache-2.0 */
/*
 * A read-only walk of a guest's own page tables (arch/x86/guest_walk.c), to
 * find the bytes of an intercepted instruction: no paging, 32-bit, PAE, 4-
 * and 5-level paging (SDM Vol. 3A chapter 4; AMD APM Vol. 2 chapter 5).
 * Pure: guest-physical memory is read through a callback. Used by both
 * backends and by the MMIO decoder's instruction fetch.
 */
#ifndef ARCH_GUEST_WALK_H
#define ARCH_GUEST_WALK_H

#include <hv/types.h>

/* Guest paging state for a linear-to-physical walk. */
struct guest_paging {
	u64 cr0, cr3, cr4, efer;
};

/* Reads len bytes of guest-physical memory: 0, or -EFAULT. */
typedef int (*guest_gpa_read_fn)(void *ctx, gpa_t gpa, void *buf, unsigned int len);

/*
 * Translates a guest-linear address through the guest's own page tables.
 * Access rights are not checked: the CPU has just used the translation.
 * 0, -EFAULT, or -ENOENT for a not-present entry.
 */
int guest_walk(const struct guest_paging *p, u64 la, gpa_t *out, guest_gpa_read_fn read, void *ctx);

#endif
