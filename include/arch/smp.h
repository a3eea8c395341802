/* SPDX-License-Identifier: Apache-2.0 */
/*
 * SMP bring-up: every enabled CPU of the MADT other than the boot CPU is
 * started with INIT-SIPI-SIPI (Intel SDM Vol. 3A "MP Initialization Protocol
 * Algorithm for MP Systems"), runs arch/x86/trampoline.S from a page below
 * 1 MiB (real mode -> protected mode -> long mode on the hypervisor's page
 * tables), checks in and parks. A parked CPU sleeps in hlt with interrupts
 * off; smp_call_on() hands it a function and wakes it with an NMI.
 */
#ifndef ARCH_SMP_H
#define ARCH_SMP_H

/*
 * The trampoline's parameter block (filled by the boot CPU before each
 * SIPI), as byte offsets shared with trampoline.S.
 */
#define TP_CR3	  0  /* u32: host page-table root, below 4 GiB */
#define TP_CR4	  4  /* u32: boot CPU's CR4 (without PCIDE) */
#define TP_CR0	  8  /* u32: boot CPU's CR0 */
#define TP_EFER	  12 /* u32: EFER low half to load (LME, NXE, SCE) */
#define TP_STACK  16 /* u64: initial RSP */
#define TP_PERCPU 24 /* u64: struct percpu * for the AP's C entry */
#define TP_ENTRY  32 /* u64: C entry point, void ap_entry(struct percpu *) */
#define TP_SIZE	  40

/* Trampoline GDT selectors (only while starting). */
#define TRAMP_SEL_CODE32 0x08
#define TRAMP_SEL_DATA	 0x10
#define TRAMP_SEL_CODE64 0x18

#ifndef __ASSEMBLY__
#include <arch/percpu.h>
#include <hv/types.h>

struct trampoline_params {
	u32 cr3;
	u32 cr4;
	u32 cr0;
	u32 efer;
	u64 stack;
	u64 percpu;
	u64 entry;
};

/* Starts all enabled MADT CPUs and prints "bulkhead: N of M CPUs online". */
void smp_init(void);

/*
 * Parks the calling CPU (the boot CPU, once bring-up is done) exactly like an
 * AP: it sleeps and runs the work smp_call_on() or the guest layer hands it.
 */
void smp_park(void) __attribute__((noreturn));

/* Number of CPUs running (boot CPU included). */
u32 smp_cpus_online(void);

/*
 * Runs fn(arg) once on the parked CPU cpu_index (not the caller's). Returns
 * 0 once that CPU has taken the call, -ENODEV for a CPU that is not online,
 * -EBUSY if it still has an earlier call pending, -ETIMEDOUT if it never
 * took it.
 */
int smp_call_on(u32 cpu_index, cpu_work_fn fn, void *arg);
#endif

#endif
