/* SPDX-License-Identifier: Apache-2.0 */
/* The generic page-table walker on malloc'd tables, in every format. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <cmocka.h>

#include <arch/paging.h>
#include <hv/errno.h>

/* Table pages from the C heap, with a limit to provoke exhaustion. */
struct heap {
	long live;  /* table pages currently allocated */
	long limit; /* allocations allowed before failing; negative: unlimited */
};

static hpa_t heap_alloc(void *ctx)
{
	struct heap *h = ctx;
	void *p;

	if (h->limit == 0)
		return 0;
	if (h->limit > 0)
		h->limit--;
	p = aligned_alloc(PAGE_SIZE, PAGE_SIZE);
	assert_non_null(p);
	h->live++;
	return (hpa_t)(uintptr_t)p;
}

static void heap_free(void *ctx, hpa_t t)
{
	struct heap *h = ctx;

	h->live--;
	free((void *)(uintptr_t)t);
}

static void *heap_p2v(void *ctx, hpa_t t)
{
	return (void *)(uintptr_t)t;
}

static struct heap heap;
static const struct pt_mem heap_mem = {heap_alloc, heap_free, heap_p2v, &heap};

static const struct pt_format *const formats[] = {&pt_format_x86_64, &pt_format_npt,
						  &pt_format_ept};

static void new_pt(struct pt *pt, const struct pt_format *fmt)
{
	heap.live = 0;
	heap.limit = -1;
	assert_int_equal(pt_init(pt, fmt, &heap_mem), 0);
	assert_int_equal(heap.live, 1);
}

static void end_pt(struct pt *pt)
{
	pt_destroy(pt);
	assert_int_equal(heap.live, 0); /* no table leaked */
}

/* The raw entry that translates va at `level` (walking the format's table entries). */
static u64 raw_entry(const struct pt *pt, u64 va, unsigned int level)
{
	const u64 *t = (const u64 *)(uintptr_t)pt->root;

	for (unsigned int l = pt->fmt->levels - 1; l > level; l--)
		t = (const u64 *)(uintptr_t)pt->fmt->addr(t[(va >> (12 + 9 * l)) & 511]);
	return t[(va >> (12 + 9 * level)) & 511];
}

static void expect_map(const struct pt *pt, u64 va, hpa_t pa, u64 size, unsigned int attrs)
{
	struct pt_mapping m;

	assert_int_equal(pt_lookup(pt, va, &m), 0);
	assert_int_equal(m.pa, pa);
	assert_int_equal(m.size, size);
	assert_int_equal(m.attrs, attrs);
}

static unsigned int npt_user(const struct pt *pt)
{
	return pt->fmt == &pt_format_npt ? PT_USER : 0;
}

static void test_map_lookup_4k(void **state)
{
	for (size_t i = 0; i < ARRAY_SIZE(formats); i++) {
		struct pt pt;
		struct pt_mapping m;
		unsigned int a;

		new_pt(&pt, formats[i]);
		a = PT_RW | npt_user(&pt);
		assert_int_equal(pt_map(&pt, 0x7000, 0x123456000ULL, 0x2000, PT_RW), 0);
		expect_map(&pt, 0x7000, 0x123456000ULL, PAGE_SIZE, a);
		expect_map(&pt, 0x8abc, 0x123457abcULL, PAGE_SIZE, a);
		assert_int_equal(pt_lookup(&pt, 0x6fff, &m), -ENOENT);
		assert_int_equal(pt_lookup(&pt, 0x9000, &m), -ENOENT);
		assert_int_equal(pt_lookup(&pt, 0x7f0000000000ULL, &m), -ENOENT);
		assert_int_equal(pt_unmap(&pt, 0x7000, 0x2000), 0);
		assert_int_equal(pt_lookup(&pt, 0x7000, &m), -ENOENT);
		assert_int_equal(heap.live, 1); /* emptied tables were freed */
		end_pt(&pt);
	}
}

struct census {
	unsigned int n[3]; /* leaves per level */
	u64 last_end;
	bool ordered;
};

static int count_leaf(void *arg, const struct pt_mapping *m)
{
	struct census *c = arg;

	c->n[m->level]++;
	if (m->va < c->last_end)
		c->ordered = false;
	c->last_end = m->va + m->size;
	return 0;
}

static struct census census(const struct pt *pt)
{
	struct census c = {.ordered = true};

	assert_int_equal(pt_walk(pt, count_leaf, &c), 0);
	assert_true(c.ordered);
	return c;
}

static void test_large_pages_when_aligned(void **state)
{
	for (size_t i = 0; i < ARRAY_SIZE(formats); i++) {
		struct pt pt;
		struct census c;
		unsigned int a;

		new_pt(&pt, formats[i]);
		a = PT_RW | npt_user(&pt);
		/* 4 KiB up to 2 MiB, 2 MiB up to 1 GiB, one 1 GiB page, two 2 MiB, a 4 KiB tail. */
		assert_int_equal(pt_map(&pt, SIZE_2M - 0x3000, SIZE_2M - 0x3000,
					SIZE_1G * 2 + SIZE_2M + 0x4000, PT_RW),
				 0);
		c = census(&pt);
		assert_int_equal(c.n[0], 3 + 1);
		assert_int_equal(c.n[1], 511 + 2);
		assert_int_equal(c.n[2], 1);
		expect_map(&pt, SIZE_1G + 0x1234, SIZE_1G + 0x1234, SIZE_1G, a);
		expect_map(&pt, SIZE_2M * 5, SIZE_2M * 5, SIZE_2M, a);
		/* Aligned va but misaligned pa: no large page. */
		assert_int_equal(pt_map(&pt, SIZE_1G * 8, SIZE_1G * 8 + 0x1000, SIZE_2M, PT_RW), 0);
		expect_map(&pt, SIZE_1G * 8, SIZE_1G * 8 + 0x1000, PAGE_SIZE, a);
		end_pt(&pt);
	}
}

static void test_leaf_levels_narrowed(void **state)
{
	struct pt pt;
	struct census c;

	new_pt(&pt, &pt_format_x86_64);
	assert_int_equal(pt_set_leaf_levels(&pt, BIT(0) | BIT(2)), -EINVAL);
	assert_int_equal(pt_set_leaf_levels(&pt, BIT(1)), -EINVAL);
	assert_int_equal(pt_set_leaf_levels(&pt, 0xf), -EINVAL);
	assert_int_equal(pt_set_leaf_levels(&pt, BIT(0) | BIT(1)), 0);
	assert_int_equal(pt_map(&pt, 0, 0, SIZE_1G, PT_RW), 0);
	c = census(&pt);
	assert_int_equal(c.n[2], 0);
	assert_int_equal(c.n[1], 512);
	end_pt(&pt);
}

static void test_split_large_page(void **state)
{
	for (size_t i = 0; i < ARRAY_SIZE(formats); i++) {
		struct pt pt;
		struct census c;
		unsigned int u;
		u64 va = SIZE_1G * 3;

		new_pt(&pt, formats[i]);
		u = npt_user(&pt);
		assert_int_equal(pt_map(&pt, va, 0x40000000000ULL, SIZE_1G, PT_RW), 0);
		/* A read-only executable page in the middle keeps everything else. */
		assert_int_equal(pt_map(&pt, va + SIZE_2M * 7 + 0x5000, 0x9000, PAGE_SIZE,
					PT_READ | PT_EXEC),
				 0);
		expect_map(&pt, va + SIZE_2M * 7 + 0x5000, 0x9000, PAGE_SIZE,
			   PT_READ | PT_EXEC | u);
		expect_map(&pt, va + SIZE_2M * 7 + 0x4000, 0x40000000000ULL + SIZE_2M * 7 + 0x4000,
			   PAGE_SIZE, PT_RW | u);
		expect_map(&pt, va + SIZE_2M * 8, 0x40000000000ULL + SIZE_2M * 8, SIZE_2M,
			   PT_RW | u);
		expect_map(&pt, va, 0x40000000000ULL, SIZE_2M, PT_RW | u);
		c = census(&pt);
		assert_int_equal(c.n[0], 512);
		assert_int_equal(c.n[1], 511);
		assert_int_equal(heap.live, 4); /* root, PDPT, PD, PT */
		/* Remapping the whole 1 GiB collapses it again and frees the split tables. */
		assert_int_equal(pt_map(&pt, va, 0, SIZE_1G, PT_RW), 0);
		assert_int_equal(heap.live, 2);
		expect_map(&pt, va + 0x5000, 0x5000, SIZE_1G, PT_RW | u);
		end_pt(&pt);
	}
}

static void test_unmap_splits_and_frees(void **state)
{
	struct pt pt;
	struct pt_mapping m;
	struct census c;

	new_pt(&pt, &pt_format_ept);
	assert_int_equal(pt_map(&pt, 0, 0, SIZE_1G, PT_RWX), 0);
	assert_int_equal(pt_unmap(&pt, SIZE_2M + 0x3000, 0x2000), 0);
	assert_int_equal(pt_lookup(&pt, SIZE_2M + 0x3000, &m), -ENOENT);
	assert_int_equal(pt_lookup(&pt, SIZE_2M + 0x4fff, &m), -ENOENT);
	expect_map(&pt, SIZE_2M + 0x5000, SIZE_2M + 0x5000, PAGE_SIZE, PT_RWX);
	expect_map(&pt, SIZE_2M + 0x2000, SIZE_2M + 0x2000, PAGE_SIZE, PT_RWX);
	c = census(&pt);
	assert_int_equal(c.n[0], 510);
	assert_int_equal(c.n[1], 511);
	/* Unmapping more than is mapped is fine; everything goes, tables too. */
	assert_int_equal(pt_unmap(&pt, 0, SIZE_1G * 4), 0);
	assert_int_equal(heap.live, 1);
	c = census(&pt);
	assert_int_equal(c.n[0] + c.n[1] + c.n[2], 0);
	assert_int_equal(pt_unmap(&pt, 0, PAGE_SIZE), 0);
	end_pt(&pt);
}

/* SDM Vol. 3A 4.5: P 0, R/W 1, U/S 2, PWT 3, PCD 4, PS 7, XD 63, address 51:12. */
static void test_x86_encoding(void **state)
{
	struct pt pt;
	u64 e;

	new_pt(&pt, &pt_format_x86_64);
	assert_int_equal(pt_map(&pt, 0x5000, 0xfee00000ULL, PAGE_SIZE, PT_RW | PT_CACHE_UC), 0);
	e = raw_entry(&pt, 0x5000, 0);
	assert_int_equal(e, 0xfee00000ULL | BIT64(0) | BIT64(1) | BIT64(3) | BIT64(4) | BIT64(63));
	e = raw_entry(&pt, 0x5000, 1); /* a table entry: P, R/W, U/S, no PS */
	assert_int_equal(e & 0xfff, BIT64(0) | BIT64(1) | BIT64(2));
	assert_int_equal(e >> 63, 0);

	assert_int_equal(pt_map(&pt, SIZE_2M, SIZE_2M, SIZE_2M, PT_READ | PT_EXEC | PT_CACHE_WT),
			 0);
	e = raw_entry(&pt, SIZE_2M, 1);
	assert_int_equal(e, SIZE_2M | BIT64(0) | BIT64(3) | BIT64(7));
	assert_int_equal(pt_map(&pt, SIZE_1G, 0x3c0000000ULL, SIZE_1G, PT_RW | PT_USER), 0);
	e = raw_entry(&pt, SIZE_1G, 2);
	assert_int_equal(e, 0x3c0000000ULL | BIT64(0) | BIT64(1) | BIT64(2) | BIT64(7) | BIT64(63));
	end_pt(&pt);
}

/* APM Vol. 2 15.25.5: nested page table accesses are user accesses, so U/S is set everywhere. */
static void test_npt_encoding(void **state)
{
	struct pt pt;

	new_pt(&pt, &pt_format_npt);
	assert_int_equal(pt_map(&pt, 0, 0x100000, PAGE_SIZE, PT_RWX), 0);
	assert_int_equal(raw_entry(&pt, 0, 0), 0x100000 | BIT64(0) | BIT64(1) | BIT64(2));
	for (unsigned int l = 1; l < 4; l++)
		assert_true(raw_entry(&pt, 0, l) & BIT64(2));
	end_pt(&pt);
}

/* SDM Vol. 3C EPT: R 0, W 1, X 2, memory type 5:3, ignore PAT 6, large page 7. */
static void test_ept_encoding(void **state)
{
	struct pt pt;
	u64 e;

	new_pt(&pt, &pt_format_ept);
	assert_int_equal(pt_map(&pt, 0x1000, 0x2000, PAGE_SIZE, PT_RWX), 0);
	assert_int_equal(raw_entry(&pt, 0x1000, 0), 0x2000 | 0x7 | (6 << 3)); /* WB = 6 */
	e = raw_entry(&pt, 0x1000, 1);
	assert_int_equal(e & 0xfff, 0x7); /* table: RWX, no memory type, no PS */
	assert_int_equal(
		pt_map(&pt, SIZE_2M, 0xc0000000ULL, SIZE_2M, PT_READ | PT_CACHE_UC | PT_IGNORE_PAT),
		0);
	assert_int_equal(raw_entry(&pt, SIZE_2M, 1), 0xc0000000ULL | 0x1 | BIT64(6) | BIT64(7));
	assert_int_equal(pt_map(&pt, SIZE_1G, SIZE_1G, SIZE_1G, PT_RW | PT_CACHE_WC), 0);
	assert_int_equal(raw_entry(&pt, SIZE_1G, 2), SIZE_1G | 0x3 | (1 << 3) | BIT64(7));
	assert_int_equal(pt_map(&pt, 0x3000, 0x3000, PAGE_SIZE, PT_READ | PT_CACHE_WT), 0);
	assert_int_equal(raw_entry(&pt, 0x3000, 0), 0x3000 | 0x1 | (4 << 3));
	assert_int_equal(pt_map(&pt, 0x4000, 0x4000, PAGE_SIZE, PT_READ | PT_CACHE_WP), 0);
	assert_int_equal(raw_entry(&pt, 0x4000, 0), 0x4000 | 0x1 | (5 << 3));
	/* Execute-only is expressible (present through X alone). */
	assert_int_equal(pt_map(&pt, 0x5000, 0x5000, PAGE_SIZE, PT_EXEC), 0);
	assert_int_equal(raw_entry(&pt, 0x5000, 0), 0x5000 | 0x4 | (6 << 3));
	expect_map(&pt, 0x5000, 0x5000, PAGE_SIZE, PT_EXEC);
	expect_map(&pt, SIZE_2M + 8, 0xc0000008ULL, SIZE_2M, PT_READ | PT_CACHE_UC | PT_IGNORE_PAT);
	end_pt(&pt);
}

static void test_bad_input_rejected(void **state)
{
	for (size_t i = 0; i < ARRAY_SIZE(formats); i++) {
		struct pt pt;
		struct pt_mapping m;

		new_pt(&pt, formats[i]);
		assert_int_equal(pt_map(&pt, 0x1001, 0x1000, PAGE_SIZE, PT_RW), -EINVAL);
		assert_int_equal(pt_map(&pt, 0x1000, 0x1800, PAGE_SIZE, PT_RW), -EINVAL);
		assert_int_equal(pt_map(&pt, 0x1000, 0x1000, 0x800, PT_RW), -EINVAL);
		assert_int_equal(pt_map(&pt, 0x1000, 0x1000, 0, PT_RW), -EINVAL);
		assert_int_equal(pt_map(&pt, ~0xfffULL, 0, PAGE_SIZE * 2, PT_RW), -ERANGE);
		assert_int_equal(pt_map(&pt, BIT64(48) - PAGE_SIZE, 0, PAGE_SIZE * 2, PT_RW),
				 -ERANGE);
		assert_int_equal(pt_map(&pt, BIT64(48), 0, PAGE_SIZE, PT_RW), -ERANGE);
		assert_int_equal(pt_map(&pt, 0, ~0xfffULL, PAGE_SIZE * 2, PT_RW), -ERANGE);
		assert_int_equal(pt_map(&pt, 0, BIT64(52), PAGE_SIZE, PT_RW), -ERANGE);
		assert_int_equal(pt_map(&pt, 0, 0, PAGE_SIZE, PT_WRITE), -ENOTSUP);
		assert_int_equal(pt_map(&pt, 0, 0, PAGE_SIZE, PT_RW | (7U << PT_CACHE_SHIFT)),
				 -ENOTSUP);
		assert_int_equal(pt_unmap(&pt, 0x1800, PAGE_SIZE), -EINVAL);
		assert_int_equal(pt_unmap(&pt, 0x1000, 0), -EINVAL);
		assert_int_equal(pt_unmap(&pt, ~0xfffULL, PAGE_SIZE * 2), -ERANGE);
		assert_int_equal(pt_lookup(&pt, BIT64(48), &m), -ERANGE);
		/* The top of the input space is usable. */
		assert_int_equal(pt_map(&pt, BIT64(48) - PAGE_SIZE, 0, PAGE_SIZE, PT_RW), 0);
		assert_int_equal(pt_lookup(&pt, BIT64(48) - 1, &m), 0);
		assert_int_equal(heap.live, 4);
		end_pt(&pt);
	}
}

static void test_format_specific_attrs(void **state)
{
	struct pt pt;

	new_pt(&pt, &pt_format_x86_64);
	assert_int_equal(pt_map(&pt, 0, 0, PAGE_SIZE, PT_RW | PT_CACHE_WC), -ENOTSUP);
	assert_int_equal(pt_map(&pt, 0, 0, PAGE_SIZE, PT_RW | PT_IGNORE_PAT), -ENOTSUP);
	assert_int_equal(pt_map(&pt, 0, 0, PAGE_SIZE, PT_EXEC), -ENOTSUP);
	end_pt(&pt);
	new_pt(&pt, &pt_format_ept);
	assert_int_equal(pt_map(&pt, 0, 0, PAGE_SIZE, PT_WRITE | PT_EXEC), -ENOTSUP);
	assert_int_equal(pt_map(&pt, 0, 0, PAGE_SIZE, PT_RW | PT_USER), -ENOTSUP);
	assert_int_equal(pt_map(&pt, 0, 0, PAGE_SIZE, 0), -ENOTSUP);
	assert_int_equal(heap.live, 1);
	end_pt(&pt);
}

static void test_allocator_exhaustion(void **state)
{
	for (size_t i = 0; i < ARRAY_SIZE(formats); i++) {
		struct pt pt;
		struct pt_mapping m;

		new_pt(&pt, formats[i]);
		heap.limit = 2; /* PDPT and PD, but no page table */
		assert_int_equal(pt_map(&pt, SIZE_2M, 0, PAGE_SIZE, PT_RW), -ENOMEM);
		assert_int_equal(pt_lookup(&pt, SIZE_2M, &m), -ENOENT);
		/* Splitting needs a table too. */
		heap.limit = -1;
		assert_int_equal(pt_map(&pt, SIZE_1G, 0, SIZE_1G, PT_RW), 0);
		heap.limit = 0;
		assert_int_equal(pt_map(&pt, SIZE_1G, 0, PAGE_SIZE, PT_READ), -ENOMEM);
		assert_int_equal(pt_unmap(&pt, SIZE_1G, PAGE_SIZE), -ENOMEM);
		expect_map(&pt, SIZE_1G, 0, SIZE_1G, PT_RW | npt_user(&pt));
		/* Whole-page unmaps need no tables. */
		assert_int_equal(pt_unmap(&pt, 0, SIZE_1G * 2), 0);
		heap.limit = -1;
		end_pt(&pt);
	}
	heap.limit = 0;
	{
		struct pt pt;

		assert_int_equal(pt_init(&pt, &pt_format_ept, &heap_mem), -ENOMEM);
	}
}

static int stop_at_second(void *arg, const struct pt_mapping *m)
{
	int *n = arg;

	return ++*n == 2 ? 42 : 0;
}

static void test_walk_stops(void **state)
{
	struct pt pt;
	int n = 0;

	new_pt(&pt, &pt_format_x86_64);
	assert_int_equal(pt_map(&pt, 0, 0, PAGE_SIZE * 4, PT_RW), 0);
	assert_int_equal(pt_walk(&pt, stop_at_second, &n), 42);
	assert_int_equal(n, 2);
	end_pt(&pt);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_map_lookup_4k),
		cmocka_unit_test(test_large_pages_when_aligned),
		cmocka_unit_test(test_leaf_levels_narrowed),
		cmocka_unit_test(test_split_large_page),
		cmocka_unit_test(test_unmap_splits_and_frees),
		cmocka_unit_test(test_x86_encoding),
		cmocka_unit_test(test_npt_encoding),
		cmocka_unit_test(test_ept_encoding),
		cmocka_unit_test(test_bad_input_rejected),
		cmocka_unit_test(test_format_specific_attrs),
		cmocka_unit_test(test_allocator_exhaustion),
		cmocka_unit_test(test_walk_stops),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
