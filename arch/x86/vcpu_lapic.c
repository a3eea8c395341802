/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The local APIC register file (SDM Vol. 3A chapter 11 "Advanced
 * Programmable Interrupt Controller"), one model behind both interfaces: the
 * xAPIC MMIO page at the guest's APIC base (an MMIO device: accesses arrive
 * as second-level faults and are decoded, arch/x86/decode.c) and the x2APIC
 * MSRs 0x800-0x8ff (11.12). IA32_APIC_BASE enables, disables and switches
 * modes (11.12.5). The interrupt state is in vcpu_lapic_irq.c, the timer in
 * vcpu_lapic_timer.c. IPIs only ever reach this guest's own vCPUs.
 */
#include <arch/vcpu.h>
#include <arch/vlapic.h>
#include <hv/errno.h>
#include <hv/guest.h>
#include <hv/string.h>
#include <hv/vdev.h>

#include "vcpu_lapic.h"

#define APIC_VERSION 0x00060014U /* version 0x14 (integrated), max LVT entry 6 (CMCI) */

/* Power-up / INIT state (SDM 11.4.7.1): everything masked, flat model, APIC enabled globally. */
void vlapic_reset(struct vcpu *v)
{
	struct vlapic *l = &v->lapic;

	memset(l, 0, sizeof(*l));
	l->apic_base = APIC_DEFAULT_BASE | APIC_BASE_EN | (v->index == 0 ? APIC_BASE_BSP : 0);
	l->svr = 0xff;
	l->dfr = 0xffffffffU;
	for (unsigned int i = 0; i < ARRAY_SIZE(l->lvt); i++)
		l->lvt[i] = LVT_MASKED;
}

/* ISR, TMR, IRR: eight 32-bit registers each, 16 bytes apart. */
static bool read_bitmap(const struct vlapic *l, u32 off, u64 *val)
{
	if (off < REG_ISR0 || off > REG_IRR7)
		return false;
	if (off >= REG_IRR0)
		*val = __atomic_load_n(&l->irr[(off - REG_IRR0) / 16], __ATOMIC_SEQ_CST);
	else if (off >= REG_TMR0)
		*val = __atomic_load_n(&l->tmr[(off - REG_TMR0) / 16], __ATOMIC_SEQ_CST);
	else
		*val = l->isr[(off - REG_ISR0) / 16];
	return true;
}

static u32 lvt_index(u32 off)
{
	return off == REG_CMCI ? LVT_CMCI : (off - REG_LVT0) / 16;
}

static bool is_lvt(u32 off)
{
	return off == REG_CMCI || (off >= REG_LVT0 && off <= REG_LVT5);
}

/* Register read by offset; -EPERM for write-only or reserved registers. */
static int reg_read(struct vcpu *v, u32 off, u64 *val)
{
	struct vlapic *l = &v->lapic;

	if (read_bitmap(l, off, val))
		return 0;
	if (is_lvt(off)) {
		*val = l->lvt[lvt_index(off)];
		return 0;
	}
	switch (off) {
	case REG_ID:
		*val = vlapic_x2apic(v) ? v->index : v->index << 24;
		return 0;
	case REG_VER:
		*val = APIC_VERSION;
		return 0;
	case REG_TPR:
		*val = l->tpr;
		return 0;
	case REG_PPR:
		*val = vlapic_ppr(v);
		return 0;
	case REG_LDR:
		*val = vlapic_x2apic(v) ? vlapic_x2apic_ldr(v->index) : l->ldr;
		return 0;
	case REG_DFR:
		*val = l->dfr;
		return vlapic_x2apic(v) ? -EPERM : 0;
	case REG_SVR:
		*val = l->svr;
		return 0;
	case REG_ESR:
		*val = l->esr_latched;
		return 0;
	case REG_ICR:
		*val = l->icr_low | (vlapic_x2apic(v) ? (u64)l->icr_high << 32 : 0);
		return 0;
	case REG_ICR2:
		*val = l->icr_high;
		return vlapic_x2apic(v) ? -EPERM : 0;
	case REG_TMICT:
		*val = l->timer_initial;
		return 0;
	case REG_TMCCT:
		*val = vlapic_timer_current(v, vcpu_cycles());
		return 0;
	case REG_TDCR:
		*val = l->timer_divide;
		return 0;
	default:
		return -EPERM;
	}
}

/* LVT writes keep the defined bits; while the APIC is software-disabled the mask stays set. */
static void lvt_write(struct vcpu *v, u32 off, u32 val)
{
	u32 i = lvt_index(off);

	if (!(v->lapic.svr & SVR_ENABLE))
		val |= LVT_MASKED;
	if (i == LVT_TIMER)
		vlapic_timer_write_lvt(v, val, vcpu_cycles());
	else
		v->lapic.lvt[i] = val & 0x1a7ff; /* vector, mode, polarity, trigger, mask */
}

/* SVR bit 8 clear masks every LVT (SDM 11.4.7.2). */
static void svr_write(struct vcpu *v, u32 val)
{
	struct vlapic *l = &v->lapic;

	l->svr = val & 0x13ff;
	if (l->svr & SVR_ENABLE)
		return;
	for (unsigned int i = 0; i < ARRAY_SIZE(l->lvt); i++)
		l->lvt[i] |= LVT_MASKED;
}

static int icr_write(struct vcpu *v, u64 val)
{
	struct vlapic *l = &v->lapic;

	l->icr_low = (u32)val & ~ICR_DELIVERY_STATUS; /* delivery is instant: always idle */
	if (vlapic_x2apic(v)) {
		l->icr_high = (u32)(val >> 32);
		vlapic_send_ipi(v, val, l->icr_high);
	} else {
		vlapic_send_ipi(v, l->icr_low, l->icr_high >> 24);
	}
	return 0;
}

static int reg_write_misc(struct vcpu *v, u32 off, u64 val)
{
	struct vlapic *l = &v->lapic;

	switch (off) {
	case REG_LDR:
		if (vlapic_x2apic(v))
			return -EPERM; /* read-only in x2APIC mode */
		l->ldr = (u32)val & 0xff000000U;
		return 0;
	case REG_DFR:
		if (vlapic_x2apic(v))
			return -EPERM;
		l->dfr = (u32)val | 0x0fffffffU;
		return 0;
	case REG_ICR2:
		if (vlapic_x2apic(v))
			return -EPERM;
		l->icr_high = (u32)val & 0xff000000U;
		return 0;
	case REG_SELF:
		if (!vlapic_x2apic(v))
			return -EPERM;
		vlapic_set_irq(v, (u8)val, false); /* self IPI: fixed, edge (11.12.11) */
		return 0;
	default:
		return -EPERM;
	}
}

static int reg_write(struct vcpu *v, u32 off, u64 val)
{
	struct vlapic *l = &v->lapic;

	if (is_lvt(off)) {
		lvt_write(v, off, (u32)val);
		return 0;
	}
	switch (off) {
	case REG_TPR:
		l->tpr = (u32)val & 0xff;
		return 0;
	case REG_EOI:
		if (vlapic_x2apic(v) && val)
			return -EPERM; /* x2APIC EOI must be written with 0 (11.12.1.2) */
		vlapic_eoi(v);
		return 0;
	case REG_SVR:
		svr_write(v, (u32)val);
		return 0;
	case REG_ESR:
		l->esr_latched = __atomic_exchange_n(&l->esr, 0, __ATOMIC_SEQ_CST);
		return 0;
	case REG_ICR:
		return icr_write(v, val);
	case REG_TMICT:
		vlapic_timer_write_initial(v, (u32)val, vcpu_cycles());
		return 0;
	case REG_TDCR:
		vlapic_timer_write_divide(v, (u32)val, vcpu_cycles());
		return 0;
	default:
		return reg_write_misc(v, off, val);
	}
}

/*
 * IA32_APIC_BASE transitions (SDM 11.12.5 "x2APIC State Transitions"): no
 * EXTD without EN, no x2APIC -> xAPIC directly. Clearing EN resets the
 * APIC (everything but the base MSR); setting it again starts from there.
 * The base stays at its default: the MMIO device is registered there.
 */
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
	if (!en && (old & APIC_BASE_EN))
		vlapic_reset(v);
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
	if (!vlapic_x2apic(v))
		return -EPERM;
	return reg_read(v, (msr - 0x800) * 16, val);
}

int vlapic_msr_write(struct vcpu *v, u32 msr, u64 val)
{
	u32 off = (msr - 0x800) * 16;

	if (msr == MSR_APIC_BASE_NR)
		return apic_base_write(v, val);
	if (!vlapic_x2apic(v))
		return -EPERM;
	if (off != REG_ICR && (val >> 32))
		return -EPERM;
	return reg_write(v, off, val);
}

/* Whether this vCPU's xAPIC page is where the access went. */
static bool mmio_match(const struct vcpu *v, u64 addr)
{
	return !vlapic_x2apic(v) && (v->lapic.apic_base & APIC_BASE_EN) &&
	       (addr & PAGE_MASK) == (v->lapic.apic_base & APIC_BASE_ADDR);
}

/*
 * xAPIC MMIO: 32-bit accesses to 16-byte aligned registers (SDM 11.4.1);
 * other accesses read 0 and are dropped, illegal registers set ESR bit 7.
 */
static int mmio_read(void *ctx, struct vcpu *v, u64 addr, unsigned int size, u64 *val)
{
	u32 off = addr & 0xfff;

	*val = 0;
	if (!mmio_match(v, addr) || (off & 0xf) || size != 4)
		return 0;
	if (reg_read(v, off, val)) {
		*val = 0;
		vlapic_error(v, ESR_ILLEGAL_REG);
	}
	*val &= 0xffffffffU;
	return 0;
}

static int mmio_write(void *ctx, struct vcpu *v, u64 addr, unsigned int size, u64 val)
{
	u32 off = addr & 0xfff;

	if (!mmio_match(v, addr) || (off & 0xf) || size != 4)
		return 0;
	if (reg_write(v, off, val & 0xffffffffU))
		vlapic_error(v, ESR_ILLEGAL_REG);
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
