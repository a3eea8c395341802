/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Local APIC driver (Intel SDM Vol. 3A "Advanced Programmable Interrupt
 * Controller (APIC)"; AMD APM Vol. 2 "Local APIC"). xAPIC registers through
 * the MMIO page at IA32_APIC_BASE, or x2APIC MSRs when the firmware left the
 * APIC in x2APIC mode. Interrupts stay masked: the hypervisor polls, and talks
 * to other CPUs with INIT, SIPI and NMI.
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

#endif
