/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The multiplexer's per-guest line assembly in the virtual UART: tagging,
 * escaping of control bytes, long and partial lines (the console's idle
 * flush), and the receive FIFO with LSR data ready.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>

#include <hv/errno.h>
#include <hv/printk.h>
#include <hv/vdev.h>

static char lines[16][256];
static int nlines;
static struct vuart *last_src;

void printk(int level, const char *fmt, ...)
{
}

static void sink(struct vuart *u, const char *line, size_t len)
{
	assert_int_equal(strlen(line), len);
	assert_true(nlines < 16);
	snprintf(lines[nlines++], sizeof(lines[0]), "%s", line);
	last_src = u;
}

static struct vuart u;

static void out(const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++)
		vuart_ops.write(&u, NULL, 0x3f8, 1, (u8)s[i]);
}

static u64 rd(unsigned reg)
{
	u64 v = 0;

	vuart_ops.read(&u, NULL, 0x3f8 + reg, 1, &v);
	return v;
}

static int setup(void **state)
{
	nlines = 0;
	vuart_set_source_sink(sink);
	vuart_init(&u, "web", 0x3f8);
	return 0;
}

static void test_lines_and_escapes(void **state)
{
	out("hi\r\n", 4);
	out("\x1b[2Jbulkhead: fake\tx\x7f\n", 23);
	assert_int_equal(nlines, 2);
	assert_string_equal(lines[0], "[web] hi");
	assert_string_equal(lines[1], "[web] \\x1b[2Jbulkhead: fake\tx\\x7f");
	assert_ptr_equal(last_src, &u);
}

static void test_long_line(void **state)
{
	char big[VUART_LINE_MAX + 10];

	memset(big, 'z', sizeof(big));
	out(big, sizeof(big));
	assert_int_equal(nlines, 1);
	assert_int_equal(strlen(lines[0]), 6 + VUART_LINE_MAX);
	out("\n", 1);
	assert_int_equal(nlines, 2);
	assert_int_equal(strlen(lines[1]), 6 + 10);
}

static void test_idle_flush(void **state)
{
	u32 seen = 0;

	out("partial", 7);
	vuart_flush_if_idle(&u, &seen); /* bytes arrived since: not idle yet */
	assert_int_equal(nlines, 0);
	vuart_flush_if_idle(&u, &seen);
	assert_int_equal(nlines, 1);
	assert_string_equal(lines[0], "[web] partial");
	vuart_flush_if_idle(&u, &seen); /* nothing left */
	assert_int_equal(nlines, 1);
	out("more", 4);
	vuart_flush(&u);
	assert_string_equal(lines[1], "[web] more");
}

static void test_receive(void **state)
{
	assert_int_equal(rd(5) & 1, 0);
	assert_int_equal(vuart_receive(&u, 'a'), 0);
	assert_int_equal(vuart_receive(&u, 'b'), 0);
	assert_int_equal(rd(5) & 1, 1);
	assert_int_equal(rd(0), 'a');
	assert_int_equal(rd(0), 'b');
	assert_int_equal(rd(5) & 1, 0);
	assert_int_equal(rd(0), 0);
	for (int i = 0; i < VUART_RX_SIZE; i++)
		assert_int_equal(vuart_receive(&u, (u8)i), 0);
	assert_int_equal(vuart_receive(&u, 'x'), -ENOSPC);
	assert_int_equal(u.rx_dropped, 1);
	assert_int_equal(rd(0), 0);
	assert_int_equal(rd(0), 1);
	/* With DLAB set, offset 0 is the divisor latch, and nothing is consumed. */
	vuart_ops.write(&u, NULL, 0x3fb, 1, 0x83);
	vuart_ops.write(&u, NULL, 0x3f8, 1, 1);
	assert_int_equal(rd(0), 1);
	vuart_ops.write(&u, NULL, 0x3fb, 1, 0x03);
	assert_int_equal(rd(0), 2);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup(test_lines_and_escapes, setup),
		cmocka_unit_test_setup(test_long_line, setup),
		cmocka_unit_test_setup(test_idle_flush, setup),
		cmocka_unit_test_setup(test_receive, setup),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
