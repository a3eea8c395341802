/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Polled 16550 driver for the hypervisor console. Register layout and bits:
 * PC16550D datasheet (THR/RBR 0, IER 1, FCR 2, LCR 3, MCR 4, LSR 5, SCR 7).
 */
#include <arch/cpu.h>
#include <hv/cmdline.h>
#include <hv/printk.h>
#include <hv/uart.h>

#define UART_THR 0
#define UART_RBR 0
#define UART_DLL 0
#define UART_IER 1
#define UART_DLM 1
#define UART_FCR 2
#define UART_LCR 3
#define UART_MCR 4
#define UART_LSR 5
#define UART_SCR 7

#define LCR_8N1		 0x03
#define LCR_DLAB	 BIT(7)
#define FCR_ENABLE_CLEAR 0x07 /* enable FIFOs, clear RX and TX */
#define MCR_DTR_RTS_OUT2 0x0b
#define LSR_DATA_READY	 BIT(0)
#define LSR_THR_EMPTY	 BIT(5)

/* Polls bounded so that a missing UART cannot hang the hypervisor. */
#define UART_TX_SPIN_LIMIT 100000

struct uart console_uart;

static u8 reg_read(struct uart *u, unsigned reg)
{
	if (u->mmio)
		return (u8) * (volatile u32 *)(uintptr_t)(u->base + reg * 4);
	return inb((u16)(u->base + reg));
}

static void reg_write(struct uart *u, unsigned reg, u8 v)
{
	if (u->mmio)
		*(volatile u32 *)(uintptr_t)(u->base + reg * 4) = v;
	else
		outb((u16)(u->base + reg), v);
}

/* The scratch register holds what was written only when a UART is there. */
static bool uart_probe(struct uart *u)
{
	reg_write(u, UART_SCR, 0x5a);
	if (reg_read(u, UART_SCR) != 0x5a)
		return false;
	reg_write(u, UART_SCR, 0xa5);
	return reg_read(u, UART_SCR) == 0xa5;
}

void uart_init(struct uart *u)
{
	u16 divisor = (u16)(115200 / (u->baud ? u->baud : 115200));

	u->present = uart_probe(u);
	if (!u->present)
		return;
	reg_write(u, UART_IER, 0);
	reg_write(u, UART_LCR, LCR_DLAB);
	reg_write(u, UART_DLL, (u8)divisor);
	reg_write(u, UART_DLM, (u8)(divisor >> 8));
	reg_write(u, UART_LCR, LCR_8N1);
	reg_write(u, UART_FCR, FCR_ENABLE_CLEAR);
	reg_write(u, UART_MCR, MCR_DTR_RTS_OUT2);
}

void uart_putc(struct uart *u, char c)
{
	if (!u->present)
		return;
	for (unsigned i = 0; i < UART_TX_SPIN_LIMIT; i++) {
		if (reg_read(u, UART_LSR) & LSR_THR_EMPTY)
			break;
		cpu_relax();
	}
	reg_write(u, UART_THR, (u8)c);
}

void uart_write(struct uart *u, const char *s, size_t len)
{
	for (size_t i = 0; i < len; i++) {
		if (s[i] == '\n')
			uart_putc(u, '\r');
		uart_putc(u, s[i]);
	}
}

int uart_getc(struct uart *u)
{
	if (!u->present || !(reg_read(u, UART_LSR) & LSR_DATA_READY))
		return -1;
	return reg_read(u, UART_RBR);
}

static void (*console_writer)(const char *s, size_t len);

void console_uart_set_writer(void (*writer)(const char *s, size_t len))
{
	console_writer = writer;
}

static void console_sink(const char *s, size_t len)
{
	void (*w)(const char *s, size_t len) = console_writer;

	if (w)
		w(s, len);
	else
		uart_write(&console_uart, s, len);
}

void console_uart_configure(const char *cmdline, bool mmio, u64 base, u32 baud)
{
	struct uart next = {.mmio = mmio, .base = base, .baud = baud ? baud : 115200};

	if (cmdline_has(cmdline, "console"))
		return;
	if (next.mmio == console_uart.mmio && next.base == console_uart.base &&
	    next.baud == console_uart.baud)
		return;
	pr_info("bulkhead: console moves to %s %#llx at %u baud (bulkhead.cfg serial)",
		mmio ? "mmio" : "io", (unsigned long long)base, next.baud);
	uart_init(&next);
	if (!next.present) {
		pr_warn("bulkhead: no UART answers at %#llx; the console stays where it is",
			(unsigned long long)base);
		return;
	}
	console_uart = next;
}

void console_uart_init(const char *cmdline)
{
	char spec[64];
	bool bad = false;

	console_uart = (struct uart){.base = 0x3f8, .baud = 115200};
	if (cmdline_get(cmdline, "console", spec, sizeof(spec)))
		bad = !uart_parse_spec(spec, &console_uart);
	uart_init(&console_uart);
	log_add_sink(console_sink);
	if (bad)
		pr_warn("bulkhead: console=%s not understood (want com1..com4, io=PORT or "
			"mmio=ADDR, optionally ,BAUD); using com1 115200",
			spec);
}
