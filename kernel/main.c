/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The core's bring-up sequence. Each step prints what it found; boot phases
 * are time-stamped and reported once the TSC frequency is known.
 */
#include <arch/cpu.h>
#include <hv/boot_info.h>
#include <hv/boot_phase.h>
#include <hv/cmdline.h>
#include <hv/printk.h>
#include <hv/uart.h>
#include <hv/version.h>

void kernel_main(struct boot_info *bi) __noreturn;

static const char *firmware_name(u32 fw)
{
	return fw == BOOT_FW_UEFI ? "UEFI" : fw == BOOT_FW_MULTIBOOT2 ? "multiboot2" : "unknown";
}

static void log_init(const struct boot_info *bi)
{
	char level[8];
	u64 v;

	if (cmdline_get(bi->cmdline, "loglevel", level, sizeof(level)) && parse_u64(level, &v))
		log_set_level((int)v);
	console_uart_init(bi->cmdline);
}

/*
 * `test_exit` ends an emulator run cleanly once the hypervisor is up: the
 * isa-debug-exit port (QEMU) and the magic breakpoint xchg %bx,%bx (Bochs).
 */
static void test_exit_maybe(const struct boot_info *bi)
{
	if (!cmdline_has(bi->cmdline, "test_exit"))
		return;
	pr_info("bulkhead: test_exit");
	__asm__ volatile("xchg %%bx, %%bx" ::: "memory");
	outl(0xf4, 0);
}

void kernel_main(struct boot_info *bi)
{
	boot_phase("entry");
	log_init(bi);
	pr_info("Bulkhead %s, booted by %s, command line '%s'", BULKHEAD_VERSION,
		firmware_name(bi->firmware), bi->cmdline);
	boot_phase("console");

	pr_info("bulkhead: ready");
	test_exit_maybe(bi);
	cpu_halt_forever();
}
