/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Last words of the multiboot2 path when the core cannot be started: straight
 * to COM1, since the core's console does not exist yet.
 */
#include <arch/cpu.h>

#include "mb2.h"

/* 16550 registers (PC16550D data sheet, table 2), COM1 at 0x3f8. */
#define COM1	       0x3f8
#define UART_DLL       0 /* divisor latch low (DLAB = 1) */
#define UART_DLM       1 /* divisor latch high (DLAB = 1) */
#define UART_IER       1 /* interrupt enable */
#define UART_LCR       3 /* line control */
#define UART_LSR       5 /* line status */
#define LCR_DLAB       BIT(7)
#define LCR_8N1	       0x03
#define LSR_THRE       BIT(5) /* transmitter holding register empty */
#define DIVISOR_115200 1

static void uart_init(void)
{
	outb(COM1 + UART_IER, 0);
	outb(COM1 + UART_LCR, LCR_DLAB);
	outb(COM1 + UART_DLL, DIVISOR_115200);
	outb(COM1 + UART_DLM, 0);
	outb(COM1 + UART_LCR, LCR_8N1);
}

void mb2_early_puts(const char *s)
{
	uart_init();
	for (; *s; s++) {
		while (!(inb(COM1 + UART_LSR) & LSR_THRE))
			cpu_relax();
		outb(COM1, (u8)*s);
	}
}

void mb2_fatal(const char *s)
{
	mb2_early_puts(s);
	cpu_halt_forever();
}
