/* SPDX-License-Identifier: Apache-2.0 */
/* The RTC/CMOS: clock from the fake TSC, status registers, formats, NVRAM and memory bytes. */
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

static u8 cmos(u8 index)
{
	fake_out(0x70, 1, index);
	return (u8)fake_in(0x71, 1);
}

static void test_civil(void **state)
{
	u32 y, m, d;

	vrtc_civil(0, &y, &m, &d);
	assert_true(y == 1970 && m == 1 && d == 1);
	vrtc_civil(19723, &y, &m, &d); /* 2024-01-01 */
	assert_true(y == 2024 && m == 1 && d == 1);
	vrtc_civil(19723 + 59, &y, &m, &d); /* leap day */
	assert_true(y == 2024 && m == 2 && d == 29);
	vrtc_civil(19723 + 365, &y, &m, &d);
	assert_true(y == 2024 && m == 12 && d == 31);
}

static void test_clock_bcd_24h(void **state)
{
	fake_tsc = (13ULL * 3600 + 45 * 60 + 7) * FAKE_HZ; /* 13:45:07 on 2024-01-01 */
	assert_int_equal(cmos(0x00), 0x07);
	assert_int_equal(cmos(0x02), 0x45);
	assert_int_equal(cmos(0x04), 0x13);
	assert_int_equal(cmos(0x06), 0x02); /* Monday */
	assert_int_equal(cmos(0x07), 0x01);
	assert_int_equal(cmos(0x08), 0x01);
	assert_int_equal(cmos(0x09), 0x24);
	assert_int_equal(cmos(0x32), 0x20);
	fake_out(0x70, 1, 0x80 | 0x04); /* NMI mask bit ignored */
	assert_int_equal(fake_in(0x71, 1), 0x13);
}

static void test_binary_and_12h(void **state)
{
	fake_tsc = (13ULL * 3600 + 45 * 60 + 7) * FAKE_HZ;
	fake_out(0x70, 1, 0x0b);
	fake_out(0x71, 1, 0x04); /* binary, 12-hour */
	assert_int_equal(cmos(0x0b), 0x04);
	assert_int_equal(cmos(0x04), 0x80 | 1); /* 1 PM */
	assert_int_equal(cmos(0x02), 45);
	assert_int_equal(cmos(0x09), 24);
}

static void test_status_registers(void **state)
{
	assert_int_equal(cmos(0x0a), 0x26); /* UIP clear */
	assert_int_equal(cmos(0x0b), 0x02); /* BCD, 24-hour */
	assert_int_equal(cmos(0x0c), 0);
	assert_int_equal(cmos(0x0d), 0x80); /* valid RAM and time */
	fake_out(0x70, 1, 0x0a);
	fake_out(0x71, 1, 0xa6);
	assert_int_equal(cmos(0x0a), 0x26); /* UIP read-only */
	fake_out(0x70, 1, 0x0d);
	fake_out(0x71, 1, 0);
	assert_int_equal(cmos(0x0d), 0x80);
}

static void test_time_read_only_nvram_writable(void **state)
{
	fake_out(0x70, 1, 0x00);
	fake_out(0x71, 1, 0x59);
	assert_int_equal(cmos(0x00), 0x00);
	fake_out(0x70, 1, 0x01); /* alarm seconds: stored */
	fake_out(0x71, 1, 0x30);
	assert_int_equal(cmos(0x01), 0x30);
	fake_out(0x70, 1, 0x40);
	fake_out(0x71, 1, 0xa5);
	assert_int_equal(cmos(0x40), 0xa5);
	fake_out(0x70, 2, 0x5a41); /* word: index and data together */
	assert_int_equal(cmos(0x41), 0x5a);
}

static void test_memory_bytes(void **state)
{
	assert_int_equal(cmos(0x15) | cmos(0x16) << 8, 640);
	assert_int_equal(cmos(0x17) | cmos(0x18) << 8, 0xffff); /* 255 MiB above 1 MiB: capped */
	assert_int_equal(cmos(0x30) | cmos(0x31) << 8, 0xffff);
	assert_int_equal(cmos(0x34) | cmos(0x35) << 8, (256 - 16) * 16);
	assert_int_equal(cmos(0x5b) | cmos(0x5c) << 8 | cmos(0x5d) << 16, 0);
	vrtc_init(&fake_devs.platform.rtc, 4ULL << 30); /* 3 GiB low, 1 GiB high */
	assert_int_equal(cmos(0x34) | cmos(0x35) << 8, ((3ULL << 30) - (16 << 20)) >> 16);
	assert_int_equal(cmos(0x5b) | cmos(0x5c) << 8 | cmos(0x5d) << 16, (1 << 30) >> 16);
	vrtc_init(&fake_devs.platform.rtc, 8ULL << 20);
	assert_int_equal(cmos(0x17) | cmos(0x18) << 8, 7 * 1024);
	assert_int_equal(cmos(0x34) | cmos(0x35) << 8, 0);
}

static void test_nvram_survives_reinit(void **state)
{
	fake_out(0x70, 1, 0x50);
	fake_out(0x71, 1, 0x5a);
	fake_out(0x70, 1, 0x0b);
	fake_out(0x71, 1, 0x06);
	vrtc_init(&fake_devs.platform.rtc, 256ULL << 20); /* the guest was reset */
	assert_int_equal(cmos(0x50), 0x5a);
	assert_int_equal(cmos(0x0b), 0x02); /* control registers are reset */
	assert_int_equal(cmos(0x15) | cmos(0x16) << 8, 640);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_civil),
		cmocka_unit_test_setup(test_clock_bcd_24h, setup),
		cmocka_unit_test_setup(test_binary_and_12h, setup),
		cmocka_unit_test_setup(test_status_registers, setup),
		cmocka_unit_test_setup(test_time_read_only_nvram_writable, setup),
		cmocka_unit_test_setup(test_memory_bytes, setup),
		cmocka_unit_test_setup(test_nvram_survives_reinit, setup),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
