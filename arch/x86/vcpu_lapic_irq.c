/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The local APIC model's interrupt state: acceptance into IRR (from any CPU,
 * with atomics), priorities, injection into ISR and EOI on the owning CPU
 * (SDM Vol. 3A 11.8 "Handling Interrupts"), and the destination logic that
 * keeps every message inside the guest (11.6.2 "Determining IPI
 * Destination"). Pure: host-tested by tests/unit/test_vlapic.c.
 */
#include <arch/vcpu.h>
#include <arch/vlapic.h>
#include <hv/errno.h>
#include <hv/guest.h>

#include "vcpu_lapic.h"

/* Stands in until the IOAPIC (kernel/vdev/) provides the real one. */
__attribute__((weak)) void vioapic_eoi(struct guest *g, u8 vector)
{
}

static void set_bit256(u32 *map, u8 vector)
{
	__atomic_fetch_or(&map[vector / 32], BIT(vector % 32), __ATOMIC_SEQ_CST);
}

static void clear_bit256(u32 *map, u8 vector)
{
	__atomic_fetch_and(&map[vector / 32], ~BIT(vector % 32), __ATOMIC_SEQ_CST);
}

static bool test_bit256(const u32 *map, u8 vector)
{
	return __atomic_load_n(&map[vector / 32], __ATOMIC_SEQ_CST) & BIT(vector % 32);
}

/* The highest set vector, or -1. */
static int highest_bit256(const u32 *map)
{
	for (int w = 7; w >= 0; w--) {
		u32 bits = __atomic_load_n(&map[w], __ATOMIC_SEQ_CST);

		if (bits)
			return w * 32 + 31 - __builtin_clz(bits);
	}
	return -1;
}

static void post_event(struct vcpu *v)
{
	__atomic_fetch_or(&v->pending, VCPU_REQ_EVENT, __ATOMIC_SEQ_CST);
	vcpu_kick(v);
}

void vlapic_error(struct vcpu *v, u32 bits)
{
	u32 lvt = v->lapic.lvt[LVT_ERROR];

	__atomic_fetch_or(&v->lapic.esr, bits, __ATOMIC_SEQ_CST);
	/* The error interrupt itself cannot be illegal: a vector below 16 is not re-raised. */
	if (!(lvt & LVT_MASKED) && LVT_VECTOR(lvt) >= 16 && vlapic_enabled(v))
		set_bit256(v->lapic.irr, LVT_VECTOR(lvt));
}

void vlapic_set_irq(struct vcpu *v, u8 vector, bool level_triggered)
{
	if (!vlapic_enabled(v))
		return;
	if (vector < 16) {
		vlapic_error(v, ESR_RECV_ILLEGAL_VECTOR);
		return;
	}
	/* TMR is set or cleared when the interrupt is accepted into IRR (SDM 11.8.4). */
	if (level_triggered)
		set_bit256(v->lapic.tmr, vector);
	else
		clear_bit256(v->lapic.tmr, vector);
	set_bit256(v->lapic.irr, vector);
	post_event(v);
}

void vlapic_set_nmi(struct vcpu *v)
{
	__atomic_store_n(&v->lapic.nmi_pending, 1, __ATOMIC_SEQ_CST);
	post_event(v);
}

bool vlapic_take_nmi(struct vcpu *v)
{
	return __atomic_exchange_n(&v->lapic.nmi_pending, 0, __ATOMIC_SEQ_CST);
}

u32 vlapic_ppr(const struct vcpu *v)
{
	int isrv = highest_bit256(v->lapic.isr);
	u32 tpr = v->lapic.tpr & 0xff;
	u32 isr_class = isrv < 0 ? 0 : (u32)isrv & 0xf0;

	return (tpr & 0xf0) >= isr_class ? tpr : isr_class;
}

u8 vlapic_get_tpr(const struct vcpu *v)
{
	return (u8)v->lapic.tpr;
}

void vlapic_set_tpr(struct vcpu *v, u8 tpr)
{
	v->lapic.tpr = tpr;
}

int vlapic_pending_vector(const struct vcpu *v)
{
	int irrv = highest_bit256(v->lapic.irr);

	if (irrv < 0 || !vlapic_enabled(v))
		return -1;
	return ((u32)irrv & 0xf0) > (vlapic_ppr(v) & 0xf0) ? irrv : -1;
}

bool vlapic_has_pending(const struct vcpu *v)
{
	return vlapic_pending_vector(v) >= 0;
}

void vlapic_accept(struct vcpu *v, u8 vector)
{
	clear_bit256(v->lapic.irr, vector);
	set_bit256(v->lapic.isr, vector);
}

void vlapic_eoi(struct vcpu *v)
{
	int isrv = highest_bit256(v->lapic.isr);

	if (isrv < 0)
		return;
	clear_bit256(v->lapic.isr, (u8)isrv);
	if (test_bit256(v->lapic.tmr, (u8)isrv))
		vioapic_eoi(v->guest, (u8)isrv);
}

/* ---- destinations: the guest's own vCPUs only -------------------------------------- */

static bool logical_matches(const struct vcpu *t, u32 dest)
{
	u32 ldr = t->lapic.ldr >> 24;

	if (vlapic_x2apic(t)) {
		u32 x = vlapic_x2apic_ldr(t->index);

		return dest == VLAPIC_BROADCAST_X2APIC ||
		       ((dest >> 16) == (x >> 16) && (dest & x & 0xffff));
	}
	dest &= 0xff;
	if (dest == 0xff)
		return true;
	if ((t->lapic.dfr >> 28) == 0xf) /* flat model: one bit per APIC */
		return ldr & dest;
	/* cluster model: cluster in 7:4, member bits in 3:0 (SDM 11.6.2.2) */
	return (dest >> 4) == (ldr >> 4) && (dest & ldr & 0xf);
}

static bool dest_matches(const struct vcpu *t, u32 dest, bool logical)
{
	if (logical)
		return logical_matches(t, dest);
	/* 0xff: xAPIC broadcast, and the IOAPIC's (an 8-bit field) for x2APIC targets too */
	if (dest == VLAPIC_BROADCAST_X2APIC || dest == VLAPIC_BROADCAST_XAPIC ||
	    (!vlapic_x2apic(t) && (dest & 0xff) == 0xff))
		return true;
	return dest == t->index;
}

/* One message to one vCPU; fixed and lowest-priority need an enabled APIC. */
static int deliver_one(struct vcpu *t, u8 vector, u8 mode, bool level)
{
	switch (mode) {
	case VLAPIC_DM_FIXED:
	case VLAPIC_DM_LOWEST:
		vlapic_set_irq(t, vector, level);
		return 0;
	case VLAPIC_DM_NMI:
		vlapic_set_nmi(t);
		return 0;
	case VLAPIC_DM_INIT:
		vcpu_post_init(t);
		return 0;
	case VLAPIC_DM_STARTUP:
		vcpu_post_sipi(t, vector);
		return 0;
	default:
		return -ENOTSUP;
	}
}

static int check_mode(u8 mode)
{
	if (mode == VLAPIC_DM_SMI || mode == VLAPIC_DM_EXTINT)
		return -ENOTSUP;
	return mode == 3 || mode > 7 ? -EINVAL : 0;
}

/*
 * Lowest priority: the hardware arbitrates on the processor priority; the
 * first enabled matching vCPU is an allowed choice (SDM 11.6.2.4 leaves
 * the arbitration model-specific) and keeps delivery deterministic.
 */
int vlapic_deliver(struct guest *g, u32 dest, bool logical, u8 vector, u8 delivery_mode, bool level)
{
	u32 n = guest_vcpu_count(g);
	int err = check_mode(delivery_mode), count = 0;

	if (err)
		return err;
	for (u32 i = 0; i < n; i++) {
		struct vcpu *t = guest_vcpu(g, i);

		if (!t || !dest_matches(t, dest, logical))
			continue;
		if (delivery_mode == VLAPIC_DM_LOWEST && !vlapic_enabled(t))
			continue;
		deliver_one(t, vector, delivery_mode, level);
		count++;
		if (delivery_mode == VLAPIC_DM_LOWEST)
			break;
	}
	return count;
}

static bool shorthand_targets(const struct vcpu *src, const struct vcpu *t, u64 icr, u32 dest)
{
	switch (ICR_SHORTHAND(icr)) {
	case ICR_SH_SELF:
		return t == src;
	case ICR_SH_ALL:
		return true;
	case ICR_SH_ALL_BUT_SELF:
		return t != src;
	default:
		return dest_matches(t, dest, icr & ICR_DEST_LOGICAL);
	}
}

/* ICR writes (SDM 11.6.1): the same delivery, with the destination shorthands. */
void vlapic_send_ipi(struct vcpu *src, u64 icr, u32 dest)
{
	u8 mode = ICR_DELIVERY(icr), vector = ICR_VECTOR(icr);
	u32 n = guest_vcpu_count(src->guest);

	/* INIT level de-assert (level 0, trigger level) is a no-op on modern CPUs. */
	if (mode == VLAPIC_DM_INIT && !(icr & ICR_LEVEL_ASSERT) && (icr & ICR_TRIGGER_LEVEL))
		return;
	if (check_mode(mode))
		return;
	if ((mode == VLAPIC_DM_FIXED || mode == VLAPIC_DM_LOWEST) && vector < 16) {
		vlapic_error(src, ESR_SEND_ILLEGAL_VECTOR);
		return;
	}
	for (u32 i = 0; i < n; i++) {
		struct vcpu *t = guest_vcpu(src->guest, i);

		if (t && shorthand_targets(src, t, icr, dest))
			deliver_one(t, vector, mode, false);
	}
}
