/* SPDX-License-Identifier: Apache-2.0 */
/* Host 16550 UART driver: the hypervisor's console. */
#ifndef HV_UART_H
#define HV_UART_H

#include <hv/types.h>

struct uart {
	bool mmio; /* registers in MMIO (4-byte stride) instead of port I/O */
	u64 base;  /* I/O port or physical address */
	u32 baud;
	bool present;
};

/* Parses `com1`..`com4`, `io=0x3f8` or `mmio=0xfe030000`, optionally `,BAUD`. */
bool uart_parse_spec(const char *spec, struct uart *u);
void uart_init(struct uart *u);
void uart_putc(struct uart *u, char c);
void uart_write(struct uart *u, const char *s, size_t len);
/* Returns the next received byte or -1 when none is waiting. */
int uart_getc(struct uart *u);

/* The console UART chosen from the command line (`console=...`), default COM1 115200. */
extern struct uart console_uart;
void console_uart_init(const char *cmdline);
/*
 * Moves the console to the UART bulkhead.cfg's `serial` names, unless the
 * command line chose one (`console=` wins). Logs where it went.
 */
void console_uart_configure(const char *cmdline, bool mmio, u64 base, u32 baud);
/*
 * The console (kernel/console) takes over writing log lines to the console
 * UART, so that they never split its prompt; NULL: written directly.
 */
void console_uart_set_writer(void (*writer)(const char *s, size_t len));

#endif
