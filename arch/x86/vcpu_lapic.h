/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Shared by the local APIC model's files (arch/x86/vcpu_lapic*.c): register
 * offsets and bit masks (SDM Vol. 3A chapter 11 "Advanced Programmable
 * Interrupt Controller (APIC)"). Private to arch/x86.
 */
#ifndef X86_VCPU_LAPIC_H
#define X86_VCPU_LAPIC_H

#include <arch/vcpu.h>

#define APIC_DEFAULT_BASE 0xfee00000ULL
#define APIC_BASE_BSP	  BIT64(8)  /* IA32_APIC_BASE: bootstrap processor */
#define APIC_BASE_EXTD	  BIT64(10) /* x2APIC mode */
#define APIC_BASE_EN	  BIT64(11) /* APIC global enable */
#define APIC_BASE_ADDR	  0x000ffffffffff000ULL

#define SVR_ENABLE BIT(8) /* APIC software enable (SDM 11.9) */

/* ICR fields (SDM 11.6.1 "Interrupt Command Register"). */
#define ICR_VECTOR(icr)	    ((u8)(icr))
#define ICR_DELIVERY(icr)   ((u8)(((icr) >> 8) & 7))
#define ICR_DEST_LOGICAL    BIT64(11)
#define ICR_DELIVERY_STATUS BIT(12)
#define ICR_LEVEL_ASSERT    BIT64(14)
#define ICR_TRIGGER_LEVEL   BIT64(15)
#define ICR_SHORTHAND(icr)  (((icr) >> 18) & 3)
#define ICR_SH_NONE	    0
#define ICR_SH_SELF	    1
#define ICR_SH_ALL	    2
#define ICR_SH_ALL_BUT_SELF 3

/* LVT entries (SDM 11.5.1, Figure 11-8). */
#define LVT_TIMER	   0
#define LVT_LINT0	   3
#define LVT_LINT1	   4
#define LVT_ERROR	   5
#define LVT_CMCI	   6
#define LVT_VECTOR(lvt)	   ((u8)(lvt))
#define LVT_MASKED	   BIT(16)
#define LVT_TIMER_MODE(l)  (((l) >> 17) & 3)
#define TIMER_ONESHOT	   0
#define TIMER_PERIODIC	   1
#define TIMER_TSC_DEADLINE 2

/* ESR bits (SDM 11.5.3, Figure 11-9). */
#define ESR_SEND_ILLEGAL_VECTOR BIT(5)
#define ESR_RECV_ILLEGAL_VECTOR BIT(6)
#define ESR_ILLEGAL_REG		BIT(7)

/* Register offsets (xAPIC MMIO offset; x2APIC MSR = 0x800 + offset / 16). */
#define REG_ID	  0x020
#define REG_VER	  0x030
#define REG_TPR	  0x080
#define REG_APR	  0x090
#define REG_PPR	  0x0a0
#define REG_EOI	  0x0b0
#define REG_RRD	  0x0c0
#define REG_LDR	  0x0d0
#define REG_DFR	  0x0e0
#define REG_SVR	  0x0f0
#define REG_ISR0  0x100
#define REG_TMR0  0x180
#define REG_IRR0  0x200
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

static inline bool vlapic_x2apic(const struct vcpu *v)
{
	return v->lapic.apic_base & APIC_BASE_EXTD;
}

/* Globally (IA32_APIC_BASE.EN) and software (SVR) enabled: only then are interrupts accepted. */
static inline bool vlapic_enabled(const struct vcpu *v)
{
	return (v->lapic.apic_base & APIC_BASE_EN) && (v->lapic.svr & SVR_ENABLE);
}

/* x2APIC logical ID: cluster in 31:16, one bit of 16 in 15:0 (SDM 11.12.10.2). */
static inline u32 vlapic_x2apic_ldr(u32 id)
{
	return ((id >> 4) << 16) | (1U << (id & 0xf));
}

/* Sends the IPI described by a full ICR value from src (vcpu_lapic_irq.c). */
void vlapic_send_ipi(struct vcpu *src, u64 icr, u32 dest);
/* Sets the error bits in ESR (and raises the LVT error interrupt if unmasked). */
void vlapic_error(struct vcpu *v, u32 bits);

#endif
