/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Exception entry stubs. Each stub is EXC_STUB_ALIGN bytes, so idt.c finds
 * stub v at exception_stubs + v * EXC_STUB_ALIGN without a table of absolute
 * addresses (the core is position-independent). Vectors without a CPU-pushed
 * error code push 0 so every frame has the same shape (struct exc_frame; the
 * error-code vectors are listed in Intel SDM Vol. 3A "Exception and Interrupt
 * Reference", Table "Protected-Mode Exceptions and Interrupts").
 */
#include <arch/idt.h>

	.text
	.code64

.macro exc_stub vec, has_err
	.org exception_stubs + (\vec) * EXC_STUB_ALIGN
	.if \has_err == 0
	pushq	$0
	.endif
	pushq	$\vec
	jmp	exc_common
.endm

	.balign	EXC_STUB_ALIGN
	.globl	exception_stubs
	.hidden	exception_stubs
exception_stubs:
	exc_stub 0, 0
	exc_stub 1, 0
	exc_stub 2, 0
	exc_stub 3, 0
	exc_stub 4, 0
	exc_stub 5, 0
	exc_stub 6, 0
	exc_stub 7, 0
	exc_stub 8, 1
	exc_stub 9, 0
	exc_stub 10, 1
	exc_stub 11, 1
	exc_stub 12, 1
	exc_stub 13, 1
	exc_stub 14, 1
	exc_stub 15, 0
	exc_stub 16, 0
	exc_stub 17, 1
	exc_stub 18, 0
	exc_stub 19, 0
	exc_stub 20, 0
	exc_stub 21, 1
	exc_stub 22, 0
	exc_stub 23, 0
	exc_stub 24, 0
	exc_stub 25, 0
	exc_stub 26, 0
	exc_stub 27, 0
	exc_stub 28, 0
	exc_stub 29, 1
	exc_stub 30, 1
	exc_stub 31, 0
	/* The local APIC's spurious vector: no EOI, nothing to do (SDM "Spurious Interrupt"). */
	exc_stub EXC_SLOT_SPURIOUS, 0
	.org exception_stubs + (EXC_SLOT_SPURIOUS + 1) * EXC_STUB_ALIGN

/*
 * The CPU aligned RSP to 16 before pushing its 5-quadword frame (SDM "Stack
 * Switching in IA-32e Mode"); with vector, error code and 15 registers the
 * total is 22 quadwords, so RSP is 16-byte aligned again at the call.
 */
exc_common:
	pushq	%rax
	pushq	%rbx
	pushq	%rcx
	pushq	%rdx
	pushq	%rsi
	pushq	%rdi
	pushq	%rbp
	pushq	%r8
	pushq	%r9
	pushq	%r10
	pushq	%r11
	pushq	%r12
	pushq	%r13
	pushq	%r14
	pushq	%r15
	cld
	movq	%rsp, %rdi
	call	exception_dispatch
	popq	%r15
	popq	%r14
	popq	%r13
	popq	%r12
	popq	%r11
	popq	%r10
	popq	%r9
	popq	%r8
	popq	%rbp
	popq	%rdi
	popq	%rsi
	popq	%rdx
	popq	%rcx
	popq	%rbx
	popq	%rax
	addq	$16, %rsp
	iretq

/*
 * The one interrupt stub (not an exception), for every vector but the
 * spurious one: the hypervisor tick (LAPIC_TICK_VECTOR) and any vector
 * nobody should send both only want an EOI (arch/lapic.h). Taken only where
 * the hypervisor opens RFLAGS.IF, on its own stack. It saves the registers
 * the C calling convention lets lapic_eoi clobber: with the CPU's 5-quadword
 * frame on a 16-byte-aligned RSP, 9 pushes leave RSP 16-byte aligned at the
 * call.
 */
	.globl	lapic_irq_stub
	.hidden	lapic_irq_stub
lapic_irq_stub:
	pushq	%rax
	pushq	%rcx
	pushq	%rdx
	pushq	%rsi
	pushq	%rdi
	pushq	%r8
	pushq	%r9
	pushq	%r10
	pushq	%r11
	cld
	call	lapic_eoi
	popq	%r11
	popq	%r10
	popq	%r9
	popq	%r8
	popq	%rdi
	popq	%rsi
	popq	%rdx
	popq	%rcx
	popq	%rax
	iretq

	.section .note.GNU-stack, "", @progbits
