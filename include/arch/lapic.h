/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Local APIC driver (Intel SDM Vol. 3A "Advanced Programmable Interrupt
 * Controller (APIC)"; AMD APM Vol. 2 "Local APIC"). xAPIC registers through
 * the MMIO page at IA32_APIC_BASE, or x2APIC MSRs when the firmware left the
 * APIC in x2APIC mode. The hypervisor polls and talks to other CPUs with
 * INIT, SIPI and NMI; its only interrupt is its own tick (below), used where
 * the virtualization extension has no timer of its own (SVM).
 */
#ifndef ARCH_LAPIC_H
#define ARCH_LAPIC_H

#include <hv/types.h>

/* Boot CPU: picks xAPIC or x2APIC and software-enables the APIC. */
void lapic_init(void);
/* AP: enables its APIC in the mode the boot CPU chose. */
void lapic_init_ap(void);
/* True once lapic_init() ran (IPIs can be sent). */
bool lapic_ready(void);
bool lapic_x2apic(void);

u32 lapic_id(void);
void lapic_eoi(void);

/* IPIs; return 0, or -ETIMEDOUT if the APIC never accepted the xAPIC ICR write. */
int lapic_send_init(u32 apic_id);
int lapic_send_sipi(u32 apic_id, u8 start_page);
int lapic_send_nmi(u32 apic_id);
/* NMI to every CPU but this one (destination shorthand "all excluding self"). */
int lapic_send_nmi_all_but_self(void);

/*
 * The hypervisor tick timer (docs/svm.md "The hypervisor tick"): this CPU's
 * local APIC timer, one-shot at LAPIC_TICK_VECTOR, whose IDT handler only
 * EOIs. Its priority class is 15; lapic_timer_setup() raises the TPR to class
 * 14, masks LINT0 and the other local interrupt sources and the legacy PIC,
 * so nothing else can interrupt the hypervisor even with RFLAGS.IF = 1.
 */
#define LAPIC_TICK_VECTOR 0xf0
#define LAPIC_TICK_TPR	  0xe0

/* On each CPU that uses the timer (after tsc_init): the first call calibrates it against the
 * TSC. */
void lapic_timer_setup(void);
/* Arms the one-shot timer to fire at host TSC deadline (0: disarms it). */
void lapic_timer_arm(u64 deadline_tsc);
/* The APIC timer's frequency in Hz (divide by 1), 0 before calibration. */
u64 lapic_timer_hz(void);
/*
 * Every interrupt vector but the spurious one has the same handler (lapic_irq_stub in
 * exception.S): lapic_eoi(), nothing else. For the tick the interrupt itself was the
 * point; any other vector nobody should send (a device or a misprogrammed MSI can),
 * and it is dropped. Interrupts do not nest here, so the EOI ends the one in service.
 */
/* The spurious vector: EOI only if a real interrupt came in on it (SDM 11.9). */
void lapic_spurious_interrupt(void);

#endif
