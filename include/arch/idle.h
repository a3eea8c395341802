/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Sleeping without losing a wake-up. A CPU with nothing to do halts; another
 * CPU wakes it with cpu_wake(): a store to the sleeper's wake word, then an
 * NMI (the hypervisor's only cross-CPU signal, because an NMI also makes a
 * guest exit). The sleeper clears the word, looks for work, and calls
 * cpu_idle_wait(), which checks the word once more and halts.
 *
 * An NMI that lands after that last check but before hlt would wake nothing:
 * the NMI handler sees its return address inside the window between the
 * check and hlt (cpu_idle_nmi_return) and returns past hlt instead, so the
 * sleeper goes round its loop again (arch/x86/idle.S).
 */
#ifndef ARCH_IDLE_H
#define ARCH_IDLE_H

#include <arch/percpu.h>
#include <hv/types.h>

/*
 * Halts unless *wake is set, until an NMI or, with open_irqs, an interrupt
 * the TPR lets through (the hypervisor tick, arch/lapic.h). Call and return
 * with RFLAGS.IF = 0; interrupts are open only inside hlt.
 */
void cpu_idle_wait(const volatile u32 *wake, bool open_irqs);

/* Sets pc's wake word and sends it an NMI. */
void cpu_wake(struct percpu *pc);

/* For the NMI handler: the address to return to instead of rip, or rip itself. */
u64 cpu_idle_nmi_return(u64 rip);

#endif
