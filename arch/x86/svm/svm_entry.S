/* SPDX-License-Identifier: Apache-2.0 */
/*
 * void svm_vmrun(struct guest_regs *regs, hpa_t vmcb_pa, hpa_t host_state_pa)
 *
 * Enters the guest and returns at its next #VMEXIT (AMD APM Vol. 2, 15.5
 * "VMRUN Instruction", 15.5.2 "VMSAVE and VMLOAD Instructions"). VMRUN
 * switches only part of the state: FS, GS, TR, LDTR (with their hidden
 * parts), KernelGSBase, STAR/LSTAR/CSTAR/SFMASK and SYSENTER_* move with
 * VMSAVE/VMLOAD, and the GPRs other than RAX and RSP with software. The
 * host's GS base points at its per-CPU data, so no C code may run between
 * the two VMLOADs; the caller holds GIF = 0 (CLGI) throughout.
 *
 * RAX and RSP of the guest live in the VMCB; the caller copies RAX.
 */
#include "svm_asm.h"

	.text
	.globl svm_vmrun
	.hidden svm_vmrun
	.type svm_vmrun, @function
svm_vmrun:
	push %rbp
	push %rbx
	push %r12
	push %r13
	push %r14
	push %r15
	push %rdi			/* 16(%rsp) after the next push: regs */
	push %rdx			/* host state page */

	mov %rdx, %rax
	vmsave				/* host FS/GS/TR/LDTR/syscall MSRs */
	mov %rsi, %rax
	vmload				/* the guest's */

	mov SVM_GPR_RCX(%rdi), %rcx
	mov SVM_GPR_RDX(%rdi), %rdx
	mov SVM_GPR_RBX(%rdi), %rbx
	mov SVM_GPR_RBP(%rdi), %rbp
	mov SVM_GPR_RSI(%rdi), %rsi
	mov SVM_GPR_R8(%rdi), %r8
	mov SVM_GPR_R9(%rdi), %r9
	mov SVM_GPR_R10(%rdi), %r10
	mov SVM_GPR_R11(%rdi), %r11
	mov SVM_GPR_R12(%rdi), %r12
	mov SVM_GPR_R13(%rdi), %r13
	mov SVM_GPR_R14(%rdi), %r14
	mov SVM_GPR_R15(%rdi), %r15
	mov SVM_GPR_RDI(%rdi), %rdi

	vmrun				/* RAX = guest VMCB */

	/* #VMEXIT: host RAX (the VMCB address) and RSP are back, GIF = 0. */
	vmsave				/* the guest's FS/GS/... into its VMCB */
	push %rdi			/* guest RDI; regs pointer now at 16(%rsp) */
	mov 16(%rsp), %rdi
	mov %rcx, SVM_GPR_RCX(%rdi)
	mov %rdx, SVM_GPR_RDX(%rdi)
	mov %rbx, SVM_GPR_RBX(%rdi)
	mov %rbp, SVM_GPR_RBP(%rdi)
	mov %rsi, SVM_GPR_RSI(%rdi)
	mov %r8, SVM_GPR_R8(%rdi)
	mov %r9, SVM_GPR_R9(%rdi)
	mov %r10, SVM_GPR_R10(%rdi)
	mov %r11, SVM_GPR_R11(%rdi)
	mov %r12, SVM_GPR_R12(%rdi)
	mov %r13, SVM_GPR_R13(%rdi)
	mov %r14, SVM_GPR_R14(%rdi)
	mov %r15, SVM_GPR_R15(%rdi)
	popq SVM_GPR_RDI(%rdi)

	pop %rax			/* host state page */
	vmload				/* host GS base is back: C may run again */
	add $8, %rsp			/* regs pointer */
	pop %r15
	pop %r14
	pop %r13
	pop %r12
	pop %rbx
	pop %rbp
	ret
	.size svm_vmrun, . - svm_vmrun
	.section .note.GNU-stack, "", @progbits
