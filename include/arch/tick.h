/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The hypervisor tick on a CPU that runs a guest (docs/svm.md and docs/vmx.md
 * "The hypervisor tick", docs/console.md "Where it runs"). Such a CPU is in
 * the hypervisor only between two guest runs, so the backend must make the
 * guest exit in time: at the guest's next LAPIC timer expiry, or at the next
 * tick when the CPU has a tick function (percpu.tick_fn: the console polls
 * from it). VMX sets its preemption timer to that deadline; SVM programs the
 * CPU's own local APIC timer (arch/x86/lapic.c) and intercepts the interrupt.
 *
 * The arithmetic (arch/x86/tick_calc.c) is pure and host-tested; all
 * times are host TSC values, 0 meaning "none".
 */
#ifndef ARCH_TICK_H
#define ARCH_TICK_H

#include <hv/types.h>

/*
 * Ticks per second while a tick function is set: the console polls every
 * 1 ms. 100 would do for a terminal, but where the TSC frequency is
 * overstated (Bochs reports 3.5 GHz in CPUID 0x16 and counts far slower)
 * the tick stretches by the same factor; the cost is about 1000 short exits
 * a second on the console CPU only.
 */
#define HV_TICK_HZ 1000

/* The tick period in TSC cycles (tsc_hz 0: unknown, a fixed 2^24 cycles). */
u64 tick_period(u64 tsc_hz);

/*
 * The first tick after now on the grid next + k * period: a late tick does
 * not shift the grid, and ticks missed while the CPU was busy are not
 * repeated. next 0 (never armed): now + period.
 */
u64 tick_advance(u64 next, u64 period, u64 now);

/* The earlier of two deadlines, either of which may be 0 (none). */
u64 tick_earliest(u64 a, u64 b);

/*
 * VMX: the preemption-timer value for deadline (the timer counts down at
 * the TSC rate >> rate, SDM Vol. 3C 26.5.1), never longer than cap cycles
 * (0: no cap); deadline 0 gives the cap alone. Saturates at 2^32 - 1.
 */
u32 tick_preempt_value(u64 deadline, u64 now, u64 cap, u8 rate);

/*
 * SVM: the local APIC timer's initial count (one-shot, divide by 1) that
 * expires at deadline: the TSC cycles left converted to APIC timer ticks,
 * at least 1 (0 would stop the timer, SDM Vol. 3A 11.5.4), at most
 * 2^32 - 1. 0 when deadline is 0 (disarm) or a frequency is unknown.
 */
u32 tick_lapic_count(u64 deadline, u64 now, u64 lapic_hz, u64 tsc_hz);

/*
 * vcpu_kick() on the vCPU's own CPU (arch/x86/vcpu_loop.c): if v's loop is
 * inside its tick, a snapshot request is served at once (nothing else could
 * serve it while the tick waits for it).
 */
struct vcpu;
void vcpu_tick_kick(struct vcpu *v);

/* The APIC timer frequency from a calibration: counted ticks during tsc_delta cycles. */
u64 tick_lapic_hz(u64 counted, u64 tsc_delta, u64 tsc_hz);

#endif
