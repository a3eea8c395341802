/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Time-stamp counter: its frequency (CPUID 0x15/0x16 where the CPU reports
 * it, else calibrated against the ACPI PM timer or PIT channel 2) and the
 * conversions the log, boot-phase timing and delays need. The arithmetic is
 * in tsc_calc.c (pure, host-tested); tsc.c talks to the hardware.
 */
#ifndef ARCH_TSC_H
#define ARCH_TSC_H

#include <hv/types.h>

#define PM_TIMER_HZ 3579545ULL /* ACPI PM timer (ACPI 6.5 §4.8.3.3) */
#define PIT_HZ	    1193182ULL /* 8254 input clock */

enum tsc_source {
	TSC_SRC_NONE = 0,
	TSC_SRC_CPUID_15H, /* crystal clock and TSC/crystal ratio */
	TSC_SRC_CPUID_16H, /* processor base frequency */
	TSC_SRC_PM_TIMER,
	TSC_SRC_PIT,
};

/* Determines the frequency and prints it with its source. Needs acpi_init() first. */
void tsc_init(void);
u64 tsc_hz(void);
enum tsc_source tsc_source(void);
u64 tsc_to_us(u64 cycles);
/* Busy-waits at least us microseconds (needs tsc_init()). */
void tsc_delay_us(u64 us);

/* ---- pure part (tsc_calc.c) ---- */
const char *tsc_source_name(enum tsc_source src);
/* CPUID 0x15: EAX denominator, EBX numerator, ECX crystal Hz; 0 if any is 0. */
u64 tsc_hz_from_leaf15(u32 eax, u32 ebx, u32 ecx);
/* CPUID 0x16: EAX base frequency in MHz; 0 if not reported. */
u64 tsc_hz_from_leaf16(u32 eax);
/* TSC frequency from a TSC delta measured over ref_ticks of a ref_hz clock; 0 if ref_ticks is 0. */
u64 tsc_hz_from_reference(u64 tsc_delta, u64 ref_ticks, u64 ref_hz);
/* Ticks between two PM timer reads, with wrap-around at 24 or 32 bits. */
u32 pm_timer_elapsed(u32 start, u32 end, bool is_32bit);
/* cycles * 10^6 / hz without overflow; 0 when hz is 0. */
u64 cycles_to_us(u64 cycles, u64 hz);
/* us * hz / 10^6 without overflow (saturating). */
u64 us_to_cycles(u64 us, u64 hz);

#endif
