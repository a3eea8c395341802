/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Resetting the machine, in the order that works on most PCs: the reset
 * control register at 0xCF9 (bit 1 system reset, bit 2 reset CPU: Intel
 * PCH/ICH datasheets "Reset Control Register"), the keyboard controller's
 * pulse-reset command 0xFE on port 0x64 (IBM PC AT technical reference,
 * 8042 commands), and last a triple fault: an exception with an empty IDT
 * (Intel SDM Vol. 3A 6.15, "Double Fault Exception", shutdown).
 */
#include <arch/cpu.h>
#include <arch/tsc.h>
#include <hv/console.h>

#define RST_CNT		  0xcf9
#define RST_CNT_SYS_RST	  BIT(1) /* full system reset, not just the CPU */
#define RST_CNT_RST_CPU	  BIT(2) /* 0 -> 1 starts the reset */
#define KBC_STATUS	  0x64
#define KBC_STATUS_IBF	  BIT(1) /* input buffer full: the controller is busy */
#define KBC_CMD_PULSE_RST 0xfe
#define RESET_WAIT_US	  100000

static void kbc_reset(void)
{
	for (int i = 0; i < 10000 && (inb(KBC_STATUS) & KBC_STATUS_IBF); i++)
		tsc_delay_us(10);
	outb(KBC_STATUS, KBC_CMD_PULSE_RST);
}

static __noreturn void triple_fault(void)
{
	struct {
		u16 limit;
		u64 base;
	} __packed empty = {0, 0};

	__asm__ volatile("lidt %0; int3" : : "m"(empty) : "memory");
	cpu_halt_forever();
}

void console_hw_reboot(void)
{
	tsc_delay_us(RESET_WAIT_US); /* let the UART drain the last line */
	outb(RST_CNT, RST_CNT_SYS_RST);
	outb(RST_CNT, RST_CNT_SYS_RST | RST_CNT_RST_CPU);
	tsc_delay_us(RESET_WAIT_US);
	kbc_reset();
	tsc_delay_us(RESET_WAIT_US);
	triple_fault();
}
