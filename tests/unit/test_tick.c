/* SPDX-License-Identifier: Apache-2.0 */
/* The hypervisor tick's arithmetic (arch/x86/tick_calc.c). */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>

#include <arch/tick.h>

#define GHZ 1000000000ULL

static void test_period(void **state)
{
	assert_int_equal(tick_period(2 * GHZ), 2 * GHZ / HV_TICK_HZ);
	assert_int_equal(tick_period(0), 1 << 24);
}

static void test_advance(void **state)
{
	/* never armed: one period from now */
	assert_int_equal(tick_advance(0, 100, 1000), 1100);
	/* not due yet: unchanged */
	assert_int_equal(tick_advance(1050, 100, 1000), 1050);
	/* due: the next grid point, not now + period */
	assert_int_equal(tick_advance(1000, 100, 1000), 1100);
	assert_int_equal(tick_advance(1000, 100, 1030), 1100);
	assert_int_equal(tick_advance(1000, 100, 1099), 1100);
	/* a whole period late: missed ticks are not repeated, a new grid from now */
	assert_int_equal(tick_advance(1000, 100, 1100), 1200);
	assert_int_equal(tick_advance(1000, 100, 5000), 5100);
	/* no period: no tick */
	assert_int_equal(tick_advance(1000, 0, 5000), 0);
}

static void test_earliest(void **state)
{
	assert_int_equal(tick_earliest(0, 0), 0);
	assert_int_equal(tick_earliest(0, 7), 7);
	assert_int_equal(tick_earliest(7, 0), 7);
	assert_int_equal(tick_earliest(5, 7), 5);
	assert_int_equal(tick_earliest(9, 7), 7);
}

static void test_preempt(void **state)
{
	/* the cap alone without a deadline, shifted by the rate */
	assert_int_equal(tick_preempt_value(0, 1000, 20000000, 5), 20000000 >> 5);
	/* a deadline before the cap wins */
	assert_int_equal(tick_preempt_value(1000 + 6400, 1000, 20000000, 5), 200);
	/* a deadline after the cap: the cap */
	assert_int_equal(tick_preempt_value(1000 + 40000000, 1000, 20000000, 0), 20000000);
	/* due or past: exit at once */
	assert_int_equal(tick_preempt_value(1000, 1000, 20000000, 5), 0);
	assert_int_equal(tick_preempt_value(500, 1000, 20000000, 5), 0);
	/* no cap: the deadline alone, saturated at 32 bits */
	assert_int_equal(tick_preempt_value(1000 + 3200, 1000, 0, 5), 100);
	assert_int_equal(tick_preempt_value(1ULL << 62, 0, 0, 0), 0xffffffffU);
}

static void test_lapic_count(void **state)
{
	/* 10 ms at a 2 GHz TSC with a 1 GHz APIC timer: 10^7 ticks */
	assert_int_equal(tick_lapic_count(1000 + 20000000, 1000, GHZ, 2 * GHZ), 10000000);
	/* due or past: 1, the soonest expiry (0 would stop the timer) */
	assert_int_equal(tick_lapic_count(1000, 1000, GHZ, 2 * GHZ), 1);
	assert_int_equal(tick_lapic_count(10, 1000, GHZ, 2 * GHZ), 1);
	/* less than one APIC tick left: 1 */
	assert_int_equal(tick_lapic_count(1001, 1000, 1000, 2 * GHZ), 1);
	/* far away: saturated */
	assert_int_equal(tick_lapic_count(1ULL << 62, 0, GHZ, GHZ), 0xffffffffU);
	/* no overflow in the product: 2^40 cycles at 2^33 Hz over 2^34 Hz */
	assert_int_equal(tick_lapic_count(1ULL << 40, 0, 1ULL << 23, 1ULL << 34), 1ULL << 29);
	assert_int_equal(tick_lapic_count(3000000007ULL, 0, 999999937ULL, 3000000019ULL),
			 (u32)((unsigned __int128)3000000007ULL * 999999937ULL / 3000000019ULL));
	assert_int_equal(tick_lapic_count(1ULL << 63, 0, 3, 7),
			 (u32)0xffffffffU); /* 2^63 * 3 overflows 64 bits, the count saturates */
	/* disarm, or frequencies unknown */
	assert_int_equal(tick_lapic_count(0, 1000, GHZ, GHZ), 0);
	assert_int_equal(tick_lapic_count(5000, 1000, 0, GHZ), 0);
	assert_int_equal(tick_lapic_count(5000, 1000, GHZ, 0), 0);
}

static void test_lapic_hz(void **state)
{
	/* 10^7 ticks in 10 ms of a 2 GHz TSC: 1 GHz */
	assert_int_equal(tick_lapic_hz(10000000, 20000000, 2 * GHZ), GHZ);
	/* Bochs-like: 1.25 million ticks in 25 ms at 1 GHz: 50 MHz */
	assert_int_equal(tick_lapic_hz(1250000, 25000000, GHZ), 50000000);
	assert_int_equal(tick_lapic_hz(5, 0, GHZ), 0);
	/* a product beyond 64 bits: exact */
	assert_int_equal(tick_lapic_hz(4000000000ULL, 3999999999ULL, 4000000000ULL),
			 (u64)((unsigned __int128)4000000000ULL * 4000000000ULL / 3999999999ULL));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_period),	    cmocka_unit_test(test_advance),
		cmocka_unit_test(test_earliest),    cmocka_unit_test(test_preempt),
		cmocka_unit_test(test_lapic_count), cmocka_unit_test(test_lapic_hz),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
