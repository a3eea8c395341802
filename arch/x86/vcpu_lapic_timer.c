/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The local APIC timer (SDM Vol. 3A 11.5.4 "APIC Timer"): one-shot, periodic
 * and TSC-deadline modes. The timer's input clock runs at the TSC frequency
 * (what CPUID 0x15 reports as the crystal, docs/vcpu.md), so every deadline
 * is a host TSC value: the guest's TSC is the host's (no offset). Expiry is
 * checked by the owning CPU before each entry and while the vCPU is halted
 * (vlapic_timer_update); backends exit in time through vcpu.exit_by_tsc.
 * Pure: the clock is an argument, host-tested with a fake one.
 */
#include <arch/vcpu.h>
#include <arch/vlapic.h>
#include <hv/errno.h>

#include "vcpu_lapic.h"

#define MSR_TSC_DEADLINE 0x6e0

/* TDCR bits 3, 1:0 (SDM Figure 11-10): 000 = 2 ... 110 = 128, 111 = 1. */
static u32 divisor(u32 tdcr)
{
	u32 code = (tdcr & 3) | ((tdcr >> 1) & 4);

	return code == 7 ? 1 : 2U << code;
}

static u32 timer_mode(const struct vlapic *l)
{
	return LVT_TIMER_MODE(l->lvt[LVT_TIMER]);
}

static u64 period(const struct vlapic *l)
{
	return (u64)l->timer_initial * divisor(l->timer_divide);
}

/* (Re)arms the count-down modes from now: a zero initial count stops the timer. */
static void arm(struct vlapic *l, u64 now)
{
	l->timer_start = now;
	l->timer_deadline = 0;
	if (timer_mode(l) == TIMER_TSC_DEADLINE)
		l->timer_deadline = l->tsc_deadline;
	else if (l->timer_initial && timer_mode(l) != 3)
		l->timer_deadline = now + period(l);
}

void vlapic_timer_write_initial(struct vcpu *v, u32 val, u64 now)
{
	struct vlapic *l = &v->lapic;

	if (timer_mode(l) == TIMER_TSC_DEADLINE)
		return; /* TMICT is ignored in TSC-deadline mode (11.5.4.1) */
	l->timer_initial = val;
	arm(l, now);
}

/* A mode change stops the timer (11.5.4.1: switching to/from TSC-deadline disarms it). */
void vlapic_timer_write_lvt(struct vcpu *v, u32 val, u64 now)
{
	struct vlapic *l = &v->lapic;
	u32 old_mode = timer_mode(l);

	l->lvt[LVT_TIMER] = val & (0xff | LVT_MASKED | (3U << 17));
	if (timer_mode(l) == old_mode)
		return;
	l->timer_initial = 0;
	l->tsc_deadline = 0;
	l->timer_deadline = 0;
}

void vlapic_timer_write_divide(struct vcpu *v, u32 val, u64 now)
{
	struct vlapic *l = &v->lapic;
	u32 cur = vlapic_timer_current(v, now);

	l->timer_divide = val & 0xb;
	/* Keep the remaining count; it now counts at the new rate. */
	if (l->timer_deadline && timer_mode(l) != TIMER_TSC_DEADLINE) {
		l->timer_deadline = now + (u64)cur * divisor(l->timer_divide);
		l->timer_start = l->timer_deadline - period(l);
	}
}

u32 vlapic_timer_current(const struct vcpu *v, u64 now)
{
	const struct vlapic *l = &v->lapic;

	if (!l->timer_deadline || timer_mode(l) == TIMER_TSC_DEADLINE || now >= l->timer_deadline)
		return 0;
	return (u32)((l->timer_deadline - now + divisor(l->timer_divide) - 1) /
		     divisor(l->timer_divide));
}

static void fire(struct vcpu *v)
{
	u32 lvt = v->lapic.lvt[LVT_TIMER];

	if (!(lvt & LVT_MASKED))
		vlapic_set_irq(v, LVT_VECTOR(lvt), false);
}

void vlapic_timer_update(struct vcpu *v, u64 now)
{
	struct vlapic *l = &v->lapic;
	u64 p;

	if (!l->timer_deadline || now < l->timer_deadline)
		return;
	fire(v);
	if (timer_mode(l) == TIMER_TSC_DEADLINE) {
		l->tsc_deadline = 0; /* the MSR reads 0 once the timer fired (11.5.4.1) */
		l->timer_deadline = 0;
		return;
	}
	if (timer_mode(l) != TIMER_PERIODIC) {
		l->timer_deadline = 0;
		return;
	}
	/* Periodic: one interrupt for any number of missed periods (IRR holds one). */
	p = period(l);
	l->timer_start = l->timer_deadline + ((now - l->timer_deadline) / p) * p;
	l->timer_deadline = l->timer_start + p;
}

u64 vlapic_timer_next(const struct vcpu *v)
{
	return v->lapic.timer_deadline;
}

/* IA32_TSC_DEADLINE (SDM 11.5.4.1): writes arm the timer in TSC-deadline mode only; 0 disarms. */
int vlapic_tsc_deadline_read(struct vcpu *v, u32 msr, u64 *val)
{
	*val = timer_mode(&v->lapic) == TIMER_TSC_DEADLINE ? v->lapic.tsc_deadline : 0;
	return 0;
}

int vlapic_tsc_deadline_write(struct vcpu *v, u32 msr, u64 val)
{
	struct vlapic *l = &v->lapic;

	if (timer_mode(l) != TIMER_TSC_DEADLINE)
		return 0;
	l->tsc_deadline = val;
	l->timer_deadline = val;
	return 0;
}
