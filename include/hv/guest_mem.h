/* SPDX-License-Identifier: Apache-2.0 */
/*
 * A guest-physical memory view for code that fills a guest before it runs
 * (image loaders, boot-protocol tables): a few regions, each a guest-physical
 * range backed by hypervisor memory. Every access is checked as a whole
 * before a byte moves, so an access that leaves the regions fails with
 * -EFAULT and writes nothing; code using this view never writes outside it.
 */
#ifndef HV_GUEST_MEM_H
#define HV_GUEST_MEM_H

#include <hv/types.h>

#define GUEST_MEM_MAX_REGIONS 16

struct guest_mem_region {
	gpa_t gpa; /* first guest-physical byte */
	u8 *hva;   /* where that byte is in the hypervisor's address space */
	u64 size;
};

struct guest_mem {
	u32 count;
	struct guest_mem_region regions[GUEST_MEM_MAX_REGIONS];
};

void guest_mem_init(struct guest_mem *m);

/* Adds a region. -EINVAL: empty, wraps, or overlaps another; -ENOSPC: table full. */
int guest_mem_add(struct guest_mem *m, gpa_t gpa, void *hva, u64 size);

/* True when every byte of [gpa, gpa + len) lies in some region (len 0: true). */
bool guest_mem_contains(const struct guest_mem *m, gpa_t gpa, u64 len);

/* Each returns 0, or -EFAULT (nothing copied) when a byte lies outside the regions. */
int guest_mem_write(const struct guest_mem *m, gpa_t gpa, const void *src, u64 len);
int guest_mem_read(const struct guest_mem *m, gpa_t gpa, void *dst, u64 len);
int guest_mem_fill(const struct guest_mem *m, gpa_t gpa, u8 value, u64 len);

#endif
