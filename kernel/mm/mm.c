/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Boot-time set-up of physical memory: the normalised map, and the page pool
 * over its usable RAM with everything the boot left behind reserved.
 *
 * The pool's bitmaps live in usable RAM below 4 GiB (the multiboot2 entry's
 * boot page tables map only the first 4 GiB until host paging is up) and
 * above 1 MiB, as high as possible to leave low memory to callers that need
 * it. The first 1 MiB is never handed out except to PAGE_BELOW_1M callers,
 * and page 0 never.
 */
#include <hv/errno.h>
#include <hv/mm.h>
#include <hv/printk.h>
#include <hv/spinlock.h>
#include <hv/string.h>

static struct boot_mem_range mm_map[BOOT_MAX_MMAP];
static u32 mm_map_count;
static struct page_pool pool;
static spinlock_t pool_lock = SPINLOCK_INIT;

static const char *const type_names[] = {
	[BOOT_MEM_USABLE] = "usable",	       [BOOT_MEM_RESERVED] = "reserved",
	[BOOT_MEM_ACPI_RECLAIM] = "ACPI data", [BOOT_MEM_ACPI_NVS] = "ACPI NVS",
	[BOOT_MEM_UNUSABLE] = "unusable",      [BOOT_MEM_FIRMWARE] = "firmware runtime",
	[BOOT_MEM_LOADED] = "loaded",
};

const char *mm_type_name(u32 type)
{
	return type < ARRAY_SIZE(type_names) && type_names[type] ? type_names[type] : "unknown";
}

const struct boot_mem_range *mm_memmap(u32 *count)
{
	*count = mm_map_count;
	return mm_map;
}

/* A size for humans: the largest unit that keeps at least one whole digit group. */
static void log_range(const struct boot_mem_range *r)
{
	static const char *const units[] = {"B", "KiB", "MiB", "GiB", "TiB"};
	u64 size = r->length;
	unsigned int u = 0;

	while (u + 1 < ARRAY_SIZE(units) && size >= 10 * 1024) {
		size /= 1024;
		u++;
	}
	pr_info("mm: %016llx-%016llx %6llu %s %s", (unsigned long long)r->base,
		(unsigned long long)(r->base + r->length - 1), (unsigned long long)size, units[u],
		mm_type_name(r->type));
}

/* Calls fn for each region the boot path says is occupied: image, files, configuration. */
static void for_each_boot_region(const struct boot_info *bi,
				 void (*fn)(void *arg, hpa_t base, u64 size), void *arg)
{
	fn(arg, bi->image_base, bi->image_size);
	for (u32 i = 0; i < bi->file_count && i < BOOT_MAX_FILES; i++)
		fn(arg, bi->files[i].addr, bi->files[i].size);
	if (bi->config_found)
		fn(arg, bi->config_addr, bi->config_size);
}

struct overlap {
	hpa_t base, end; /* the window being tested */
	hpa_t lowest;	 /* lowest start of an occupied region overlapping it; end if none */
};

static void note_overlap(void *arg, hpa_t base, u64 size)
{
	struct overlap *o = arg;
	hpa_t b = ALIGN_DOWN(base, PAGE_SIZE);
	hpa_t e = base + size;

	if (size && b < o->end && e > o->base && b < o->lowest)
		o->lowest = b;
}

/* The highest page-aligned window of bytes within r, between 1 MiB and 4 GiB, clear of boot
 * regions. */
static hpa_t fit_below_4g(const struct boot_info *bi, const struct boot_mem_range *r, u64 bytes)
{
	hpa_t lo = r->base < MM_1M ? MM_1M : r->base;
	hpa_t top = r->base + r->length > MM_4G ? MM_4G : r->base + r->length;

	while (top >= lo + bytes) {
		struct overlap o = {top - bytes, top, top};

		for_each_boot_region(bi, note_overlap, &o);
		if (o.lowest == top)
			return o.base;
		top = o.lowest;
	}
	return 0;
}

static hpa_t find_bitmap_home(const struct boot_info *bi, u64 bytes)
{
	for (u32 i = mm_map_count; i-- > 0;) {
		hpa_t home;

		if (mm_map[i].type != BOOT_MEM_USABLE)
			continue;
		home = fit_below_4g(bi, &mm_map[i], bytes);
		if (home)
			return home;
	}
	return 0;
}

static u64 bitmap_bytes(void)
{
	u64 words = 0;

	for (u32 i = 0; i < mm_map_count; i++) {
		if (mm_map[i].type == BOOT_MEM_USABLE)
			words += page_pool_bitmap_words(mm_map[i].length / PAGE_SIZE);
	}
	return ALIGN_UP(words * sizeof(u64), PAGE_SIZE);
}

static int pool_add_usable(u64 *bits)
{
	for (u32 i = 0; i < mm_map_count; i++) {
		const struct boot_mem_range *r = &mm_map[i];
		int rc;

		if (r->type != BOOT_MEM_USABLE)
			continue;
		rc = page_pool_add(&pool, r->base, r->length / PAGE_SIZE, bits);
		if (rc)
			return rc;
		bits += page_pool_bitmap_words(r->length / PAGE_SIZE);
	}
	return 0;
}

static void reserve_region(void *arg, hpa_t base, u64 size)
{
	if (size)
		page_pool_reserve(&pool, base, size);
}

static int pool_init(const struct boot_info *bi)
{
	u64 bytes = bitmap_bytes();
	hpa_t home;
	int rc;

	memset(&pool, 0, sizeof(pool));
	if (!bytes) {
		pr_err("mm: no usable RAM in the memory map");
		return -ENOMEM;
	}
	home = find_bitmap_home(bi, bytes);
	if (!home) {
		pr_err("mm: no room below 4 GiB for %llu KiB of page bitmaps",
		       (unsigned long long)(bytes / 1024));
		return -ENOMEM;
	}
	rc = pool_add_usable(phys_to_virt(home));
	if (rc)
		return rc;
	page_pool_reserve(&pool, home, bytes);
	page_pool_reserve(&pool, 0, PAGE_SIZE); /* page 0: real-mode IVT, and a null pointer */
	for_each_boot_region(bi, reserve_region, NULL);
	pr_info("mm: page bitmaps at %#llx, %llu KiB", (unsigned long long)home,
		(unsigned long long)(bytes / 1024));
	return 0;
}

static void log_totals(void)
{
	pr_info("mm: %llu MiB usable, %llu KiB reserved (image, files, bitmaps), %llu MiB free",
		(unsigned long long)(pool.total_pages * PAGE_SIZE >> 20),
		(unsigned long long)(pool.reserved_pages * PAGE_SIZE >> 10),
		(unsigned long long)(pool.free_pages * PAGE_SIZE >> 20));
}

int mm_init(struct boot_info *bi)
{
	int n = memmap_normalize(bi->mmap,
				 bi->mmap_count < BOOT_MAX_MMAP ? bi->mmap_count : BOOT_MAX_MMAP,
				 mm_map, BOOT_MAX_MMAP);

	if (n < 0) {
		pr_err("mm: memory map has too many distinct ranges");
		return n;
	}
	mm_map_count = (u32)n;
	pr_info("mm: memory map, %u ranges (%u from the boot path)", mm_map_count, bi->mmap_count);
	for (u32 i = 0; i < mm_map_count; i++)
		log_range(&mm_map[i]);
	n = pool_init(bi);
	if (n)
		return n;
	log_totals();
	return 0;
}

hpa_t page_alloc(size_t npages, u64 align, unsigned int flags)
{
	hpa_t pa;

	spin_lock(&pool_lock);
	pa = page_pool_alloc(&pool, npages, align, flags);
	spin_unlock(&pool_lock);
	if (pa && (flags & PAGE_ZERO))
		memset(phys_to_virt(pa), 0, npages * PAGE_SIZE);
	return pa;
}

void page_free(hpa_t pa, size_t npages)
{
	int rc;

	spin_lock(&pool_lock);
	rc = page_pool_free(&pool, pa, npages);
	spin_unlock(&pool_lock);
	if (rc)
		pr_err("mm: bad page_free(%#llx, %zu)", (unsigned long long)pa, npages);
}

void mm_get_stats(struct mm_stats *st)
{
	spin_lock(&pool_lock);
	st->usable_pages = pool.total_pages;
	st->reserved_pages = pool.reserved_pages;
	st->free_pages = pool.free_pages;
	spin_unlock(&pool_lock);
}

void mm_for_each_free(page_run_fn fn, void *arg)
{
	spin_lock(&pool_lock);
	page_pool_for_each_free(&pool, fn, arg);
	spin_unlock(&pool_lock);
}

int mm_claim(hpa_t base, u64 size)
{
	int ret = -EBUSY;

	spin_lock(&pool_lock);
	if (page_pool_range_free(&pool, base, size)) {
		page_pool_reserve(&pool, base, size);
		ret = 0;
	}
	spin_unlock(&pool_lock);
	return ret;
}
