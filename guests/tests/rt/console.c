/* SPDX-License-Identifier: Apache-2.0 */
/*
 * COM1 output and a small printf: %s %c %d %u %x %p, the ll modifier for
 * %x, and a width with optional zero padding. 64-bit values are printed in
 * hex only, so no 64-bit division (and no libgcc) is needed.
 */
#include <stdarg.h>

#include "rt.h"

#define COM1	 0x3f8
#define UART_THR 0 /* transmit holding register (DLAB=0) */
#define UART_DLL 0 /* divisor latch low (DLAB=1) */
#define UART_IER 1
#define UART_DLM 1 /* divisor latch high (DLAB=1) */
#define UART_FCR 2
#define UART_LCR 3
#define UART_MCR 4
#define UART_LSR 5
#define LCR_8N1	 0x03
#define LCR_DLAB 0x80
#define LSR_THRE 0x20 /* bit 5: transmit holding register empty */
#define DIVISOR	 1    /* 115200 baud */

static volatile uint32_t print_lock;

/* Bochs starts with 5-bit characters: program the divisor and 8N1 before any byte. */
void rt_console_init(void)
{
	outb(COM1 + UART_IER, 0);
	outb(COM1 + UART_LCR, LCR_DLAB);
	outb(COM1 + UART_DLL, DIVISOR & 0xff);
	outb(COM1 + UART_DLM, DIVISOR >> 8);
	outb(COM1 + UART_LCR, LCR_8N1);
	outb(COM1 + UART_FCR, 0x07); /* enable and clear the FIFOs */
	outb(COM1 + UART_MCR, 0x03); /* DTR, RTS */
}

static void put_char(char c)
{
	while (!(inb(COM1 + UART_LSR) & LSR_THRE))
		cpu_relax();
	outb(COM1 + UART_THR, (uint8_t)c);
}

static void put_str(const char *s)
{
	while (*s)
		put_char(*s++);
}

static void put_padded(const char *digits, int len, int width, char pad)
{
	for (; width > len; width--)
		put_char(pad);
	while (len > 0)
		put_char(digits[--len]);
}

static void put_hex(uint64_t v, int width, char pad)
{
	char buf[16];
	int n = 0;

	do {
		buf[n++] = "0123456789abcdef"[v & 0xf];
		v >>= 4;
	} while (v);
	put_padded(buf, n, width, pad);
}

static void put_dec(uint32_t v, bool neg, int width, char pad)
{
	char buf[11];
	int n = 0;

	do {
		buf[n++] = (char)('0' + v % 10);
		v /= 10;
	} while (v);
	if (neg)
		buf[n++] = '-';
	put_padded(buf, n, width, pad);
}

static const char *put_conv(const char *f, va_list *ap)
{
	char pad = ' ';
	int width = 0, longs = 0;

	if (*f == '0')
		pad = *f++;
	while (*f >= '0' && *f <= '9')
		width = width * 10 + (*f++ - '0');
	while (*f == 'l')
		longs++, f++;
	switch (*f) {
	case 's': {
		const char *s = va_arg(*ap, const char *);
		put_str(s ? s : "(null)");
		break;
	}
	case 'c':
		put_char((char)va_arg(*ap, int));
		break;
	case 'd': {
		int32_t v = va_arg(*ap, int32_t);
		put_dec(v < 0 ? (uint32_t)-v : (uint32_t)v, v < 0, width, pad);
		break;
	}
	case 'u':
		put_dec(va_arg(*ap, uint32_t), false, width, pad);
		break;
	case 'x':
		put_hex(longs >= 2 ? va_arg(*ap, uint64_t) : va_arg(*ap, uint32_t), width, pad);
		break;
	case 'p':
		put_str("0x");
		put_hex((uint32_t)va_arg(*ap, void *), 8, '0');
		break;
	default:
		put_char('%');
		put_char(*f);
	}
	return f + 1;
}

static void lock(void)
{
	while (__atomic_exchange_n(&print_lock, 1, __ATOMIC_ACQUIRE))
		cpu_relax();
}

static void unlock(void)
{
	__atomic_store_n(&print_lock, 0, __ATOMIC_RELEASE);
}

void rt_vprintf(const char *fmt, va_list ap)
{
	va_list aq;

	va_copy(aq, ap);
	lock();
	while (*fmt) {
		if (*fmt == '%' && fmt[1])
			fmt = put_conv(fmt + 1, &aq);
		else
			put_char(*fmt++);
	}
	unlock();
	va_end(aq);
}

void rt_printf(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	rt_vprintf(fmt, ap);
	va_end(ap);
}
