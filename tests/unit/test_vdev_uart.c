/* SPDX-License-Identifier: Apache-2.0 */
/* The 16550 as Linux's 8250 driver uses it: IER/IIR, FCR, LSR, MCR loopback, MSR, the IRQ line. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <hv/printk.h>
#include <hv/vdev.h>

#define BASE 0x3f8

static struct vuart u;
static int edges, level_now;

static void irq(void *ctx, bool level)
{
	assert_ptr_equal(ctx, &u);
	edges += level && !level_now;
	level_now = level;
}

/* The default sink's printk; this test installs its own sink. */
void printk(int level, const char *fmt, ...)
{
}

static void sink(const char *line, size_t len)
{
}

static u8 in(u32 reg)
{
	u64 v = 0;

	assert_int_equal(vuart_ops.read(&u, NULL, BASE + reg, 1, &v), 0);
	return (u8)v;
}

static void out(u32 reg, u8 v)
{
	assert_int_equal(vuart_ops.write(&u, NULL, BASE + reg, 1, v), 0);
}

static int setup(void **state)
{
	vuart_set_sink(sink);
	vuart_init(&u, "t", BASE);
	vuart_set_irq(&u, irq, &u);
	edges = level_now = 0;
	return 0;
}

static void test_reset_values(void **state)
{
	assert_int_equal(in(1), 0);	      /* IER */
	assert_int_equal(in(2), 0x01);	      /* IIR: no interrupt, FIFOs off */
	assert_int_equal(in(5) & 0x61, 0x60); /* LSR: THRE, TEMT, no data */
	assert_int_equal(in(6), 0xb0);	      /* MSR: DCD, DSR, CTS */
	out(7, 0x42);
	assert_int_equal(in(7), 0x42); /* scratch */
}

static void test_fifo_control(void **state)
{
	out(2, 0xc7); /* enable, clear both, trigger 14 */
	assert_int_equal(in(2), 0xc1);
	assert_int_equal(u.fcr, 0xc1);
	vuart_receive(&u, 'a');
	vuart_receive(&u, 'b');
	assert_int_equal(in(5) & 1, 1);
	out(2, 0x03); /* clear RX */
	assert_int_equal(in(5) & 1, 0);
	out(2, 0x00);
	assert_int_equal(in(2) & 0xc0, 0);
}

static void test_divisor_latch(void **state)
{
	out(3, 0x83);
	out(0, 0x0c);
	out(1, 0x00);
	assert_int_equal(in(0), 0x0c);
	assert_int_equal(in(1), 0x00);
	out(3, 0x03);
	assert_int_equal(in(1), 0); /* IER again */
}

static void test_rx_interrupt(void **state)
{
	out(4, 0x0b); /* DTR, RTS, OUT2 */
	out(1, 0x01); /* ERBFI */
	assert_int_equal(edges, 0);
	vuart_receive(&u, 'x');
	assert_int_equal(edges, 1);
	assert_int_equal(in(2) & 0x0f, 0x04);
	assert_int_equal(in(0), 'x');
	assert_int_equal(level_now, 0);
	assert_int_equal(in(2) & 0x0f, 0x01);
}

static void test_thre_interrupt(void **state)
{
	out(4, 0x08);
	out(1, 0x02); /* ETBEI with THR empty: interrupts at once */
	assert_int_equal(edges, 1);
	assert_int_equal(in(2) & 0x0f, 0x02);
	assert_int_equal(level_now, 0); /* reading IIR acknowledged it */
	out(0, 'A');
	assert_int_equal(edges, 2);
	vuart_receive(&u, 'r');
	out(1, 0x03);
	assert_int_equal(in(2) & 0x0f, 0x04); /* data outranks THR empty */
	in(0);
	assert_int_equal(in(2) & 0x0f, 0x02);
}

static void test_out2_gates_the_line(void **state)
{
	out(1, 0x01);
	vuart_receive(&u, 'x');
	assert_int_equal(edges, 0);
	assert_int_equal(in(2) & 0x0f, 0x04); /* pending, but OUT2 is off */
	out(4, 0x08);
	assert_int_equal(edges, 1);
}

static void test_loopback(void **state)
{
	out(4, 0x1a); /* loop, RTS, OUT2: the 8250 probe's test */
	assert_int_equal(in(6) & 0xf0, 0x90);
	out(4, 0x15); /* loop, DTR, OUT1 */
	assert_int_equal(in(6) & 0xf0, 0x60);
	out(0, 0x5a);
	assert_int_equal(in(5) & 1, 1);
	assert_int_equal(in(0), 0x5a);
	assert_int_equal(u.tx_count, 0); /* nothing reached the console */
	out(4, 0x00);
	assert_int_equal(in(6), 0xb0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup(test_reset_values, setup),
		cmocka_unit_test_setup(test_fifo_control, setup),
		cmocka_unit_test_setup(test_divisor_latch, setup),
		cmocka_unit_test_setup(test_rx_interrupt, setup),
		cmocka_unit_test_setup(test_thre_interrupt, setup),
		cmocka_unit_test_setup(test_out2_gates_the_line, setup),
		cmocka_unit_test_setup(test_loopback, setup),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
