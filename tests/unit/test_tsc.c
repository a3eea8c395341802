/* SPDX-License-Identifier: Apache-2.0 */
/* TSC frequency arithmetic and exception names, on the unmodified sources. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include <arch/idt.h>
#include <arch/tsc.h>

static void test_leaf15(void **state)
{
	/* Skylake client: 24 MHz crystal, ratio 216/2 -> 2.592 GHz. */
	assert_int_equal(tsc_hz_from_leaf15(2, 216, 24000000), 2592000000ULL);
	/* Denominator 3 is not a divisor: truncates. */
	assert_int_equal(tsc_hz_from_leaf15(3, 100, 25000000), 833333333ULL);
	/* Crystal not enumerated (ECX 0), or no ratio: unknown. */
	assert_int_equal(tsc_hz_from_leaf15(2, 216, 0), 0);
	assert_int_equal(tsc_hz_from_leaf15(0, 216, 24000000), 0);
	assert_int_equal(tsc_hz_from_leaf15(2, 0, 24000000), 0);
}

static void test_leaf16(void **state)
{
	assert_int_equal(tsc_hz_from_leaf16(2100), 2100000000ULL);
	assert_int_equal(tsc_hz_from_leaf16(0), 0);
	/* Only bits 15:0 hold the frequency. */
	assert_int_equal(tsc_hz_from_leaf16(0xabcd0000U | 3000), 3000000000ULL);
}

static void test_reference(void **state)
{
	/* 50 ms of PM timer (178977 ticks) over which a 3 GHz TSC ran 150 M cycles. */
	u64 hz = tsc_hz_from_reference(149999800ULL, 178977, PM_TIMER_HZ);
	assert_true(hz > 2999000000ULL && hz < 3001000000ULL);
	/* PIT: 59659 ticks = 50 ms. */
	hz = tsc_hz_from_reference(100000000ULL, 59659, PIT_HZ);
	assert_true(hz > 1999000000ULL && hz < 2001000000ULL);
	assert_int_equal(tsc_hz_from_reference(1000, 0, PM_TIMER_HZ), 0);
	/* Large deltas must not overflow: 10 s at 5 GHz against the PM timer. */
	hz = tsc_hz_from_reference(50000000000ULL, 35795450, PM_TIMER_HZ);
	assert_int_equal(hz, 5000000000ULL);
	hz = tsc_hz_from_reference(UINT64_MAX / 2, PM_TIMER_HZ * 1000000, PM_TIMER_HZ);
	assert_int_equal(hz, UINT64_MAX / 2 / 1000000);
}

static void test_pm_timer_wrap(void **state)
{
	assert_int_equal(pm_timer_elapsed(100, 300, false), 200);
	assert_int_equal(pm_timer_elapsed(0xfffff0, 0x10, false), 0x20);
	assert_int_equal(pm_timer_elapsed(0xfffffff0U, 0x10, true), 0x20);
	/* A 24-bit timer may read with junk in the top byte: it is masked. */
	assert_int_equal(pm_timer_elapsed(0xff000005U, 0x00000015, false), 0x10);
}

static void test_conversions(void **state)
{
	assert_int_equal(cycles_to_us(3000000000ULL, 3000000000ULL), 1000000);
	assert_int_equal(cycles_to_us(1500, 3000000000ULL), 0);
	assert_int_equal(cycles_to_us(4500, 3000000000ULL), 1);
	assert_int_equal(cycles_to_us(12345, 0), 0);
	/* One year at 4 GHz does not overflow. */
	assert_int_equal(cycles_to_us(4000000000ULL * 31536000ULL, 4000000000ULL),
			 31536000ULL * 1000000ULL);
	assert_int_equal(us_to_cycles(10000, 2000000000ULL), 20000000ULL);
	assert_int_equal(us_to_cycles(200, 2592000000ULL), 518400ULL);
	assert_int_equal(us_to_cycles(2500000, 1000000000ULL), 2500000000ULL);
	assert_int_equal(us_to_cycles(UINT64_MAX, 5000000000ULL), UINT64_MAX);
}

static void test_names(void **state)
{
	assert_string_equal(tsc_source_name(TSC_SRC_PM_TIMER), "ACPI PM timer");
	assert_string_equal(tsc_source_name(TSC_SRC_CPUID_15H), "CPUID 0x15");
	assert_string_equal(tsc_source_name(TSC_SRC_NONE), "none");
	assert_string_equal(exception_name(EXC_PF), "#PF page fault");
	assert_string_equal(exception_name(EXC_UD), "#UD invalid opcode");
	assert_string_equal(exception_name(15), "reserved");
	assert_string_equal(exception_name(40), "interrupt");
	for (unsigned v = 0; v < EXC_COUNT; v++)
		assert_non_null(exception_name(v));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_leaf15),	    cmocka_unit_test(test_leaf16),
		cmocka_unit_test(test_reference),   cmocka_unit_test(test_pm_timer_wrap),
		cmocka_unit_test(test_conversions), cmocka_unit_test(test_names),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
