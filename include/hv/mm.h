/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Physical memory: the normalised memory map and the page allocator over its
 * usable RAM. The hypervisor runs identity-mapped, so a physical address is
 * also the pointer to it.
 */
#ifndef HV_MM_H
#define HV_MM_H

#include <hv/boot_info.h>
#include <hv/types.h>

/* page_alloc flags */
#define PAGE_BELOW_1M BIT(0) /* wholly below 1 MiB (the SMP trampoline) */
#define PAGE_BELOW_4G BIT(1) /* wholly below 4 GiB (tables a 32-bit CR3 load reaches) */
#define PAGE_ZERO     BIT(2) /* zero-filled */

#define MM_1M 0x100000ULL /* general allocations start here */
#define MM_4G 0x100000000ULL

/*
 * Normalises the boot path's map and sets up the allocator, with the image,
 * every loaded file, the configuration and the first 1 MiB reserved; prints
 * the map and the totals. -errno if the map is unusable.
 */
int mm_init(struct boot_info *bi);

/*
 * npages contiguous pages aligned to align (a power of two, 0 meaning a
 * page), 0 when no such run is free. Safe on any CPU.
 */
hpa_t page_alloc(size_t npages, u64 align, unsigned int flags);
void page_free(hpa_t pa, size_t npages);

static inline void *phys_to_virt(hpa_t pa)
{
	return (void *)(uintptr_t)pa;
}

static inline hpa_t virt_to_phys(const void *p)
{
	return (hpa_t)(uintptr_t)p;
}

struct mm_stats {
	u64 usable_pages;   /* pages of usable RAM in the map */
	u64 reserved_pages; /* of those, reserved at boot (image, files, bitmaps) */
	u64 free_pages;	    /* free now */
};
void mm_get_stats(struct mm_stats *st);

/* The normalised memory map (valid after mm_init). */
const struct boot_mem_range *mm_memmap(u32 *count);

/* Called for each maximal run of free pages, in address order. */
typedef void (*page_run_fn)(void *arg, hpa_t base, u64 size);
/* Lists the free memory (the partition planner's input). */
void mm_for_each_free(page_run_fn fn, void *arg);
/*
 * Takes [base, base + size) for good (guest memory chosen by the planner):
 * 0, or -EBUSY when any page of it is not free (nothing is taken then).
 */
int mm_claim(hpa_t base, u64 size);
const char *mm_type_name(u32 type);

/* ---- building blocks, host-tested ------------------------------------------ */

/*
 * Sorts, resolves overlaps (the more restrictive type wins: anything beats
 * USABLE, see memmap.c for the order), merges adjacent ranges of one type,
 * shrinks usable ranges inward to whole pages and drops empty ones. Returns
 * the number of ranges written to out, or -E2BIG if more than max_out.
 */
int memmap_normalize(const struct boot_mem_range *in, u32 n, struct boot_mem_range *out,
		     u32 max_out);

/* A bitmap page pool over a set of page-aligned regions; bit set = page in use. */
struct page_region {
	hpa_t base;
	u64 npages;
	u64 *bits;
	u64 hint; /* every page below this index is in use */
};

#define PAGE_POOL_MAX_REGIONS BOOT_MAX_MMAP

struct page_pool {
	struct page_region region[PAGE_POOL_MAX_REGIONS];
	u32 nregions;
	u64 total_pages;
	u64 reserved_pages;
	u64 free_pages;
};

/* 64-bit words of bitmap a region of npages needs. */
static inline u64 page_pool_bitmap_words(u64 npages)
{
	return (npages + 63) / 64;
}

/* Adds a region of free pages; regions are added in address order and must not overlap. */
int page_pool_add(struct page_pool *p, hpa_t base, u64 npages, u64 *bits);
/* Marks the pages overlapping [base, base+size) in use for good; returns how many were free. */
u64 page_pool_reserve(struct page_pool *p, hpa_t base, u64 size);
hpa_t page_pool_alloc(struct page_pool *p, u64 npages, u64 align, unsigned int flags);
/* -EINVAL (and nothing freed) unless every page is in one region and in use. */
int page_pool_free(struct page_pool *p, hpa_t pa, u64 npages);
void page_pool_for_each_free(const struct page_pool *p, page_run_fn fn, void *arg);
/* True when every page of the page-aligned range is in the pool and free. */
bool page_pool_range_free(const struct page_pool *p, hpa_t base, u64 size);

#endif
