/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Early output before the core's UART driver exists: the firmware console
 * (ConOut, gone after ExitBootServices) and a polled 16550 at COM1 written
 * directly, which keeps working after ExitBootServices.
 */
#include <arch/cpu.h>

#include "efi_boot.h"

#define COM1	      0x3f8
#define UART_THR      0	      /* transmit holding register (DLAB=0) */
#define UART_DLL      0	      /* divisor latch low (DLAB=1) */
#define UART_IER      1	      /* interrupt enable (DLAB=0) */
#define UART_DLM      1	      /* divisor latch high (DLAB=1) */
#define UART_FCR      2	      /* FIFO control */
#define UART_LCR      3	      /* line control */
#define UART_MCR      4	      /* modem control */
#define UART_LSR      5	      /* line status */
#define LCR_8N1	      0x03    /* 8 data bits, no parity, 1 stop bit */
#define LCR_DLAB      BIT(7)  /* divisor latch access */
#define FCR_ENABLE    BIT(0)  /* FIFOs on */
#define FCR_CLEAR     0x06    /* clear receive and transmit FIFOs */
#define MCR_DTR_RTS   0x03    /* DTR and RTS asserted */
#define LSR_THRE      BIT(5)  /* transmit holding register empty */
#define BAUD_DIVISOR  1	      /* 115200 = 1.8432 MHz / 16 / 1 */
#define TX_WAIT_LIMIT 100000U /* an absent UART must not hang the boot */

void efi_serial_init(void)
{
	/*
	 * Program 115200 8N1 explicitly: Bochs starts with LCR = 0 (5-bit
	 * characters) and the firmware may not have touched COM1 at all.
	 */
	outb(COM1 + UART_IER, 0);
	outb(COM1 + UART_LCR, LCR_DLAB);
	outb(COM1 + UART_DLL, BAUD_DIVISOR & 0xff);
	outb(COM1 + UART_DLM, BAUD_DIVISOR >> 8);
	outb(COM1 + UART_LCR, LCR_8N1);
	outb(COM1 + UART_FCR, FCR_ENABLE | FCR_CLEAR);
	outb(COM1 + UART_MCR, MCR_DTR_RTS);
}

static void serial_putc(char c)
{
	unsigned spins = 0;

	while (!(inb(COM1 + UART_LSR) & LSR_THRE) && spins++ < TX_WAIT_LIMIT)
		cpu_relax();
	outb(COM1 + UART_THR, (u8)c);
}

void efi_serial_puts(const char *s)
{
	for (; *s; s++) {
		if (*s == '\n')
			serial_putc('\r');
		serial_putc(*s);
	}
}

/* ConOut takes UCS-2 (UEFI 2.10, 12.4 OutputString): convert in chunks. */
static void conout_puts(const char *s)
{
	CHAR16 buf[64];
	size_t n = 0;

	if (!efi_st || !efi_st->ConOut)
		return;
	for (; *s; s++) {
		if (*s == '\n')
			buf[n++] = L'\r';
		buf[n++] = (CHAR16)(u8)*s;
		if (n >= ARRAY_SIZE(buf) - 2) {
			buf[n] = 0;
			efi_st->ConOut->OutputString(efi_st->ConOut, buf);
			n = 0;
		}
	}
	buf[n] = 0;
	efi_st->ConOut->OutputString(efi_st->ConOut, buf);
}

/* Only while boot services are alive: ConOut is a boot service. */
void efi_log(const char *s)
{
	conout_puts(s);
	efi_serial_puts(s);
}
