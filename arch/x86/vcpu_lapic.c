/* SPDX-License-Identifier: Apache-2.0 */
/*
 * A minimal local APIC (SDM Vol. 3A chapter "Advanced Programmable Interrupt
 * Controller"): enough for a guest to find itself (ID, version), enable its
 * APIC (IA32_APIC_BASE, SVR) and start its other CPUs with INIT and STARTUP
 * IPIs through the ICR, in xAPIC (MMIO page) or x2APIC (MSR) mode. IPIs only
 * ever reach this guest's own vCPUs. No interrupt is delivered yet: fixed and
 * NMI IPIs are dropped, timer and LVT registers are stored only. The full
 * model (or x2APIC passthrough) is a later issue.
 */
#include <arch/vcpu.h>
#include <hv/errno.h>
#include <hv/guest.h>
#include <hv/vdev.h>

#define APIC_DEFAULT_BASE 0xfee00000ULL
#define APIC_BASE_BSP	  BIT64(8)    /* IA32_APIC_BASE: bootstrap processor */
#define APIC_BASE_EXTD	  BIT64(10)   /* x2APIC mode */
#define APIC_BASE_EN	  BIT64(11)   /* APIC global enable */
#define APIC_VERSION	  0x00050014U /* version 0x14, max LVT entry 5 */

/* ICR fields (SDM Vol. 3A "Interrupt Command Register"). */
#define ICR_VECTOR(icr)	    ((u8)(icr))
#define ICR_DELIVERY(icr)   (((icr) >> 8) & 7)
#define ICR_DM_INIT	    5
#define ICR_DM_STARTUP	    6
#define ICR_DEST_LOGICAL    BIT64(11)
#define ICR_LEVEL_ASSERT    BIT64(14)
#define ICR_TRIGGER_LEVEL   BIT64(15)
#define ICR_SHORTHAND(icr)  (((icr) >> 18) & 3)
#define ICR_SH_NONE	    0
#define ICR_SH_SELF	    1
#define ICR_SH_ALL	    2
#define ICR_SH_ALL_BUT_SELF 3

/* Register offsets (xAPIC MMIO offset; x2APIC MSR = 0x800 + offset / 16). */
#define REG_ID	  0x020
#define REG_VER	  0x030
#define REG_TPR	  0x080
#define REG_PPR	  0x0a0
#define REG_EOI	  0x0b0
#define REG_LDR	  0x0d0
#define REG_DFR	  0x0e0
#define REG_SVR	  0x0f0
#define REG_ISR0  0x100
#define REG_IRR7  0x270
#define REG_ESR	  0x280
#define REG_CMCI  0x2f0
#define REG_ICR	  0x300
#define REG_ICR2  0x310
#define REG_LVT0  0x320 /* timer; thermal 0x330, perf 0x340, LINT0/1 0x350/0x360, error 0x370 */
#define REG_LVT5  0x370
#define REG_TMICT 0x380
#define REG_TMCCT 0x390
#define REG_TDCR  0x3e0
#define REG_SELF  0x3f0 /* x2APIC only */

static bool x2apic(const struct vcpu *v)
{
	return v->lapic.apic_base & APIC_BASE_EXTD;
}

void vlapic_reset(struct vcpu *v)
{
	struct vlapic *l = &v->lapic;

	*l = (struct vlapic){0};
	l->apic_base = APIC_DEFAULT_BASE | APIC_BASE_EN | (v->index == 0 ? APIC_BASE_BSP : 0);
	l->svr = 0xff;
	l->dfr = 0xffffffffU;
	for (unsigned int i = 0; i < ARRAY_SIZE(l->lvt); i++)
		l->lvt[i] = BIT(16); /* masked */
}

/* x2APIC logical ID: cluster in 31:16, one bit of 16 in 15:0 (SDM "Logical Destination Mode in
 * x2APIC Mode"). */
static u32 x2apic_ldr(u32 id)
{
	return ((id >> 4) << 16) | (1U << (id & 0xf));
}

static bool dest_matches(const struct vcpu *t, u64 icr, u32 dest)
{
	u32 broadcast = x2apic(t) ? 0xffffffffU : 0xffU;

	if (dest == broadcast)
		return true;
	if (!(icr & ICR_DEST_LOGICAL))
		return dest == t->index;
	if (x2apic(t)) {
		u32 ldr = x2apic_ldr(t->index);

		return (dest >> 16) == (ldr >> 16) && (dest & ldr & 0xffff);
	}
	/* xAPIC flat model only: 8-bit mask against LDR[31:24]. */
	return t->lapic.dfr == 0xffffffffU && ((t->lapic.ldr >> 24) & dest);
}

static bool ipi_targets(const struct vcpu *src, const struct vcpu *t, u64 icr, u32 dest)
{
	switch (ICR_SHORTHAND(icr)) {
	case ICR_SH_SELF:
		return t == src;
	case ICR_SH_ALL:
		return true;
	case ICR_SH_ALL_BUT_SELF:
		return t != src;
	default:
		return dest_matches(t, icr, dest);
	}
}

/* Sends an IPI with the full 64-bit ICR value; dest already extracted per mode. */
static void send_ipi(struct vcpu *src, u64 icr, u32 dest)
{
	u32 mode = ICR_DELIVERY(icr);
	u32 n = guest_vcpu_count(src->guest);

	if (mode != ICR_DM_INIT && mode != ICR_DM_STARTUP)
		return; /* no interrupt delivery yet */
	/* INIT level de-assert (level 0, trigger level) is a no-op on modern CPUs. */
	if (mode == ICR_DM_INIT && !(icr & ICR_LEVEL_ASSERT) && (icr & ICR_TRIGGER_LEVEL))
		return;
	for (u32 i = 0; i < n; i++) {
		struct vcpu *t = guest_vcpu(src->guest, i);

		if (!t || !ipi_targets(src, t, icr, dest))
			continue;
		if (mode == ICR_DM_INIT)
			vcpu_post_init(t);
		else
			vcpu_post_sipi(t, ICR_VECTOR(icr));
	}
}

/* Register read by offset; -EPERM for write-only or reserved registers. */
static int reg_read(struct vcpu *v, u32 off, u64 *val)
{
	struct vlapic *l = &v->lapic;

	if (off >= REG_ISR0 && off <= REG_IRR7) {
		*val = 0; /* ISR, TMR, IRR: nothing in service or pending */
		return 0;
	}
	if (off >= REG_LVT0 && off <= REG_LVT5) {
		*val = l->lvt[(off - REG_LVT0) / 16];
		return 0;
	}
	switch (off) {
	case REG_ID:
		*val = x2apic(v) ? v->index : v->index << 24;
		return 0;
	case REG_VER:
		*val = APIC_VERSION;
		return 0;
	case REG_TPR:
		*val = l->tpr;
		return 0;
	case REG_PPR:
	case REG_TMCCT:
		*val = 0;
		return 0;
	case REG_LDR:
		*val = x2apic(v) ? x2apic_ldr(v->index) : l->ldr;
		return 0;
	case REG_DFR:
		*val = l->dfr;
		return x2apic(v) ? -EPERM : 0;
	case REG_SVR:
		*val = l->svr;
		return 0;
	case REG_ESR:
		*val = l->esr;
		return 0;
	case REG_CMCI:
		*val = l->lvt[6];
		return 0;
	case REG_ICR:
		*val = l->icr_low | (x2apic(v) ? (u64)l->icr_high << 32 : 0);
		return 0;
	case REG_ICR2:
		*val = l->icr_high;
		return x2apic(v) ? -EPERM : 0;
	case REG_TMICT:
		*val = l->timer_initial;
		return 0;
	case REG_TDCR:
		*val = l->timer_divide;
		return 0;
	default:
		return -EPERM;
	}
}

static int reg_write(struct vcpu *v, u32 off, u64 val)
{
	struct vlapic *l = &v->lapic;

	if (off >= REG_LVT0 && off <= REG_LVT5) {
		l->lvt[(off - REG_LVT0) / 16] = (u32)val;
		return 0;
	}
	switch (off) {
	case REG_TPR:
		l->tpr = (u32)val & 0xff;
		return 0;
	case REG_EOI:
		return x2apic(v) && val ? -EPERM : 0;
	case REG_LDR:
		if (x2apic(v))
			return -EPERM; /* read-only in x2APIC mode */
		l->ldr = (u32)val & 0xff000000U;
		return 0;
	case REG_DFR:
		if (x2apic(v))
			return -EPERM;
		l->dfr = (u32)val | 0x0fffffffU;
		return 0;
	case REG_SVR:
		l->svr = (u32)val & 0x13ff;
		return 0;
	case REG_ESR:
		l->esr = 0;
		return 0;
	case REG_CMCI:
		l->lvt[6] = (u32)val;
		return 0;
	case REG_ICR:
		l->icr_low = (u32)val & ~BIT(12); /* delivery status: always idle */
		if (x2apic(v)) {
			l->icr_high = (u32)(val >> 32);
			send_ipi(v, val, l->icr_high);
		} else {
			send_ipi(v, l->icr_low, l->icr_high >> 24);
		}
		return 0;
	case REG_ICR2:
		if (x2apic(v))
			return -EPERM;
		l->icr_high = (u32)val & 0xff000000U;
		return 0;
	case REG_TMICT:
		l->timer_initial = (u32)val;
		return 0;
	case REG_TDCR:
		l->timer_divide = (u32)val & 0xb;
		return 0;
	case REG_SELF:
		return x2apic(v) ? 0 : -EPERM; /* self IPI: no delivery yet */
	default:
		return -EPERM;
	}
}

/* IA32_APIC_BASE transitions (SDM "x2APIC State Transitions"): no EXTD without EN,
 * no x2APIC -> xAPIC directly, the base stays at its default. */
static int apic_base_write(struct vcpu *v, u64 val)
{
	u64 old = v->lapic.apic_base;
	bool en = val & APIC_BASE_EN, extd = val & APIC_BASE_EXTD;

	if ((val & ~(APIC_BASE_BSP | APIC_BASE_EN | APIC_BASE_EXTD)) != APIC_DEFAULT_BASE)
		return -EPERM;
	if (extd && !en)
		return -EPERM;
	if ((old & APIC_BASE_EXTD) && en && !extd)
		return -EPERM;
	v->lapic.apic_base = (val & ~APIC_BASE_BSP) | (old & APIC_BASE_BSP);
	return 0;
}

#define MSR_APIC_BASE_NR 0x1b

int vlapic_msr_read(struct vcpu *v, u32 msr, u64 *val)
{
	if (msr == MSR_APIC_BASE_NR) {
		*val = v->lapic.apic_base;
		return 0;
	}
	if (!x2apic(v))
		return -EPERM;
	return reg_read(v, (msr - 0x800) * 16, val);
}

int vlapic_msr_write(struct vcpu *v, u32 msr, u64 val)
{
	if (msr == MSR_APIC_BASE_NR)
		return apic_base_write(v, val);
	if (!x2apic(v))
		return -EPERM;
	if ((msr - 0x800) * 16 != REG_ICR && (val >> 32))
		return -EPERM;
	return reg_write(v, (msr - 0x800) * 16, val);
}

/* xAPIC MMIO: 32-bit aligned accesses to 16-byte aligned registers; others read 0 / are dropped. */
static int mmio_read(void *ctx, struct vcpu *v, u64 addr, unsigned int size, u64 *val)
{
	u32 off = addr & 0xfff;

	*val = 0;
	if (x2apic(v) || !(v->lapic.apic_base & APIC_BASE_EN) || (off & 0xf) || size != 4)
		return 0;
	if (reg_read(v, off, val))
		*val = 0;
	*val &= 0xffffffffU;
	return 0;
}

static int mmio_write(void *ctx, struct vcpu *v, u64 addr, unsigned int size, u64 val)
{
	u32 off = addr & 0xfff;

	if (x2apic(v) || !(v->lapic.apic_base & APIC_BASE_EN) || (off & 0xf) || size != 4)
		return 0;
	reg_write(v, off,
		  val & 0xffffffffU); /* errors on MMIO are silently ignored, as on hardware */
	return 0;
}

static const struct vdev_ops vlapic_mmio_ops = {
	.read = mmio_read,
	.write = mmio_write,
};

int arch_vdev_init(struct vdev_bus *bus)
{
	return vdev_add_mmio(bus, "lapic", APIC_DEFAULT_BASE, PAGE_SIZE, &vlapic_mmio_ops, NULL);
}
