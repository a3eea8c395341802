/* SPDX-License-Identifier: Apache-2.0 */
/* Memory-map normalisation: sorting, overlaps, merging, page trimming. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <hv/errno.h>
#include <hv/mm.h>

#define U  BOOT_MEM_USABLE
#define R  BOOT_MEM_RESERVED
#define A  BOOT_MEM_ACPI_RECLAIM
#define N  BOOT_MEM_ACPI_NVS
#define F  BOOT_MEM_FIRMWARE
#define L  BOOT_MEM_LOADED
#define BU BOOT_MEM_UNUSABLE

static struct boot_mem_range out[BOOT_MAX_MMAP];

static int norm(const struct boot_mem_range *in, u32 n)
{
	return memmap_normalize(in, n, out, BOOT_MAX_MMAP);
}

static void expect(int i, u64 base, u64 end, u32 type)
{
	assert_int_equal(out[i].base, base);
	assert_int_equal(out[i].base + out[i].length, end);
	assert_int_equal(out[i].type, type);
}

static void test_sorted_and_merged(void **state)
{
	const struct boot_mem_range in[] = {
		{0x100000, 0x100000, U}, {0xf0000, 0x10000, R},	  {0, 0x9f000, U},
		{0x200000, 0x300000, U}, {0x9f000, 0x1000, R},	  {0x500000, 0x1000, A},
		{0x501000, 0x1000, A},	 {0x80000000, 0x1000, R},
	};

	assert_int_equal(norm(in, ARRAY_SIZE(in)), 6);
	expect(0, 0, 0x9f000, U);
	expect(1, 0x9f000, 0xa0000, R);
	expect(2, 0xf0000, 0x100000, R);
	expect(3, 0x100000, 0x500000, U); /* three adjacent usable entries merged */
	expect(4, 0x500000, 0x502000, A);
	expect(5, 0x80000000, 0x80001000, R);
}

static void test_overlap_restrictive_wins(void **state)
{
	const struct boot_mem_range in[] = {
		{0x100000, 0x1000000, U}, /* [1M, 17M) usable */
		{0x400000, 0x200000, R},  /* reserved hole inside it */
		{0x300000, 0x200000, L},  /* loaded, overlapping the hole's start */
		{0x1000000, 0x200000, N}, /* NVS over the usable tail and beyond */
		{0x2000000, 0x100000, A}, {0x2080000, 0x100000, F},
	};

	assert_int_equal(norm(in, ARRAY_SIZE(in)), 7);
	expect(0, 0x100000, 0x300000, U);
	expect(1, 0x300000, 0x400000, L);
	expect(2, 0x400000, 0x600000, R);
	expect(3, 0x600000, 0x1000000, U);
	expect(4, 0x1000000, 0x1200000, N);
	expect(5, 0x2000000, 0x2080000, A);
	expect(6, 0x2080000, 0x2180000, F); /* firmware beats ACPI data */
}

static void test_usable_trimmed_to_pages(void **state)
{
	const struct boot_mem_range in[] = {
		{0x800, 0x9f400, U},   /* [2K, 0x9fc00) -> [4K, 0x9f000) */
		{0x9fc00, 0x400, R},   /* non-usable ranges keep their bytes */
		{0x100000, 0x800, U},  /* less than a page: dropped */
		{0x200100, 0x1000, U}, /* straddles pages, holds no whole page */
	};

	assert_int_equal(norm(in, ARRAY_SIZE(in)), 2);
	expect(0, 0x1000, 0x9f000, U);
	expect(1, 0x9fc00, 0xa0000, R);
}

static void test_unaligned_adjacent_usable_merge_first(void **state)
{
	const struct boot_mem_range in[] = {{0x1000, 0x800, U}, {0x1800, 0x800, U}};

	assert_int_equal(norm(in, ARRAY_SIZE(in)), 1);
	expect(0, 0x1000, 0x2000, U);
}

static void test_empty_and_odd_entries(void **state)
{
	const struct boot_mem_range in[] = {
		{0x5000, 0, U},
		{0x1000, 0x1000, 99},		    /* unknown type: treated as reserved */
		{0xfffffffffffff000ULL, 0x2000, U}, /* wraps: beyond MAXPHYADDR, dropped */
		{BIT64(52) - 0x1000, 0x4000, U},    /* clamped at 2^52 */
		{0x10000, 0x1000, BU},
	};

	assert_int_equal(norm(in, 0), 0);
	assert_int_equal(norm(in, ARRAY_SIZE(in)), 3);
	expect(0, 0x1000, 0x2000, R);
	expect(1, 0x10000, 0x11000, BU);
	expect(2, BIT64(52) - 0x1000, BIT64(52), U);
}

static void test_identical_duplicates(void **state)
{
	const struct boot_mem_range in[] = {
		{0x100000, 0x100000, U}, {0x100000, 0x100000, U}, {0x100000, 0x100000, A}};

	assert_int_equal(norm(in, ARRAY_SIZE(in)), 1);
	expect(0, 0x100000, 0x200000, A);
}

static void test_512_entries(void **state)
{
	static struct boot_mem_range in[BOOT_MAX_MMAP];

	/* Reverse order, alternating types, all distinct: every entry survives. */
	for (u32 i = 0; i < BOOT_MAX_MMAP; i++) {
		u32 k = BOOT_MAX_MMAP - 1 - i;

		in[i] = (struct boot_mem_range){k * 0x10000ULL, 0x10000, k % 2 ? R : U};
	}
	assert_int_equal(norm(in, BOOT_MAX_MMAP), BOOT_MAX_MMAP);
	for (u32 k = 0; k < BOOT_MAX_MMAP; k++)
		expect((int)k, k * 0x10000ULL, (k + 1) * 0x10000ULL, k % 2 ? R : U);
	/* One type: they all merge into a single range. */
	for (u32 i = 0; i < BOOT_MAX_MMAP; i++)
		in[i].type = U;
	assert_int_equal(norm(in, BOOT_MAX_MMAP), 1);
	expect(0, 0, BOOT_MAX_MMAP * 0x10000ULL, U);
}

static void test_too_many_ranges(void **state)
{
	/* Reserved pages punched into one usable range split it into more than fit. */
	static struct boot_mem_range in[4];

	in[0] = (struct boot_mem_range){0, 0x100000, U};
	in[1] = (struct boot_mem_range){0x10000, 0x1000, R};
	in[2] = (struct boot_mem_range){0x20000, 0x1000, R};
	assert_int_equal(memmap_normalize(in, 3, out, 4), -E2BIG);
	assert_int_equal(memmap_normalize(in, 3, out, 5), 5);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_sorted_and_merged),
		cmocka_unit_test(test_overlap_restrictive_wins),
		cmocka_unit_test(test_usable_trimmed_to_pages),
		cmocka_unit_test(test_unaligned_adjacent_usable_merge_first),
		cmocka_unit_test(test_empty_and_odd_entries),
		cmocka_unit_test(test_identical_duplicates),
		cmocka_unit_test(test_512_entries),
		cmocka_unit_test(test_too_many_ranges),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
