/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The page pool on made-up physical addresses (only its bitmaps are real
 * memory), then mm_init and page_alloc on a boot_info whose usable RAM is a
 * real mapping at a fixed low address.
 */
#define _GNU_SOURCE
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <cmocka.h>

#include <hv/errno.h>
#include <hv/mm.h>
#include <hv/printk.h>

/* mm.c logs through printk: print it, so a failing test shows the summary. */
void vprintk(int level, const char *fmt, va_list ap)
{
	vprintf(fmt, ap);
	putchar('\n');
}

void printk(int level, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vprintk(level, fmt, ap);
	va_end(ap);
}

#define LOW_END	 0x9f000ULL
#define MID_BASE 0x100000ULL
#define MID_END	 0x1000000ULL /* 16 MiB */
#define HIGH	 0x100000000ULL
#define HIGH_END (HIGH + 0x800000ULL)

static struct page_pool pool;

static void add(hpa_t base, hpa_t end)
{
	u64 n = (end - base) / PAGE_SIZE;
	u64 *bits = calloc(page_pool_bitmap_words(n), sizeof(u64));

	assert_non_null(bits);
	assert_int_equal(page_pool_add(&pool, base, n, bits), 0);
}

static int pool_setup(void **state)
{
	memset(&pool, 0, sizeof(pool));
	add(PAGE_SIZE, LOW_END);
	add(MID_BASE, MID_END);
	add(HIGH, HIGH_END);
	return 0;
}

static int pool_teardown(void **state)
{
	for (u32 k = 0; k < pool.nregions; k++)
		free(pool.region[k].bits);
	return 0;
}

static u64 pages(hpa_t base, hpa_t end)
{
	return (end - base) / PAGE_SIZE;
}

static void test_add_rejects_bad_regions(void **state)
{
	u64 bits[1];

	assert_int_equal(page_pool_add(&pool, 0x2000, 0, bits), -EINVAL);
	assert_int_equal(page_pool_add(&pool, HIGH_END + 0x800, 1, bits), -EINVAL);
	assert_int_equal(page_pool_add(&pool, HIGH, 1, bits), -EINVAL); /* overlaps, out of order */
	assert_int_equal(pool.total_pages, pages(PAGE_SIZE, LOW_END) + pages(MID_BASE, MID_END) +
						   pages(HIGH, HIGH_END));
}

static bool overlaps(hpa_t pa, u64 n, hpa_t base, hpa_t end)
{
	return pa < end && pa + n * PAGE_SIZE > base;
}

static void test_reservations_honoured(void **state)
{
	u64 total = pool.free_pages, got = 0;
	hpa_t pa;

	assert_int_equal(page_pool_reserve(&pool, 0x200000, 0x100000), 256);
	assert_int_equal(page_pool_reserve(&pool, 0x500010, 0x10), 1);	 /* rounds outward */
	assert_int_equal(page_pool_reserve(&pool, 0x200000, 0x1000), 0); /* already reserved */
	assert_int_equal(page_pool_reserve(&pool, 0x0, 0x2000), 1);	 /* partly outside */
	assert_int_equal(page_pool_reserve(&pool, HIGH_END - 0x1000, 0x100000), 1);
	assert_int_equal(pool.reserved_pages, 259);
	assert_int_equal(pool.free_pages, total - 259);
	while ((pa = page_pool_alloc(&pool, 1, 0, 0))) {
		assert_false(overlaps(pa, 1, 0x200000, 0x300000));
		assert_false(overlaps(pa, 1, 0x500000, 0x501000));
		assert_false(overlaps(pa, 1, HIGH_END - 0x1000, HIGH_END));
		assert_true(pa >= MM_1M);
		got++;
	}
	/* Everything except low memory (below 1 MiB) was handed out. */
	assert_int_equal(got, total - 259 - pages(PAGE_SIZE, LOW_END) + 1);
	assert_int_equal(pool.free_pages, pages(PAGE_SIZE, LOW_END) - 1);
}

struct runs {
	u32 n;
	hpa_t base[8];
	u64 size[8];
};

static void collect_run(void *arg, hpa_t base, u64 size)
{
	struct runs *r = arg;

	assert_true(r->n < 8);
	r->base[r->n] = base;
	r->size[r->n++] = size;
}

static void test_free_runs_and_range_check(void **state)
{
	struct runs r = {0};

	page_pool_reserve(&pool, 0x200000, 0x100000);
	page_pool_for_each_free(&pool, collect_run, &r);
	assert_int_equal(r.n, 4);
	assert_int_equal(r.base[0], PAGE_SIZE);
	assert_int_equal(r.size[0], LOW_END - PAGE_SIZE);
	assert_int_equal(r.base[1], MID_BASE);
	assert_int_equal(r.size[1], 0x200000 - MID_BASE);
	assert_int_equal(r.base[2], 0x300000);
	assert_int_equal(r.size[2], MID_END - 0x300000);
	assert_int_equal(r.base[3], HIGH);
	assert_true(page_pool_range_free(&pool, 0x300000, 0x100000));
	assert_false(page_pool_range_free(&pool, 0x1ff000, 0x2000)); /* ends in the reservation */
	assert_false(page_pool_range_free(&pool, MID_END - 0x1000, 0x2000)); /* leaves the pool */
	assert_false(page_pool_range_free(&pool, 0x300800, 0x1000));	     /* unaligned */
	assert_true(page_pool_range_free(&pool, HIGH, HIGH_END - HIGH));
}

static void test_alignment(void **state)
{
	hpa_t a = page_pool_alloc(&pool, 1, 0, 0);
	hpa_t b = page_pool_alloc(&pool, 3, SIZE_2M, 0);
	hpa_t c = page_pool_alloc(&pool, 16, 0x10000, 0);

	assert_int_equal(a, MM_1M);
	assert_int_equal(b, SIZE_2M);
	assert_int_equal(c, MM_1M + 0x10000);
	assert_int_equal(page_pool_alloc(&pool, 1, 0, 0), MM_1M + 0x1000);
	assert_int_equal(page_pool_alloc(&pool, 1, 0x3000, 0), 0);     /* not a power of two */
	assert_int_equal(page_pool_alloc(&pool, 1, 0x800, 0), 0);      /* below a page */
	assert_int_equal(page_pool_alloc(&pool, 0, 0, 0), 0);	       /* nothing */
	assert_int_equal(page_pool_alloc(&pool, 1, SIZE_1G, 0), HIGH); /* only 4 GiB is aligned */
	assert_int_equal(page_pool_alloc(&pool, 1, BIT64(63), 0), 0);
}

static void test_below_1m_and_4g(void **state)
{
	u64 low = 0, below4g = 0;
	hpa_t pa;

	while ((pa = page_pool_alloc(&pool, 1, 0, PAGE_BELOW_1M))) {
		assert_true(pa >= PAGE_SIZE && pa + PAGE_SIZE <= MM_1M);
		low++;
	}
	assert_int_equal(low, pages(PAGE_SIZE, LOW_END));
	while ((pa = page_pool_alloc(&pool, 2, 0, PAGE_BELOW_4G))) {
		assert_true(pa >= MM_1M && pa + 2 * PAGE_SIZE <= MM_4G);
		below4g++;
	}
	assert_int_equal(below4g, pages(MID_BASE, MID_END) / 2);
	/* Low and below-4G memory is gone; the rest is above 4 GiB. */
	assert_int_equal(page_pool_alloc(&pool, 1, 0, 0), HIGH);
	assert_int_equal(page_pool_alloc(&pool, 1, 0, PAGE_BELOW_4G), 0);
}

static void test_exhaustion(void **state)
{
	u64 high = pages(HIGH, HIGH_END);

	assert_int_equal(page_pool_alloc(&pool, pool.free_pages + 1, 0, 0), 0);
	/* No run of this length exists anywhere. */
	assert_int_equal(page_pool_alloc(&pool, pages(MID_BASE, MID_END) + 1, 0, 0), 0);
	assert_int_equal(page_pool_alloc(&pool, high + 1, 0, 0), MID_BASE);
	assert_int_equal(page_pool_free(&pool, MID_BASE, high + 1), 0);
	assert_int_equal(page_pool_alloc(&pool, pages(MID_BASE, MID_END), 0, 0), MID_BASE);
	assert_int_equal(page_pool_alloc(&pool, high, 0, 0), HIGH);
	assert_int_equal(page_pool_alloc(&pool, 1, 0, 0), 0);
	assert_int_equal(pool.free_pages, pages(PAGE_SIZE, LOW_END));
}

static void test_free_and_reuse(void **state)
{
	hpa_t a = page_pool_alloc(&pool, 4, 0, 0);
	hpa_t b = page_pool_alloc(&pool, 4, 0, 0);
	u64 free_before = pool.free_pages;

	assert_int_equal(b, a + 4 * PAGE_SIZE);
	assert_int_equal(page_pool_free(&pool, a, 4), 0);
	assert_int_equal(pool.free_pages, free_before + 4);
	assert_int_equal(page_pool_alloc(&pool, 2, 0, 0), a);
	assert_int_equal(page_pool_alloc(&pool, 2, 0, 0), a + 2 * PAGE_SIZE);
	assert_int_equal(page_pool_alloc(&pool, 1, 0, 0), b + 4 * PAGE_SIZE);
	/* Freeing what is not allocated changes nothing. */
	assert_int_equal(page_pool_free(&pool, b + 4 * PAGE_SIZE, 2), -EINVAL);
	assert_int_equal(page_pool_free(&pool, a + 0x800, 1), -EINVAL);
	assert_int_equal(page_pool_free(&pool, 0x50000000, 1), -EINVAL);
	assert_int_equal(page_pool_free(&pool, MID_END - PAGE_SIZE, 2), -EINVAL);
	assert_int_equal(page_pool_free(&pool, a, 0), -EINVAL);
	assert_int_equal(page_pool_free(&pool, b, 4), 0);
	assert_int_equal(page_pool_free(&pool, b, 4), -EINVAL); /* double free */
	/* A freed hole too small for a request is skipped, and reused when it fits. */
	assert_int_equal(page_pool_alloc(&pool, 5, 0, 0), b + 5 * PAGE_SIZE);
	assert_int_equal(page_pool_alloc(&pool, 4, 0, 0), b);
}

/* ---- mm_init over a real mapping ------------------------------------------- */

#define RAM_BASE 0x40000000ULL /* 1 GiB: free in a 64-bit Linux process */
#define RAM_SIZE 0x2000000ULL  /* 32 MiB */
#define RAM_END	 (RAM_BASE + RAM_SIZE)

static struct boot_info bi;
static bool ram_mapped;

static void add_range(hpa_t base, u64 len, u32 type)
{
	bi.mmap[bi.mmap_count++] = (struct boot_mem_range){base, len, type};
}

static int mm_setup(void **state)
{
	void *p = mmap((void *)RAM_BASE, RAM_SIZE, PROT_READ | PROT_WRITE,
		       MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED_NOREPLACE, -1, 0);

	ram_mapped = p == (void *)RAM_BASE;
	if (!ram_mapped)
		return 0; /* the address is taken in this process: the tests skip */
	memset(p, 0xaa, RAM_SIZE);
	memset(&bi, 0, sizeof(bi));
	add_range(0, 0x9fc00, BOOT_MEM_USABLE); /* not real memory: never touched */
	add_range(0x9fc00, 0x400, BOOT_MEM_RESERVED);
	add_range(0xf0000, 0x10000, BOOT_MEM_RESERVED);
	add_range(RAM_BASE, RAM_SIZE, BOOT_MEM_USABLE);
	add_range(0xfec00000, 0x1000, BOOT_MEM_RESERVED);
	/* The image and two files at the top, where the bitmaps would otherwise go. */
	bi.image_base = RAM_END - 0x100000;
	bi.image_size = 0xff000;
	bi.file_count = 2;
	bi.files[0] = (struct boot_file){"bulkhead.cfg", RAM_END - 0x200000, 0x123};
	bi.files[1] = (struct boot_file){"guest.bin", RAM_END - 0x180000, 0x80001};
	bi.config_found = true;
	bi.config_addr = bi.files[0].addr;
	bi.config_size = bi.files[0].size;
	return 0;
}

static int mm_teardown(void **state)
{
	if (ram_mapped)
		munmap((void *)RAM_BASE, RAM_SIZE);
	return 0;
}

static void test_mm_init_reserves_boot_regions(void **state)
{
	struct mm_stats st;
	const struct boot_mem_range *map;
	u32 n;
	hpa_t pa;
	u64 got = 0;

	if (!ram_mapped)
		skip();
	assert_int_equal(mm_init(&bi), 0);
	map = mm_memmap(&n);
	assert_int_equal(n, 5);
	assert_int_equal(map[0].base + map[0].length, 0x9f000);
	assert_string_equal(mm_type_name(map[3].type), "usable");
	mm_get_stats(&st);
	assert_int_equal(st.usable_pages, 0x9f + RAM_SIZE / PAGE_SIZE);
	assert_int_equal(st.free_pages, st.usable_pages - st.reserved_pages);

	/* The first allocation with PAGE_ZERO comes from the real RAM, zeroed. */
	pa = page_alloc(2, 0, PAGE_ZERO);
	assert_int_equal(pa, RAM_BASE);
	for (u64 i = 0; i < 2 * PAGE_SIZE; i++)
		assert_int_equal(((u8 *)phys_to_virt(pa))[i], 0);
	page_free(pa, 2);

	while ((pa = page_alloc(1, 0, 0))) {
		assert_true(pa >= RAM_BASE && pa < RAM_END);
		assert_false(overlaps(pa, 1, bi.image_base, bi.image_base + bi.image_size));
		assert_false(overlaps(pa, 1, bi.files[0].addr, bi.files[0].addr + 0x123));
		assert_false(overlaps(pa, 1, bi.files[1].addr, bi.files[1].addr + 0x80001));
		got++;
	}
	/*
	 * Image 255 pages, files 1 + 129 of which the last is the image's first
	 * (counted once), bitmaps 1 page (8351 bits), page 0.
	 */
	assert_int_equal(st.reserved_pages, 255 + 1 + 128 + 1 + 1);
	assert_int_equal(got, RAM_SIZE / PAGE_SIZE - 255 - 129 - 1);
	/* Low memory only for the trampoline, never page 0. */
	pa = page_alloc(1, 0, PAGE_BELOW_1M);
	assert_int_equal(pa, PAGE_SIZE);
	assert_int_equal(page_alloc(1, 0, PAGE_BELOW_4G), 0);
}

static void test_mm_init_without_room(void **state)
{
	/* All usable RAM above 4 GiB: nowhere for the bitmaps a 32-bit boot can reach. */
	memset(&bi, 0, sizeof(bi));
	add_range(HIGH, 0x100000, BOOT_MEM_USABLE);
	assert_int_equal(mm_init(&bi), -ENOMEM);
	bi.mmap_count = 0;
	assert_int_equal(mm_init(&bi), -ENOMEM);
}

int main(void)
{
	const struct CMUnitTest pool_tests[] = {
		cmocka_unit_test_setup_teardown(test_add_rejects_bad_regions, pool_setup,
						pool_teardown),
		cmocka_unit_test_setup_teardown(test_reservations_honoured, pool_setup,
						pool_teardown),
		cmocka_unit_test_setup_teardown(test_alignment, pool_setup, pool_teardown),
		cmocka_unit_test_setup_teardown(test_free_runs_and_range_check, pool_setup,
						pool_teardown),
		cmocka_unit_test_setup_teardown(test_below_1m_and_4g, pool_setup, pool_teardown),
		cmocka_unit_test_setup_teardown(test_exhaustion, pool_setup, pool_teardown),
		cmocka_unit_test_setup_teardown(test_free_and_reuse, pool_setup, pool_teardown),
	};
	const struct CMUnitTest mm_tests[] = {
		cmocka_unit_test(test_mm_init_reserves_boot_regions),
		cmocka_unit_test(test_mm_init_without_room),
	};
	int failed = cmocka_run_group_tests(pool_tests, NULL, NULL);

	return failed | cmocka_run_group_tests(mm_tests, mm_setup, mm_teardown);
}
