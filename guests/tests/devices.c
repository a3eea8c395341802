/* SPDX-License-Identifier: Apache-2.0 */
/*
 * devices: the emulated PC platform as a guest sees it (docs/vcpu.md,
 * include/hv/guest_platform.h). Probes the PCI host bridge at 00:00.0 and an
 * absent function, reads the RTC, calibrates the TSC against PIT channel 2
 * (the way Linux does: gate on through port 0x61, mode 0, poll bit 5) and
 * against the ACPI PM timer, compares both with the hypervisor's CPUID leaf,
 * prints its verdict, and then
 *   action=poweroff (default)  powers off through PM1a_CNT (SLP_TYP 5, SLP_EN)
 *   action=reset               leaves a note in CMOS NVRAM and resets through
 *                              0xCF9; after the restart it finds the note,
 *                              clears it, says so, and powers off.
 * A guest still running after its power-off or reset write fails.
 */
#include "rt.h"

#define PCI_ADDR	0xcf8
#define PCI_DATA	0xcfc
#define PM1A_CNT	0x604
#define PM_TMR		0x608
#define SLP_S5		((5u << 10) | (1u << 13))
#define CMOS_NOTE	0x50 /* a free NVRAM byte */
#define NOTE_RESETTING	0xa5
#define PIT_CALIB_TICKS 11932 /* 10 ms at 1.193182 MHz */

const char guest_name[] = "devices";

static inline uint64_t rdtsc(void)
{
	uint32_t lo, hi;

	__asm__ volatile("rdtsc" : "=a"(lo), "=d"(hi));
	return (uint64_t)hi << 32 | lo;
}

static inline void outw(uint16_t port, uint16_t v)
{
	__asm__ volatile("outw %0, %1" ::"a"(v), "Nd"(port));
}

static uint32_t pci_read(uint32_t bdf_reg)
{
	outl(PCI_ADDR, 0x80000000u | bdf_reg);
	return inl(PCI_DATA);
}

static uint8_t cmos(uint8_t index)
{
	outb(0x70, index);
	return inb(0x71);
}

static void cmos_write(uint8_t index, uint8_t v)
{
	outb(0x70, index);
	outb(0x71, v);
}

static void probe_pci(void)
{
	uint32_t id = pci_read(0), class = pci_read(8) >> 8, absent = pci_read(1u << 11);

	rt_printf("devices: pci 00:00.0 id=%04x:%04x class=%06x, 00:01.0 reads 0x%08x\n",
		  id & 0xffff, id >> 16, class, absent);
	if ((id & 0xffff) == 0xffff || class != 0x060000)
		rt_fail("no host bridge at 00:00.0");
	if (absent != 0xffffffffu)
		rt_fail("00:01.0 is not absent");
}

static unsigned int bcd(uint8_t v)
{
	return (v >> 4) * 10 + (v & 15);
}

static void read_rtc(void)
{
	uint8_t a = cmos(0x0a), b = cmos(0x0b);
	unsigned int year = bcd(cmos(0x32)) * 100 + bcd(cmos(0x09));

	rt_printf("devices: rtc %u-%02u-%02u %02u:%02u:%02u regA=0x%02x regB=0x%02x\n", year,
		  bcd(cmos(0x08)), bcd(cmos(0x07)), bcd(cmos(0x04)), bcd(cmos(0x02)),
		  bcd(cmos(0x00)), a, b);
	if (a & 0x80)
		rt_fail("RTC update in progress never clears");
	if ((b & 0x06) != 0x02)
		rt_fail("RTC register B is not BCD 24-hour");
	if (year < 2024 || bcd(cmos(0x08)) < 1 || bcd(cmos(0x08)) > 12)
		rt_fail("RTC date is not sane");
}

/* TSC ticks over 10 ms of PIT channel 2 (mode 0, gate through port 0x61). */
static uint64_t pit_calibrate(void)
{
	uint64_t t0, t1;
	uint32_t polls = 0;

	outb(0x61, (inb(0x61) & ~0x02) | 0x01);
	outb(0x43, 0xb0);
	outb(0x42, PIT_CALIB_TICKS & 0xff);
	outb(0x42, PIT_CALIB_TICKS >> 8);
	t0 = rdtsc();
	while (!(inb(0x61) & 0x20))
		if (++polls > 100000000u)
			rt_fail("PIT channel 2 output never goes high");
	t1 = rdtsc();
	return t1 - t0;
}

/* TSC ticks over 35795 PM timer ticks (10 ms). */
static uint64_t pm_calibrate(void)
{
	uint32_t start = inl(PM_TMR);
	uint64_t t0 = rdtsc();

	while (inl(PM_TMR) - start < 35795)
		cpu_relax();
	return rdtsc() - t0;
}

/* The shortest of three measurements: a host that ran something else meanwhile only adds time. */
static uint64_t best_of_3(uint64_t (*measure)(void))
{
	uint64_t best = measure();

	for (int i = 0; i < 2; i++) {
		uint64_t t = measure();

		best = t < best ? t : best;
	}
	return best;
}

/* Whether a 10 ms measurement is within 5 % of CPUID's TSC frequency (unknown: anything goes). */
static bool check_khz(const char *what, uint64_t tsc_per_10ms, uint32_t cpuid_khz)
{
	uint32_t khz = (uint32_t)tsc_per_10ms / 10; /* 10 ms of TSC fits 32 bits below 400 GHz */

	rt_printf("devices: %s: TSC %u kHz, CPUID 0x40000001 says %u kHz\n", what, khz, cpuid_khz);
	return !cpuid_khz ||
	       (khz >= cpuid_khz - cpuid_khz / 20 && khz <= cpuid_khz + cpuid_khz / 20);
}

static void power_off(void)
{
	outw(PM1A_CNT, SLP_S5 | 1);
	rt_fail("still running after the PM1a_CNT power-off");
}

void guest_main(uint32_t magic, const struct mb_info *mbi)
{
	uint32_t a, b, c, d;
	bool pit_ok, pm_ok;
	size_t len;
	const char *action = rt_arg("action", &len);
	bool reset = action && len == 5 && action[0] == 'r' && action[4] == 't'; /* "reset" */

	if (cmos(CMOS_NOTE) == NOTE_RESETTING) {
		cmos_write(CMOS_NOTE, 0);
		rt_printf("devices: back after the reset\n");
		power_off();
	}
	cpuid(0x40000001, &a, &b, &c, &d);
	probe_pci();
	read_rtc();
	pit_ok = check_khz("pit", best_of_3(pit_calibrate), a);
	pm_ok = check_khz("pm-timer", best_of_3(pm_calibrate), a);
	if (!pit_ok || !pm_ok)
		rt_fail("TSC calibration is more than 5 %% off (pit %s, pm-timer %s)",
			pit_ok ? "ok" : "off", pm_ok ? "ok" : "off");
	rt_printf("VERDICT %s PASS\n", guest_name);
	if (!reset)
		power_off();
	cmos_write(CMOS_NOTE, NOTE_RESETTING);
	outb(0xcf9, 0x02);
	outb(0xcf9, 0x06);
	rt_fail("still running after the 0xCF9 reset");
}
