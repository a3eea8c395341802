/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Finding the TSC frequency on this machine. The CPU's own report (CPUID 0x15,
 * then 0x16) is exact where present; emulators and AMD CPUs lack it, so the
 * TSC is then timed against the ACPI PM timer, or PIT channel 2 when the FADT
 * has no PM timer (hardware-reduced ACPI).
 */
#include <arch/cpu.h>
#include <arch/tsc.h>
#include <hv/acpi.h>
#include <hv/printk.h>

#define CALIBRATE_MS 50
/* Polls before a reference clock that never moves counts as absent (no hang). */
#define CALIBRATE_MAX_POLLS 50000000U

#define PIT_PORT_CH2	  0x42
#define PIT_PORT_CMD	  0x43
#define PIT_CMD_CH2_MODE0 0xb0	 /* channel 2, lobyte/hibyte, mode 0, binary */
#define PORT_SYS_CTRL_B	  0x61	 /* NMI status and control register */
#define SYS_CTRL_B_GATE2  BIT(0) /* PIT channel 2 gate */
#define SYS_CTRL_B_SPKR	  BIT(1) /* speaker data enable */
#define SYS_CTRL_B_OUT2	  BIT(5) /* PIT channel 2 output (read-only) */

static u64 hz;
static enum tsc_source source;

static u64 from_cpuid(enum tsc_source *src)
{
	u32 max_leaf = cpuid(0, 0).eax;
	struct cpuid_regs r;
	u64 f;

	if (max_leaf >= 0x15) {
		r = cpuid(0x15, 0);
		f = tsc_hz_from_leaf15(r.eax, r.ebx, r.ecx);
		if (f) {
			*src = TSC_SRC_CPUID_15H;
			return f;
		}
	}
	if (max_leaf >= 0x16) {
		f = tsc_hz_from_leaf16(cpuid(0x16, 0).eax);
		if (f) {
			*src = TSC_SRC_CPUID_16H;
			return f;
		}
	}
	return 0;
}

/* Counts TSC cycles over CALIBRATE_MS of the 3.579545 MHz PM timer. */
static u64 calibrate_pm_timer(u16 port, bool is_32bit)
{
	u32 want = (u32)(PM_TIMER_HZ * CALIBRATE_MS / 1000);
	u32 start = inl(port), now, ticks;
	u64 tsc0 = rdtsc(), tsc1;
	u32 polls = 0;

	do {
		now = inl(port);
		tsc1 = rdtsc();
		ticks = pm_timer_elapsed(start, now, is_32bit);
		if (++polls == CALIBRATE_MAX_POLLS)
			return 0;
	} while (ticks < want);
	return tsc_hz_from_reference(tsc1 - tsc0, ticks, PM_TIMER_HZ);
}

/* PIT channel 2 in mode 0 raises OUT2 when its count reaches 0 (8254 datasheet, mode 0). */
static u64 calibrate_pit(void)
{
	u32 count = (u32)(PIT_HZ * CALIBRATE_MS / 1000);
	u8 ctrl = inb(PORT_SYS_CTRL_B) & ~(SYS_CTRL_B_GATE2 | SYS_CTRL_B_SPKR);
	u64 tsc0;
	u32 polls = 0;

	outb(PORT_SYS_CTRL_B, ctrl);
	outb(PIT_PORT_CMD, PIT_CMD_CH2_MODE0);
	outb(PIT_PORT_CH2, count & 0xff);
	outb(PIT_PORT_CH2, count >> 8);
	outb(PORT_SYS_CTRL_B, ctrl | SYS_CTRL_B_GATE2);
	tsc0 = rdtsc();
	while (!(inb(PORT_SYS_CTRL_B) & SYS_CTRL_B_OUT2)) {
		if (++polls == CALIBRATE_MAX_POLLS)
			return 0;
	}
	return tsc_hz_from_reference(rdtsc() - tsc0, count, PIT_HZ);
}

/*
 * CPUID 0x16 is the processor's base frequency, which the SDM does not promise
 * equals the TSC rate (unlike leaf 0x15). Where a PM timer exists it decides:
 * emulators report the modelled CPU's base frequency while their TSC runs at
 * the emulation speed (Bochs: 3.5 GHz claimed, about 1/70th of it counted).
 */
static void check_base_frequency(void)
{
	u64 measured;

	if (source != TSC_SRC_CPUID_16H || !acpi.pm_timer_port)
		return;
	measured = calibrate_pm_timer(acpi.pm_timer_port, acpi.pm_timer_32bit);
	if (!measured || (measured > hz - hz / 50 && measured < hz + hz / 50))
		return;
	pr_warn("bulkhead: CPUID 0x16 says %llu MHz but the TSC counts %llu MHz against the PM "
		"timer: using the measurement",
		(unsigned long long)(hz / 1000000), (unsigned long long)(measured / 1000000));
	hz = measured;
	source = TSC_SRC_PM_TIMER;
}

void tsc_init(void)
{
	hz = from_cpuid(&source);
	check_base_frequency();
	if (!hz && acpi.pm_timer_port) {
		hz = calibrate_pm_timer(acpi.pm_timer_port, acpi.pm_timer_32bit);
		source = TSC_SRC_PM_TIMER;
	}
	if (!hz) {
		hz = calibrate_pit();
		source = TSC_SRC_PIT;
	}
	if (!hz) {
		source = TSC_SRC_NONE;
		pr_err("bulkhead: TSC frequency unknown");
		return;
	}
	pr_info("bulkhead: TSC %llu.%03llu MHz (%s)", (unsigned long long)(hz / 1000000),
		(unsigned long long)(hz / 1000 % 1000), tsc_source_name(source));
}

u64 tsc_hz(void)
{
	return hz;
}

enum tsc_source tsc_source(void)
{
	return source;
}

u64 tsc_to_us(u64 cycles)
{
	return cycles_to_us(cycles, hz);
}

void tsc_delay_us(u64 us)
{
	u64 start = rdtsc(), wait = us_to_cycles(us, hz ? hz : 1000000000ULL);

	while (rdtsc() - start < wait)
		cpu_relax();
}
