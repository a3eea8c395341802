/* SPDX-License-Identifier: Apache-2.0 */
/* The checked guest-memory view: never a byte outside its regions. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include <hv/errno.h>
#include <hv/guest_mem.h>

#define REG_SIZE 0x1000
#define CANARY	 0x5a

/* Two adjacent regions at 0x1000 and 0x2000 and one apart at 0x10000, with canaries around. */
static uint8_t backing[3][REG_SIZE + 64];
static struct guest_mem mem;

static uint8_t *reg(int i)
{
	return backing[i] + 32;
}

static int setup(void **state)
{
	memset(backing, CANARY, sizeof(backing));
	guest_mem_init(&mem);
	assert_int_equal(guest_mem_add(&mem, 0x1000, reg(0), REG_SIZE), 0);
	assert_int_equal(guest_mem_add(&mem, 0x2000, reg(1), REG_SIZE), 0);
	assert_int_equal(guest_mem_add(&mem, 0x10000, reg(2), REG_SIZE), 0);
	return 0;
}

static void assert_canaries(void)
{
	for (int i = 0; i < 3; i++)
		for (int j = 0; j < 32; j++) {
			assert_int_equal(backing[i][j], CANARY);
			assert_int_equal(backing[i][32 + REG_SIZE + j], CANARY);
		}
}

static void test_add_rejects(void **state)
{
	uint8_t x[16];

	assert_int_equal(guest_mem_add(&mem, 0x1800, x, 0x1000), -EINVAL); /* overlaps */
	assert_int_equal(guest_mem_add(&mem, 0x0, x, 0x1001), -EINVAL);	   /* overlaps */
	assert_int_equal(guest_mem_add(&mem, 0x20000, x, 0), -EINVAL);	   /* empty */
	assert_int_equal(guest_mem_add(&mem, ~0ULL - 4, x, 16), -EINVAL);  /* wraps */
	assert_int_equal(guest_mem_add(&mem, 0x20000, NULL, 16), -EINVAL);
	for (int i = 3; i < GUEST_MEM_MAX_REGIONS; i++)
		assert_int_equal(guest_mem_add(&mem, 0x100000 + i * 0x1000ULL, x, 16), 0);
	assert_int_equal(guest_mem_add(&mem, 0x900000, x, 16), -ENOSPC);
}

static void test_contains(void **state)
{
	assert_true(guest_mem_contains(&mem, 0x1000, 0x2000)); /* spans the two adjacent */
	assert_true(guest_mem_contains(&mem, 0x2fff, 1));
	assert_true(guest_mem_contains(&mem, 0x5000, 0));
	assert_false(guest_mem_contains(&mem, 0xfff, 2));
	assert_false(guest_mem_contains(&mem, 0x2fff, 2));
	assert_false(guest_mem_contains(&mem, 0x10000, REG_SIZE + 1));
	assert_false(guest_mem_contains(&mem, 0x1000, ~0ULL));
}

static void test_write_read_across(void **state)
{
	uint8_t src[0x100], dst[0x100];

	for (int i = 0; i < 0x100; i++)
		src[i] = (uint8_t)i;
	assert_int_equal(guest_mem_write(&mem, 0x1f80, src, sizeof(src)), 0);
	assert_memory_equal(reg(0) + 0xf80, src, 0x80);
	assert_memory_equal(reg(1), src + 0x80, 0x80);
	assert_int_equal(guest_mem_read(&mem, 0x1f80, dst, sizeof(dst)), 0);
	assert_memory_equal(dst, src, sizeof(src));
	assert_int_equal(guest_mem_fill(&mem, 0x1ff0, 0, 0x20), 0);
	assert_int_equal(reg(0)[0xfef], 0x6f);
	assert_int_equal(reg(0)[0xff0], 0);
	assert_int_equal(reg(1)[0xf], 0);
	assert_int_equal(reg(1)[0x10], 0x90);
	assert_canaries();
}

/* A failing access moves nothing, even the part that was inside. */
static void test_outside_is_efault_and_untouched(void **state)
{
	uint8_t src[0x40], dst[0x40];

	memset(src, 0x11, sizeof(src));
	memset(reg(2), 0x22, REG_SIZE);
	assert_int_equal(guest_mem_write(&mem, 0x10ff0, src, sizeof(src)), -EFAULT);
	assert_int_equal(reg(2)[0xff0], 0x22);
	assert_int_equal(guest_mem_write(&mem, 0x2fe0, src, sizeof(src)), -EFAULT);
	assert_int_equal(reg(1)[0xfe0], CANARY);
	assert_int_equal(guest_mem_fill(&mem, 0xfc0, 0, 0x80), -EFAULT);
	assert_int_equal(reg(0)[0], CANARY);
	assert_int_equal(guest_mem_write(&mem, 0x3000, src, 1), -EFAULT);
	assert_int_equal(guest_mem_write(&mem, ~0ULL - 8, src, 0x40), -EFAULT);
	memset(dst, 0x77, sizeof(dst));
	assert_int_equal(guest_mem_read(&mem, 0x10ff0, dst, sizeof(dst)), -EFAULT);
	assert_int_equal(dst[0], 0x77);
	assert_canaries();
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup(test_add_rejects, setup),
		cmocka_unit_test_setup(test_contains, setup),
		cmocka_unit_test_setup(test_write_read_across, setup),
		cmocka_unit_test_setup(test_outside_is_efault_and_untouched, setup),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
