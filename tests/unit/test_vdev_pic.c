/* SPDX-License-Identifier: Apache-2.0 */
/* The 8259A pair and ELCR register by register: initialised, masked, silent. */
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

static void test_starts_masked(void **state)
{
	assert_int_equal(fake_in(0x21, 1), 0xff);
	assert_int_equal(fake_in(0xa1, 1), 0xff);
}

static void test_icw_sequence_and_ocw1(void **state)
{
	/* Linux's init_8259A: ICW1 edge + ICW4, ICW2 vector base, ICW3 cascade, ICW4 8086. */
	fake_out(0x20, 1, 0x11);
	assert_int_equal(fake_in(0x21, 1), 0); /* ICW1 clears the mask */
	fake_out(0x21, 1, 0x30);
	fake_out(0x21, 1, 0x04);
	fake_out(0x21, 1, 0x01);
	assert_int_equal(fake_devs.platform.pic.chip[0].vector_base, 0x30);
	assert_int_equal(fake_devs.platform.pic.chip[0].icw3, 0x04);
	assert_int_equal(fake_devs.platform.pic.chip[0].icw4, 0x01);
	fake_out(0x21, 1, 0xfb); /* OCW1 */
	assert_int_equal(fake_in(0x21, 1), 0xfb);
	fake_out(0xa0, 1, 0x11);
	fake_out(0xa1, 1, 0x38);
	fake_out(0xa1, 1, 0x02);
	fake_out(0xa1, 1, 0x01);
	fake_out(0xa1, 1, 0xff);
	assert_int_equal(fake_in(0xa1, 1), 0xff);
	assert_int_equal(fake_devs.platform.pic.chip[1].vector_base, 0x38);
}

static void test_single_without_icw4(void **state)
{
	fake_out(0x20, 1, 0x12); /* single, no ICW4: only ICW2 follows */
	fake_out(0x21, 1, 0x08);
	fake_out(0x21, 1, 0x5a); /* already OCW1 */
	assert_int_equal(fake_in(0x21, 1), 0x5a);
}

static void test_ocw3_irr_isr_and_eoi(void **state)
{
	fake_out(0x20, 1, 0x0a); /* OCW3: read IRR */
	assert_int_equal(fake_in(0x20, 1), 0);
	fake_out(0x20, 1, 0x0b); /* OCW3: read ISR */
	assert_int_equal(fake_in(0x20, 1), 0);
	fake_out(0x20, 1, 0x20); /* OCW2: non-specific EOI, accepted */
	assert_int_equal(fake_in(0x21, 1), 0xff);
	assert_int_equal(deliveries, 0);
}

static void test_elcr(void **state)
{
	fake_out(0x4d0, 1, 0xff);
	fake_out(0x4d1, 1, 0xff);
	assert_int_equal(fake_in(0x4d0, 1), 0xf8); /* IRQ 0-2 edge only */
	assert_int_equal(fake_in(0x4d1, 1), 0xde); /* IRQ 8 and 13 edge only */
	fake_out(0x4d0, 2, 0x0e20);
	assert_int_equal(fake_in(0x4d0, 2), 0x0e20);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup(test_starts_masked, setup),
		cmocka_unit_test_setup(test_icw_sequence_and_ocw1, setup),
		cmocka_unit_test_setup(test_single_without_icw4, setup),
		cmocka_unit_test_setup(test_ocw3_irr_isr_and_eoi, setup),
		cmocka_unit_test_setup(test_elcr, setup),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
