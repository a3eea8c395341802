/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Guest entry and exit (SDM Vol. 3C 27 "VM Entries", 28.5 "Loading Host
 * State"). vmx_enter(regs, launched) saves the callee-saved registers, leaves
 * `regs` on the stack, points HOST_RSP at it, loads the guest GPRs from
 * struct guest_regs and runs VMLAUNCH (first entry) or VMRESUME. A VM exit
 * lands in vmx_exit_stub (HOST_RIP) with RSP = HOST_RSP: it stores the guest
 * GPRs back and returns 0 from vmx_enter. If VMLAUNCH/VMRESUME fail
 * (VMfailInvalid/VMfailValid) execution falls through and vmx_enter returns 1.
 * Guest RSP and RIP live in the VMCS.
 */
#include "vmx_asm.h"

	.text
	.globl	vmx_enter
	.hidden	vmx_enter
	.type	vmx_enter, @function
vmx_enter:
	push	%rbp
	mov	%rsp, %rbp
	push	%rbx
	push	%r12
	push	%r13
	push	%r14
	push	%r15
	push	%rdi			/* regs, for vmx_exit_stub */
	mov	$VMX_FIELD_HOST_RSP, %eax
	vmwrite	%rsp, %rax
	jbe	.Lfailed
	test	%rsi, %rsi		/* launched? MOVs below keep the flags */
	mov	VMX_REGS_RAX(%rdi), %rax
	mov	VMX_REGS_RCX(%rdi), %rcx
	mov	VMX_REGS_RDX(%rdi), %rdx
	mov	VMX_REGS_RBX(%rdi), %rbx
	mov	VMX_REGS_RBP(%rdi), %rbp
	mov	VMX_REGS_RSI(%rdi), %rsi
	mov	VMX_REGS_R8(%rdi), %r8
	mov	VMX_REGS_R9(%rdi), %r9
	mov	VMX_REGS_R10(%rdi), %r10
	mov	VMX_REGS_R11(%rdi), %r11
	mov	VMX_REGS_R12(%rdi), %r12
	mov	VMX_REGS_R13(%rdi), %r13
	mov	VMX_REGS_R14(%rdi), %r14
	mov	VMX_REGS_R15(%rdi), %r15
	mov	VMX_REGS_RDI(%rdi), %rdi
	jnz	1f
	vmlaunch
	jmp	.Lfailed
1:	vmresume
.Lfailed:
	pop	%rdi
	mov	$1, %eax
	jmp	.Lout

	.globl	vmx_exit_stub
	.hidden	vmx_exit_stub
	.type	vmx_exit_stub, @function
vmx_exit_stub:
	push	%rdi			/* guest RDI; regs is at 8(%rsp) */
	mov	8(%rsp), %rdi
	mov	%rax, VMX_REGS_RAX(%rdi)
	mov	%rcx, VMX_REGS_RCX(%rdi)
	mov	%rdx, VMX_REGS_RDX(%rdi)
	mov	%rbx, VMX_REGS_RBX(%rdi)
	mov	%rbp, VMX_REGS_RBP(%rdi)
	mov	%rsi, VMX_REGS_RSI(%rdi)
	mov	%r8, VMX_REGS_R8(%rdi)
	mov	%r9, VMX_REGS_R9(%rdi)
	mov	%r10, VMX_REGS_R10(%rdi)
	mov	%r11, VMX_REGS_R11(%rdi)
	mov	%r12, VMX_REGS_R12(%rdi)
	mov	%r13, VMX_REGS_R13(%rdi)
	mov	%r14, VMX_REGS_R14(%rdi)
	mov	%r15, VMX_REGS_R15(%rdi)
	pop	%rax
	mov	%rax, VMX_REGS_RDI(%rdi)
	add	$8, %rsp		/* drop regs */
	xor	%eax, %eax
.Lout:
	pop	%r15
	pop	%r14
	pop	%r13
	pop	%r12
	pop	%rbx
	pop	%rbp
	ret
	.size	vmx_exit_stub, . - vmx_exit_stub
	.size	vmx_enter, .Lfailed - vmx_enter

	.section .note.GNU-stack, "", @progbits
