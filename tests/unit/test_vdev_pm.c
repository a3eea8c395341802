/* SPDX-License-Identifier: Apache-2.0 */
/* The ACPI PM block (PM1 status/enable/control, PM timer) and the keyboard controller. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include "vdev_fake.h"

static int setup(void **state)
{
	fake_reset();
	assert_int_equal(
		vplatform_init(&fake_devs.platform, &fake_devs.bus, fake_guest, 256ULL << 20), 0);
	return 0;
}

static void test_pm1_cnt_sci_en(void **state)
{
	assert_int_equal(fake_in(0x604, 2), 1); /* SCI_EN: already in ACPI mode */
	fake_out(0x604, 2, 0);
	assert_int_equal(fake_in(0x604, 2), 1);
	fake_out(0x604, 2, 5 << 10); /* SLP_TYP alone: stored, nothing happens */
	assert_int_equal(fake_in(0x604, 2), (5 << 10) | 1);
	assert_int_equal(power_offs, 0);
}

static void test_s5_powers_off(void **state)
{
	fake_out(0x604, 2, (5 << 10) | (1 << 13) | 1);
	assert_int_equal(power_offs, 1);
	assert_int_equal(resets, 0);
	assert_int_equal(fake_in(0x604, 2) & (1 << 13), 0); /* SLP_EN is write-only */
}

static void test_s5_by_bytes_and_other_types(void **state)
{
	fake_out(0x604, 2, (1 << 10) | (1 << 13)); /* S1: not declared, ignored */
	assert_int_equal(power_offs, 0);
	fake_out(0x605, 1, (5 << 2) | (1 << 5)); /* high byte alone */
	assert_int_equal(power_offs, 1);
	fake_out(0x604, 4, (u64)((5 << 10) | (1 << 13))); /* a dword from 0x604 */
	assert_int_equal(power_offs, 2);
}

static void test_pm1_status_enable(void **state)
{
	assert_int_equal(fake_in(0x600, 2), 0);
	fake_out(0x602, 2, 0x0121);
	assert_int_equal(fake_in(0x602, 2), 0x0121);
	assert_int_equal(fake_in(0x600, 4), 0x01210000);
	fake_out(0x600, 2, 0xffff); /* write 1 to clear: nothing was set */
	assert_int_equal(fake_in(0x600, 2), 0);
	assert_int_equal(fake_in(0x60c, 4), 0xffffffff); /* unused ports */
}

static void test_pm_timer(void **state)
{
	fake_tsc = FAKE_HZ; /* one second */
	assert_int_equal(fake_in(0x608, 4), 3579545);
	fake_tsc = 2 * FAKE_HZ + FAKE_HZ / 2;
	assert_int_equal(fake_in(0x608, 4), 3579545 * 5 / 2);
	assert_int_equal(fake_in(0x608, 1), (3579545 * 5 / 2) & 0xff);
	fake_tsc = 1200 * FAKE_HZ; /* 32 bits wrap after 1199.8 s */
	assert_int_equal(fake_in(0x608, 4), (u32)(1200ULL * 3579545));
	fake_out(0x608, 4, 0);
	assert_int_equal(fake_in(0x608, 4), (u32)(1200ULL * 3579545)); /* read-only */
}

static void test_kbc(void **state)
{
	assert_int_equal(fake_in(0x64, 1), 0x04); /* buffers empty, system flag */
	assert_int_equal(fake_in(0x60, 1), 0);
	fake_out(0x64, 1, 0xad); /* other commands dropped */
	fake_out(0x60, 1, 0xfe);
	assert_int_equal(resets, 0);
	fake_out(0x64, 1, 0xfe);
	assert_int_equal(resets, 1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup(test_pm1_cnt_sci_en, setup),
		cmocka_unit_test_setup(test_s5_powers_off, setup),
		cmocka_unit_test_setup(test_s5_by_bytes_and_other_types, setup),
		cmocka_unit_test_setup(test_pm1_status_enable, setup),
		cmocka_unit_test_setup(test_pm_timer, setup),
		cmocka_unit_test_setup(test_kbc, setup),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
