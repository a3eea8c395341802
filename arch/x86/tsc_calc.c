/* SPDX-License-Identifier: Apache-2.0 */
/*
 * TSC frequency arithmetic, free of hardware access so the host tests run it.
 * CPUID leaves 0x15 and 0x16: Intel SDM Vol. 2A, CPUID, "Time Stamp Counter
 * and Nominal Core Crystal Clock Information Leaf" and "Processor Frequency
 * Information Leaf".
 */
#include <arch/tsc.h>

#define US_PER_S   1000000ULL
#define HZ_PER_MHZ 1000000ULL
#define PM_MASK_24 0xffffffU

const char *tsc_source_name(enum tsc_source src)
{
	switch (src) {
	case TSC_SRC_CPUID_15H:
		return "CPUID 0x15";
	case TSC_SRC_CPUID_16H:
		return "CPUID 0x16";
	case TSC_SRC_PM_TIMER:
		return "ACPI PM timer";
	case TSC_SRC_PIT:
		return "PIT";
	case TSC_SRC_NONE:
		break;
	}
	return "none";
}

/* TSC Hz = crystal Hz * EBX / EAX; the crystal is 0 when not enumerated. */
u64 tsc_hz_from_leaf15(u32 eax, u32 ebx, u32 ecx)
{
	if (!eax || !ebx || !ecx)
		return 0;
	return (u64)ecx * ebx / eax;
}

u64 tsc_hz_from_leaf16(u32 eax)
{
	return (u64)(eax & 0xffff) * HZ_PER_MHZ;
}

/* a * b / c, exact while a * b fits in 64 bits, else with a pre-divided a. */
static u64 mul_div(u64 a, u64 b, u64 c)
{
	if (!c)
		return 0;
	if (!b || a <= UINT64_MAX / b)
		return a * b / c;
	return (a / c) * b + (a % c) * b / c;
}

u64 tsc_hz_from_reference(u64 tsc_delta, u64 ref_ticks, u64 ref_hz)
{
	return mul_div(tsc_delta, ref_hz, ref_ticks);
}

/* The counter counts up and wraps at its width (ACPI 6.5 §4.8.3.3, TMR_VAL_EXT). */
u32 pm_timer_elapsed(u32 start, u32 end, bool is_32bit)
{
	u32 mask = is_32bit ? UINT32_MAX : PM_MASK_24;

	return (end - start) & mask;
}

u64 cycles_to_us(u64 cycles, u64 hz)
{
	if (!hz)
		return 0;
	return cycles / hz * US_PER_S + (cycles % hz) * US_PER_S / hz;
}

u64 us_to_cycles(u64 us, u64 hz)
{
	u64 whole = us / US_PER_S, part = us % US_PER_S;

	if (whole && hz > UINT64_MAX / whole)
		return UINT64_MAX;
	return whole * hz + mul_div(part, hz, US_PER_S);
}
