/* SPDX-License-Identifier: Apache-2.0 */
/* PCI configuration mechanism #1: the host bridge, absent functions, and 0xCF9. */
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

static u32 cfg(u32 bdf_reg, u16 port, unsigned int size)
{
	fake_out(0xcf8, 4, 0x80000000u | bdf_reg);
	return (u32)fake_in(port, size);
}

static void test_address_reads_back(void **state)
{
	fake_out(0xcf8, 4, 0x80000000);
	assert_int_equal(fake_in(0xcf8, 4), 0x80000000);
	fake_out(0xcf8, 4, 0x80fff8ff);
	assert_int_equal(fake_in(0xcf8, 4), 0x80fff8fc); /* bits 1:0 read 0 */
	assert_int_equal(fake_in(0xcf8, 1), 0xff);	 /* byte: ISA, nothing there */
	assert_int_equal(fake_in(0xcfa, 2), 0xffff);
}

static void test_host_bridge(void **state)
{
	assert_int_equal(cfg(0x00, 0xcfc, 4), 0x12378086);
	assert_int_equal(cfg(0x00, 0xcfc, 2), 0x8086);
	assert_int_equal(cfg(0x00, 0xcfe, 2), 0x1237);
	assert_int_equal(cfg(0x00, 0xcfd, 1), 0x80);
	assert_int_equal(cfg(0x08, 0xcfc, 4), 0x06000002); /* class 06/00/00, revision 2 */
	assert_int_equal(cfg(0x08, 0xcff, 1), 0x06);
	assert_int_equal(cfg(0x0c, 0xcfe, 1), 0x00); /* header type 0 */
	assert_int_equal(cfg(0x10, 0xcfc, 4), 0);    /* no BARs */
}

static void test_bridge_read_only(void **state)
{
	fake_out(0xcf8, 4, 0x80000010);
	fake_out(0xcfc, 4, 0xffffffff); /* BAR sizing */
	assert_int_equal(fake_in(0xcfc, 4), 0);
	fake_out(0xcf8, 4, 0x80000000);
	fake_out(0xcfc, 2, 0x1234);
	assert_int_equal(fake_in(0xcfc, 4), 0x12378086);
}

static void test_absent_functions(void **state)
{
	assert_int_equal(cfg(0x0800, 0xcfc, 4), 0xffffffff);   /* 00:01.0 */
	assert_int_equal(cfg(0x0100, 0xcfc, 2), 0xffff);       /* 00:00.1 */
	assert_int_equal(cfg(0x010000, 0xcfc, 4), 0xffffffff); /* bus 1 */
	fake_out(0xcf8, 4, 0x00000000);			       /* enable clear */
	assert_int_equal(fake_in(0xcfc, 4), 0xffffffff);
}

static void test_cf9_reset(void **state)
{
	fake_out(0xcf9, 1, 0x02); /* Linux writes SYS_RST first */
	assert_int_equal(resets, 0);
	assert_int_equal(fake_in(0xcf9, 1), 0x02);
	fake_out(0xcf9, 1, 0x06);
	assert_int_equal(resets, 1);
	fake_out(0xcf9, 1, 0x0e);
	assert_int_equal(resets, 2);
	fake_out(0xcf8, 4, 0x80000004); /* a dword at 0xcf8 is the address, not a reset */
	assert_int_equal(resets, 2);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup(test_address_reads_back, setup),
		cmocka_unit_test_setup(test_host_bridge, setup),
		cmocka_unit_test_setup(test_bridge_read_only, setup),
		cmocka_unit_test_setup(test_absent_functions, setup),
		cmocka_unit_test_setup(test_cf9_reset, setup),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
