/* SPDX-License-Identifier: Apache-2.0 */
/*
 * One IDT shared by all CPUs: the 32 architectural exceptions go to asm stubs
 * (arch/x86/exception.S) that build a struct exc_frame and call
 * exception_dispatch(). Exceptions in the hypervisor are fatal: the handler
 * dumps the registers and halts the CPU. NMIs return unless a panic is
 * stopping all CPUs.
 */
#ifndef ARCH_IDT_H
#define ARCH_IDT_H

#ifndef __ASSEMBLY__
#include <hv/types.h>
#endif

#define EXC_DE	0  /* divide error */
#define EXC_DB	1  /* debug */
#define EXC_NMI 2  /* non-maskable interrupt */
#define EXC_BP	3  /* breakpoint */
#define EXC_OF	4  /* overflow */
#define EXC_BR	5  /* bound range */
#define EXC_UD	6  /* invalid opcode */
#define EXC_NM	7  /* device not available */
#define EXC_DF	8  /* double fault */
#define EXC_TS	10 /* invalid TSS */
#define EXC_NP	11 /* segment not present */
#define EXC_SS	12 /* stack-segment fault */
#define EXC_GP	13 /* general protection */
#define EXC_PF	14 /* page fault */
#define EXC_MF	16 /* x87 floating point */
#define EXC_AC	17 /* alignment check */
#define EXC_MC	18 /* machine check */
#define EXC_XM	19 /* SIMD floating point */
#define EXC_VE	20 /* virtualization exception */
#define EXC_CP	21 /* control protection */
#define EXC_HV	28 /* hypervisor injection (AMD) */
#define EXC_VC	29 /* VMM communication (AMD) */
#define EXC_SX	30 /* security exception (AMD) */

#define EXC_COUNT      32
#define VEC_SPURIOUS   0xff /* local APIC spurious vector (SVR) */
#define EXC_STUB_ALIGN 16   /* each stub is this many bytes: stub(v) = base + v * 16 */
/* Stub slot (and frame "vector") used for VEC_SPURIOUS: right after the exceptions. */
#define EXC_SLOT_SPURIOUS EXC_COUNT

#ifndef __ASSEMBLY__
/* What the stubs push, lowest address first (struct layout = push order reversed). */
struct exc_frame {
	u64 r15, r14, r13, r12, r11, r10, r9, r8;
	u64 rbp, rdi, rsi, rdx, rcx, rbx, rax;
	u64 vector, error_code;
	/* pushed by the CPU (Intel SDM Vol. 3A §6.14.2, Figure 6-9) */
	u64 rip, cs, rflags, rsp, ss;
};

/* Builds the shared IDT (once) and loads it on this CPU. */
void idt_init(void);
void idt_load(void);

/* Called by the stubs; returns only for NMIs and spurious interrupts. */
void exception_dispatch(struct exc_frame *f);

/* Name of an exception vector ("#PF page fault"); pure, host-tested. */
const char *exception_name(u64 vector);

/*
 * Debug-only: if cmdline contains debug_fault=ud|pf|gp, provoke that exception
 * now (the integration test checks the register dump). Returns otherwise.
 */
void debug_fault_maybe(const char *cmdline);

/* Asks every other CPU to halt (NMI IPI) once a CPU is about to stop for good. */
void cpu_stop_others(void);
#endif

#endif
