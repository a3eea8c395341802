/* SPDX-License-Identifier: Apache-2.0 */
/* printk's formatter and the command-line helpers, on the unmodified sources. */
#pragma GCC diagnostic ignored "-Wformat" /* the tests pass odd formats on purpose */
#pragma GCC diagnostic ignored "-Wformat-extra-args"
#pragma GCC diagnostic ignored "-Wformat-overflow"
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include <hv/cmdline.h>
#include <hv/printk.h>
#include <hv/uart.h>

#define CHECK_FMT(expect, ...)                                                                     \
	do {                                                                                       \
		char buf_[128];                                                                    \
		int n_ = hv_snprintf(buf_, sizeof(buf_), __VA_ARGS__);                             \
		assert_string_equal(buf_, expect);                                                 \
		assert_int_equal(n_, (int)strlen(expect));                                         \
	} while (0)

static void test_integers(void **state)
{
	CHECK_FMT("42 -7 0", "%d %i %u", 42, -7, 0);
	CHECK_FMT("ff FF 0xff 17", "%x %X %#x %o", 255, 255, 255, 15);
	CHECK_FMT("18446744073709551615", "%llu", 0xffffffffffffffffULL);
	CHECK_FMT("-9223372036854775808", "%lld", (long long)INT64_MIN);
	CHECK_FMT("ffffffffffffffff", "%lx", ~0UL);
	CHECK_FMT("123", "%zu", (size_t)123);
	CHECK_FMT("255 65535", "%hhu %hu", 0x1ff, 0x1ffff);
	CHECK_FMT("+5", "%+d", 5);
}

static void test_width_and_flags(void **state)
{
	CHECK_FMT("   42|42   |00042", "%5d|%-5d|%05d", 42, 42, 42);
	CHECK_FMT("-0042", "%05d", -42);
	CHECK_FMT("0x0000001000", "%#012x", 0x1000);
	CHECK_FMT("  abc|abc  |ab", "%5s|%-5s|%.2s", "abc", "abc", "abcdef");
	CHECK_FMT("    7", "%*d", 5, 7);
	CHECK_FMT("(null) x %", "%s %c %%", (char *)NULL, 'x');
	CHECK_FMT("0x1000", "%p", (void *)0x1000);
}

static void test_truncation(void **state)
{
	char buf[8];
	int n = hv_snprintf(buf, sizeof(buf), "%s", "0123456789");

	assert_int_equal(n, 10);
	assert_string_equal(buf, "0123456");
	n = hv_snprintf(NULL, 0, "%d", 12345);
	assert_int_equal(n, 5);
}

static void test_unknown_conversion_is_shown(void **state)
{
	CHECK_FMT("%q 1", "%q %d", 1);
	CHECK_FMT("ab", "ab%");
}

static void test_cmdline(void **state)
{
	const char *cl = "test_exit console=com2,9600  loglevel=3 acpi_dump";
	char v[16];

	assert_true(cmdline_has(cl, "test_exit"));
	assert_true(cmdline_has(cl, "acpi_dump"));
	assert_true(cmdline_has(cl, "console"));
	assert_false(cmdline_has(cl, "test"));
	assert_false(cmdline_has(cl, "exit"));
	assert_false(cmdline_has(cl, ""));
	assert_true(cmdline_get(cl, "console", v, sizeof(v)));
	assert_string_equal(v, "com2,9600");
	assert_true(cmdline_get(cl, "loglevel", v, sizeof(v)));
	assert_string_equal(v, "3");
	assert_false(cmdline_get(cl, "test_exit", v, sizeof(v)));
	assert_false(cmdline_get("", "console", v, sizeof(v)));
	assert_true(cmdline_get("console=abcdefghijklmnopqrstuvwxyz", "console", v, 5));
	assert_string_equal(v, "abcd");
}

static void test_parse_u64(void **state)
{
	u64 v;

	assert_true(parse_u64("0", &v) && v == 0);
	assert_true(parse_u64("0x3F8", &v) && v == 0x3f8);
	assert_true(parse_u64("18446744073709551615", &v) && v == UINT64_MAX);
	assert_false(parse_u64("18446744073709551616", &v));
	assert_false(parse_u64("0x10000000000000000", &v));
	assert_false(parse_u64("", &v));
	assert_false(parse_u64("0x", &v));
	assert_false(parse_u64("12a", &v));
	assert_false(parse_u64("-1", &v));
}

static void test_uart_spec(void **state)
{
	struct uart u;

	assert_true(uart_parse_spec("com1", &u));
	assert_int_equal(u.base, 0x3f8);
	assert_int_equal(u.baud, 115200);
	assert_false(u.mmio);
	assert_true(uart_parse_spec("com4,38400", &u));
	assert_int_equal(u.base, 0x2e8);
	assert_int_equal(u.baud, 38400);
	assert_true(uart_parse_spec("io=0x2f8", &u));
	assert_int_equal(u.base, 0x2f8);
	assert_true(uart_parse_spec("mmio=0xfe030000,115200", &u));
	assert_true(u.mmio);
	assert_int_equal(u.base, 0xfe030000);
	assert_false(uart_parse_spec("com5", &u));
	assert_false(uart_parse_spec("com1,7", &u));
	assert_false(uart_parse_spec("com1,115201", &u));
	assert_false(uart_parse_spec("io=0", &u));
	assert_false(uart_parse_spec("mmio=0x3", &u));
	assert_false(uart_parse_spec("", &u));
	assert_false(uart_parse_spec("ttyS0", &u));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_integers),
		cmocka_unit_test(test_width_and_flags),
		cmocka_unit_test(test_truncation),
		cmocka_unit_test(test_unknown_conversion_is_shown),
		cmocka_unit_test(test_cmdline),
		cmocka_unit_test(test_parse_u64),
		cmocka_unit_test(test_uart_spec),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
