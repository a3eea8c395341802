/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The virtual local APIC: how interrupts reach a guest's vCPUs.
 *
 * Every interrupt a guest receives ends in the local APIC model of one (or
 * several) of its vCPUs (arch/x86/vcpu_lapic*.c): the vector is set in that
 * vCPU's IRR, and the vCPU loop injects the highest-priority one above the
 * PPR before the next guest entry (SDM Vol. 3A 11.8 "Handling Interrupts").
 *
 * Sources and the call each one uses:
 *
 *   the IOAPIC (kernel/vdev/)	  vlapic_deliver() with the fields of a
 *				  redirection entry, and vioapic_eoi() back
 *				  from the LAPIC for level-triggered vectors
 *   a device raising a line	  through the IOAPIC (its GSI), never here:
 *				  the IOAPIC owns pin levels, polarity, masks
 *   a device with its own vector vlapic_set_irq() on one vCPU (e.g. a
 *   (doorbell, MSI later)	  shared-memory doorbell)
 *   the local APIC itself	  ICR (IPIs between the guest's own CPUs),
 *				  LVT timer and error entries
 *
 * Only the guest's own vCPUs are ever reached: destinations are matched
 * against that guest's APIC IDs (= vCPU index) and nothing else, broadcast
 * included. These functions may be called from any physical CPU (a device
 * model may run on the console CPU): the IRR update is atomic, and a target
 * that is in guest mode is kicked (vcpu_kick, an NMI) so that it takes the
 * interrupt promptly; a halted target wakes. They take no locks the caller
 * could hold, and must not be called from an NMI handler.
 *
 * Room for the direct-delivery target (design.md "Interrupts, target"): the
 * interface names destinations and vectors only, so a backend that posts
 * interrupts to hardware-owned APICs can replace the model behind it.
 */
#ifndef ARCH_VLAPIC_H
#define ARCH_VLAPIC_H

#include <hv/types.h>

struct guest;
struct vcpu;

/*
 * Delivery modes, as encoded in ICR bits 10:8 and IOAPIC redirection entry
 * bits 10:8 (SDM Vol. 3A 11.6.1 "Interrupt Command Register"; 82093AA IOAPIC
 * datasheet 3.2.4).
 */
#define VLAPIC_DM_FIXED	  0
#define VLAPIC_DM_LOWEST  1 /* lowest priority: the first matching vCPU gets it */
#define VLAPIC_DM_SMI	  2 /* not supported: rejected with -ENOTSUP */
#define VLAPIC_DM_NMI	  4
#define VLAPIC_DM_INIT	  5
#define VLAPIC_DM_STARTUP 6
#define VLAPIC_DM_EXTINT  7 /* not supported (the 8259 stays masked): -ENOTSUP */

/* Physical destination 0xff (xAPIC) / 0xffffffff (x2APIC): all of the guest's CPUs. */
#define VLAPIC_BROADCAST_XAPIC	0xffU
#define VLAPIC_BROADCAST_X2APIC 0xffffffffU

/*
 * Delivers one interrupt message to the guest's vCPUs whose local APIC
 * matches (SDM Vol. 3A 11.6.2 "Determining IPI Destination"):
 *
 *   dest	  physical: an APIC ID (the vCPU index), or the broadcast value
 *		  of the target's mode; logical: a mask compared with each
 *		  vCPU's LDR (xAPIC flat model: 8-bit mask against LDR[31:24];
 *		  x2APIC cluster model: cluster in 31:16, member bits in 15:0).
 *		  An IOAPIC passes its 8-bit destination field; it matches
 *		  xAPIC and x2APIC targets alike (0xff is broadcast to both).
 *   logical	  destination mode (IOAPIC RTE bit 11, ICR bit 11)
 *   vector	  0-255; vectors 0-15 set ESR "received illegal vector" and
 *		  are dropped for FIXED/LOWEST (SDM 11.5.3)
 *   delivery_mode VLAPIC_DM_*; STARTUP uses vector as the SIPI page number
 *   level	  trigger mode: a level-triggered FIXED vector sets the
 *		  target's TMR bit, and its EOI calls vioapic_eoi()
 *
 * A target whose APIC is software-disabled (SVR bit 8 clear) or globally
 * disabled (IA32_APIC_BASE.EN = 0) drops FIXED/LOWEST interrupts, as the
 * hardware does; NMI, INIT and STARTUP still arrive.
 *
 * Returns the number of vCPUs the message reached (0 when no vCPU matches),
 * or -ENOTSUP for SMI / ExtINT, -EINVAL for an undefined delivery mode.
 */
int vlapic_deliver(struct guest *g, u32 dest, bool logical, u8 vector, u8 delivery_mode,
		   bool level);

/*
 * Sets vector in v's IRR (fixed delivery) and kicks or wakes v. With
 * level_triggered, the TMR bit is set too, so the guest's EOI is forwarded
 * to vioapic_eoi(). Vectors below 16 are dropped (ESR); a disabled APIC
 * drops it. Any CPU.
 */
void vlapic_set_irq(struct vcpu *v, u8 vector, bool level_triggered);

/* Sends an NMI to v (the LVT/ICR NMI path; vlapic_deliver with VLAPIC_DM_NMI). Any CPU. */
void vlapic_set_nmi(struct vcpu *v);

/*
 * Called by the local APIC model, on the vCPU's own CPU, when the guest
 * EOIs a vector whose TMR bit was set (a level-triggered interrupt): the
 * IOAPIC clears Remote IRR on every redirection entry with that vector and
 * re-delivers it if its line is still asserted (82093AA 3.2.4). The IOAPIC
 * (kernel/vdev/) provides the strong definition; a weak no-op stands in for
 * it until then (arch/x86/vcpu_lapic.c).
 */
void vioapic_eoi(struct guest *g, u8 vector);

/* Whether v has an interrupt to inject now: the highest IRR vector's class is above the PPR's. */
bool vlapic_has_pending(const struct vcpu *v);

#endif
