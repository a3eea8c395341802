/* SPDX-License-Identifier: Apache-2.0 */
/*
 * A bitmap page pool: one bit per 4 KiB page of each usable region, set when
 * the page is in use. First fit from the lowest address; a per-region hint
 * skips the fully used prefix, and whole used words are skipped at once.
 * The pool takes no locks: mm.c serialises it.
 */
#include <hv/errno.h>
#include <hv/mm.h>

static bool page_used(const struct page_region *r, u64 i)
{
	return r->bits[i / 64] & BIT64(i % 64);
}

static void set_pages(struct page_region *r, u64 first, u64 n, bool used)
{
	for (u64 i = first; i < first + n; i++) {
		if (used)
			r->bits[i / 64] |= BIT64(i % 64);
		else
			r->bits[i / 64] &= ~BIT64(i % 64);
	}
}

int page_pool_add(struct page_pool *p, hpa_t base, u64 npages, u64 *bits)
{
	struct page_region *prev = p->nregions ? &p->region[p->nregions - 1] : NULL;

	if (!npages || !IS_ALIGNED(base, PAGE_SIZE) || base + npages * PAGE_SIZE < base)
		return -EINVAL;
	if (prev && base < prev->base + prev->npages * PAGE_SIZE)
		return -EINVAL;
	if (p->nregions == PAGE_POOL_MAX_REGIONS)
		return -ENOSPC;
	for (u64 w = 0; w < page_pool_bitmap_words(npages); w++)
		bits[w] = 0;
	p->region[p->nregions++] = (struct page_region){base, npages, bits, 0};
	p->total_pages += npages;
	p->free_pages += npages;
	return 0;
}

u64 page_pool_reserve(struct page_pool *p, hpa_t base, u64 size)
{
	u64 end = base + size < base ? ~0ULL : base + size;
	u64 newly = 0;

	for (u32 k = 0; k < p->nregions; k++) {
		struct page_region *r = &p->region[k];
		hpa_t rend = r->base + r->npages * PAGE_SIZE;
		u64 first, last;

		if (end <= r->base || base >= rend)
			continue;
		first = base > r->base ? (base - r->base) / PAGE_SIZE : 0;
		last = end < rend ? (end - r->base + PAGE_SIZE - 1) / PAGE_SIZE : r->npages;
		for (u64 i = first; i < last; i++) {
			if (!page_used(r, i))
				newly++;
		}
		set_pages(r, first, last - first, true);
	}
	p->reserved_pages += newly;
	p->free_pages -= newly;
	return newly;
}

/* The first used page in [first, first+n), or first+n when all are free. */
static u64 first_used(const struct page_region *r, u64 first, u64 n)
{
	for (u64 i = first; i < first + n; i++) {
		if (i % 64 == 0 && i + 64 <= first + n && r->bits[i / 64] == 0) {
			i += 63;
			continue;
		}
		if (page_used(r, i))
			return i;
	}
	return first + n;
}

/* The first index >= i whose page is free, or npages. */
static u64 skip_used(const struct page_region *r, u64 i)
{
	while (i < r->npages) {
		if (i % 64 == 0 && r->bits[i / 64] == ~0ULL)
			i += 64;
		else if (page_used(r, i))
			i++;
		else
			return i;
	}
	return r->npages;
}

/* Searches one region for n free pages aligned to align inside [lo, hi). */
static hpa_t region_alloc(struct page_region *r, u64 n, u64 align, hpa_t lo, hpa_t hi)
{
	hpa_t start = r->base + r->hint * PAGE_SIZE;
	u64 limit = (hi - r->base) / PAGE_SIZE; /* index bound from hi */

	if (start < lo)
		start = lo;
	if (limit > r->npages)
		limit = r->npages;
	for (hpa_t pa = ALIGN_UP(start, align); pa >= start; pa = ALIGN_UP(pa, align)) {
		u64 i = (pa - r->base) / PAGE_SIZE, used;

		if (i >= limit || n > limit - i)
			return 0;
		used = first_used(r, i, n);
		if (used == i + n) {
			set_pages(r, i, n, true);
			if (i == r->hint)
				r->hint = skip_used(r, i + n);
			return pa;
		}
		pa = r->base + skip_used(r, used + 1) * PAGE_SIZE;
	}
	return 0;
}

hpa_t page_pool_alloc(struct page_pool *p, u64 npages, u64 align, unsigned int flags)
{
	hpa_t lo = flags & PAGE_BELOW_1M ? PAGE_SIZE : MM_1M;
	hpa_t hi = flags & PAGE_BELOW_1M ? MM_1M : flags & PAGE_BELOW_4G ? MM_4G : ~0ULL;

	if (!align)
		align = PAGE_SIZE;
	if (!npages || npages > p->free_pages || (align & (align - 1)) || align < PAGE_SIZE)
		return 0;
	for (u32 k = 0; k < p->nregions; k++) {
		struct page_region *r = &p->region[k];
		hpa_t pa;

		if (r->base >= hi || r->base + r->npages * PAGE_SIZE <= lo)
			continue;
		pa = region_alloc(r, npages, align, lo, hi);
		if (pa) {
			p->free_pages -= npages;
			return pa;
		}
	}
	return 0;
}

static struct page_region *region_of(struct page_pool *p, hpa_t pa, u64 npages)
{
	for (u32 k = 0; k < p->nregions; k++) {
		struct page_region *r = &p->region[k];

		if (pa >= r->base && (pa - r->base) / PAGE_SIZE < r->npages)
			return npages <= r->npages - (pa - r->base) / PAGE_SIZE ? r : NULL;
	}
	return NULL;
}

int page_pool_free(struct page_pool *p, hpa_t pa, u64 npages)
{
	struct page_region *r = region_of(p, pa, npages);
	u64 i;

	if (!r || !npages || !IS_ALIGNED(pa, PAGE_SIZE))
		return -EINVAL;
	i = (pa - r->base) / PAGE_SIZE;
	for (u64 k = i; k < i + npages; k++) {
		if (!page_used(r, k))
			return -EINVAL;
	}
	set_pages(r, i, npages, false);
	if (i < r->hint)
		r->hint = i;
	p->free_pages += npages;
	return 0;
}

void page_pool_for_each_free(const struct page_pool *p, page_run_fn fn, void *arg)
{
	for (u32 k = 0; k < p->nregions; k++) {
		const struct page_region *r = &p->region[k];
		u64 i = 0;

		while (i < r->npages) {
			u64 used = first_used(r, i, r->npages - i);
			if (used > i)
				fn(arg, r->base + i * PAGE_SIZE, (used - i) * PAGE_SIZE);
			i = used + 1;
		}
	}
}

bool page_pool_range_free(const struct page_pool *p, hpa_t base, u64 size)
{
	u64 end = base + size;

	if (end < base || !IS_ALIGNED(base | size, PAGE_SIZE))
		return false;
	for (hpa_t a = base; a < end;) {
		const struct page_region *r = NULL;
		for (u32 k = 0; k < p->nregions && !r; k++)
			if (a >= p->region[k].base &&
			    a < p->region[k].base + p->region[k].npages * PAGE_SIZE)
				r = &p->region[k];
		if (!r)
			return false;
		u64 first = (a - r->base) / PAGE_SIZE;
		u64 n = (end - a) / PAGE_SIZE;
		if (n > r->npages - first)
			n = r->npages - first;
		if (first_used(r, first, n) != first + n)
			return false;
		a += n * PAGE_SIZE;
	}
	return true;
}
