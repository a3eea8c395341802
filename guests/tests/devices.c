/* SPDX-License-Identifier: Apache-2.0 */
/*
 * devices: the emulated PC platform as a guest sees it (docs/vcpu.md,
 * include/hv/guest_platform.h). Probes the PCI host bridge at 00:00.0 and an
 * absent function, reads the RTC, calibrates the TSC against PIT channel 2
 * and against the ACPI PM timer (reads bracketed by RDTSC, the narrowest
 * kept, so a busy host does not skew them), compares both with the
 * hypervisor's CPUID leaf, checks Linux's polling of PIT channel 2's output
 * on port 0x61 bit 5 (never early), prints its verdict, and then
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

/* n / d without libgcc's 64-bit division (this guest is 32-bit code). */
static uint64_t div64(uint64_t n, uint32_t d)
{
	uint64_t q = 0, r = 0;

	for (int i = 63; i >= 0; i--) {
		r = r << 1 | ((n >> i) & 1);
		if (r >= d) {
			r -= d;
			q |= 1ULL << i;
		}
	}
	return q;
}

/* A counter value and the TSC at the middle of its read, with the read's width in TSC ticks. */
struct sample {
	uint64_t tsc;
	uint32_t value, width;
};

static uint32_t pm_read(void)
{
	return inl(PM_TMR);
}

/* PIT channel 2 through the counter latch command, as an up-counter. */
static uint32_t pit_read(void)
{
	uint32_t lo, hi;

	outb(0x43, 0x80);
	lo = inb(0x42);
	hi = inb(0x42);
	return 0xffff - (lo | hi << 8);
}

/*
 * The narrowest of 8 reads: a read the host interrupted (another emulator,
 * another guest) is wide, and its middle is not where the counter was read.
 */
static struct sample sample(uint32_t (*read)(void))
{
	struct sample best = {.width = ~0u};

	for (int i = 0; i < 8; i++) {
		uint64_t t0 = rdtsc();
		uint32_t v = read();
		uint64_t t1 = rdtsc();

		if ((uint32_t)(t1 - t0) < best.width)
			best = (struct sample){t0 + (t1 - t0) / 2, v, (uint32_t)(t1 - t0)};
	}
	return best;
}

/* The TSC frequency in kHz measured over at least window ticks of a counter running at hz. */
static uint32_t measure_khz(uint32_t (*read)(void), uint32_t mask, uint32_t window, uint32_t hz)
{
	struct sample s0 = sample(read), s1;
	uint32_t ticks;

	do
		s1 = sample(read);
	while (((s1.value - s0.value) & mask) < window);
	ticks = (s1.value - s0.value) & mask;
	return (uint32_t)div64((uint64_t)(uint32_t)(s1.tsc - s0.tsc) * (hz / 1000), ticks);
}

static uint32_t pit_khz(void)
{
	outb(0x61, (inb(0x61) & ~0x02) | 0x01); /* gate on, speaker off */
	outb(0x43, 0xb0);			/* channel 2, LSB then MSB, mode 0 */
	outb(0x42, 0xff);
	outb(0x42, 0xff);
	return measure_khz(pit_read, 0xffff, 23864, 1193182); /* 20 ms */
}

static uint32_t pm_khz(void)
{
	return measure_khz(pm_read, 0xffffffffu, 71591, 3579545); /* 20 ms */
}

/*
 * Linux's way: mode 0 for 10 ms, polling port 0x61 bit 5 (OUT2). The output
 * may never rise early; a loaded host can only make it look late.
 */
static void pit_out2(uint32_t khz)
{
	uint64_t t0, t1;
	uint32_t polls = 0;

	outb(0x43, 0xb0);
	outb(0x42, PIT_CALIB_TICKS & 0xff);
	t0 = rdtsc();
	outb(0x42, PIT_CALIB_TICKS >> 8);
	if (inb(0x61) & 0x20)
		rt_fail("PIT channel 2 output is high while it counts");
	while (!(inb(0x61) & 0x20))
		if (++polls > 100000000u)
			rt_fail("PIT channel 2 output never goes high");
	t1 = rdtsc();
	rt_printf("devices: pit out2 high after %u polls\n", polls);
	if (khz && (uint32_t)(t1 - t0) < khz * 10 - khz / 10)
		rt_fail("PIT channel 2 output went high early");
}

/*
 * The median of three measurements: one window that the host stalled (a busy
 * machine running other emulators) cannot decide the result on its own.
 */
static uint32_t median3_khz(uint32_t (*measure)(void))
{
	uint32_t a = measure(), b = measure(), c = measure(), t;

	if (a > b)
		t = a, a = b, b = t;
	if (b > c)
		t = b, b = c, c = t;
	if (a > b)
		t = a, a = b, b = t;
	return b;
}

/* Whether a measurement is within 2 % of CPUID's TSC frequency (unknown: anything goes). */
static bool check_khz(const char *what, uint32_t khz, uint32_t cpuid_khz)
{
	rt_printf("devices: %s: TSC %u kHz, CPUID 0x40000001 says %u kHz\n", what, khz, cpuid_khz);
	return !cpuid_khz ||
	       (khz >= cpuid_khz - cpuid_khz / 50 && khz <= cpuid_khz + cpuid_khz / 50);
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
	bool reset = rt_arg_is("action", "reset");

	if (cmos(CMOS_NOTE) == NOTE_RESETTING) {
		cmos_write(CMOS_NOTE, 0);
		rt_printf("devices: back after the reset\n");
		power_off();
	}
	cpuid(0x40000001, &a, &b, &c, &d);
	probe_pci();
	read_rtc();
	pit_ok = check_khz("pit", median3_khz(pit_khz), a);
	pm_ok = check_khz("pm-timer", median3_khz(pm_khz), a);
	if (!pit_ok || !pm_ok)
		rt_fail("TSC calibration is more than 2 percent off (pit %s, pm-timer %s)",
			pit_ok ? "ok" : "off", pm_ok ? "ok" : "off");
	pit_out2(a);
	rt_printf("VERDICT %s PASS\n", guest_name);
	if (!reset)
		power_off();
	cmos_write(CMOS_NOTE, NOTE_RESETTING);
	outb(0xcf9, 0x02);
	outb(0xcf9, 0x06);
	rt_fail("still running after the 0xCF9 reset");
}
