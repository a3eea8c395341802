/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The core's bring-up sequence. Each step prints what it found; boot phases
 * are time-stamped and reported once the TSC frequency is known.
 */
#include <arch/cpu.h>
#include <arch/gdt.h>
#include <arch/idt.h>
#include <arch/paging.h>
#include <arch/smp.h>
#include <arch/tsc.h>
#include <arch/vcpu.h>
#include <hv/acpi.h>
#include <hv/boot_info.h>
#include <hv/boot_phase.h>
#include <hv/cmdline.h>
#include <hv/console.h>
#include <hv/mm.h>
#include <hv/panic.h>
#include <hv/partition.h>
#include <hv/pci.h>
#include <hv/printk.h>
#include <hv/uart.h>
#include <hv/version.h>

void kernel_main(struct boot_info *bi) __noreturn;

static u64 boot_tsc;

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
 * `test_exit` ends an emulator run cleanly once the hypervisor is up and every
 * guest has ended: the isa-debug-exit port (QEMU) and the magic breakpoint
 * xchg %bx,%bx (Bochs). The boot CPU waits here, so it must not own a guest.
 */
static void test_exit_maybe(const struct boot_info *bi)
{
	if (!cmdline_has(bi->cmdline, "test_exit"))
		return;
	while (guests_active())
		cpu_relax();
	pr_info("bulkhead: test_exit");
	__asm__ volatile("xchg %%bx, %%bx" ::: "memory");
	outl(0xf4, 0);
}

static u64 log_clock_us(void)
{
	return tsc_to_us(rdtsc() - boot_tsc);
}

/* Steps the machine cannot run without: a failure here is a hypervisor bug or unusable hardware. */
static void bring_up_memory(struct boot_info *bi)
{
	if (mm_init(bi))
		panic("no usable memory for the hypervisor");
	boot_phase("memory");
	if (host_paging_init(bi))
		panic("cannot build the hypervisor page tables");
	boot_phase("paging");
}

static void bring_up_platform(struct boot_info *bi)
{
	if (acpi_init(bi->rsdp))
		pr_warn("bulkhead: no usable ACPI tables: only the boot CPU will run");
	if (cmdline_has(bi->cmdline, "acpi_dump"))
		acpi_dump_tables();
	boot_phase("acpi");
	tsc_init();
	log_set_clock(log_clock_us);
	boot_phase("tsc");
	smp_init();
	boot_phase("smp");
	pci_scan();
	boot_phase("pci");
}

/* Virtualization, configuration, guests: any failure leaves the hypervisor up without guests. */
static void start_partitions(const struct boot_info *bi)
{
	const struct machine_desc *machine;
	struct config *cfg;
	struct plan *plan;
	const char *why = "";

	/* The configuration is checked even where no guest can run, so that every error shows. */
	if (boot_config_load(bi, &cfg, &plan, &machine))
		return;
	console_uart_configure(bi->cmdline, cfg->serial_kind == CFG_SERIAL_MMIO, cfg->serial_base,
			       cfg->serial_baud);
	boot_phase("config");
	if (vcpu_platform_init(&why)) {
		pr_err("bulkhead: cannot run guests on this CPU: %s", why);
		return;
	}
	pr_info("bulkhead: virtualization: %s", vcpu_platform_name());
	vcpu_policy_init(tsc_hz());
	console_configure(plan, machine);
	guests_create_and_start(bi, cfg, plan, machine);
	boot_phase("guests");
}

void kernel_main(struct boot_info *bi)
{
	boot_tsc = bi->tsc_at_entry ? bi->tsc_at_entry : rdtsc();
	boot_phase("entry");
	log_init(bi);
	pr_info("Bulkhead %s, booted by %s, command line '%s'", BULKHEAD_VERSION,
		firmware_name(bi->firmware), bi->cmdline);
	gdt_idt_init_boot_cpu();
	boot_phase("console");

	bring_up_memory(bi);
	bring_up_platform(bi);
	debug_fault_maybe(bi->cmdline);
	start_partitions(bi);
	boot_phase_report(tsc_to_us);

	pr_info("bulkhead: ready");
	test_exit_maybe(bi);
	console_start();
	smp_park();
}
