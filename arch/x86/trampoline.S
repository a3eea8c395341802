/* SPDX-License-Identifier: Apache-2.0 */
/*
 * AP start-up code. smp.c copies trampoline_start..trampoline_end to a page
 * below 1 MiB and sends SIPIs with that page's number, so an AP starts here
 * in real mode at CS:IP = page:0 (Intel SDM Vol. 3A "MP Initialization
 * Protocol Algorithm"). The code is position-independent: it finds its
 * linear base from CS and patches its own GDT pointer and far pointers.
 * Mode switch per SDM Vol. 3A "Initializing IA-32e Mode": protected mode,
 * CR4.PAE, CR3, EFER.LME, CR0.PG, far jump to a 64-bit code segment.
 */
#include <arch/smp.h>

/* arch/cpu.h is C-only; the few architectural constants needed here. */
#define CR0_PE	 0x00000001 /* protection enable */
#define CR0_PG	 0x80000000 /* paging */
#define CR4_PAE	 0x00000020 /* physical address extension */
#define MSR_EFER 0xc0000080

#define OFF(sym) ((sym) - trampoline_start)

	.text
	.balign	16
	.globl	trampoline_start
	.hidden	trampoline_start
	.globl	trampoline_end
	.hidden	trampoline_end
	.globl	trampoline_params
	.hidden	trampoline_params

	.code16
trampoline_start:
	cli
	cld
	movw	%cs, %ax
	movw	%ax, %ds
	movzwl	%ax, %ebx
	shll	$4, %ebx		/* %ebx = linear address of this page */

	leal	OFF(tramp_gdt)(%ebx), %eax
	movl	%eax, OFF(tramp_gdtr) + 2
	leal	OFF(tramp32)(%ebx), %eax
	movl	%eax, OFF(tramp_far32)
	lgdtl	OFF(tramp_gdtr)

	movl	%cr0, %eax
	orl	$CR0_PE, %eax
	movl	%eax, %cr0
	ljmpl	*OFF(tramp_far32)

	.code32
tramp32:
	movl	$TRAMP_SEL_DATA, %eax
	movw	%ax, %ds
	movw	%ax, %es
	movw	%ax, %ss

	movl	OFF(trampoline_params) + TP_CR4(%ebx), %eax
	orl	$CR4_PAE, %eax
	movl	%eax, %cr4
	movl	OFF(trampoline_params) + TP_CR3(%ebx), %eax
	movl	%eax, %cr3
	movl	$MSR_EFER, %ecx
	movl	OFF(trampoline_params) + TP_EFER(%ebx), %eax
	xorl	%edx, %edx
	wrmsr

	leal	OFF(tramp64)(%ebx), %eax
	movl	%eax, OFF(tramp_far64)(%ebx)
	movl	OFF(trampoline_params) + TP_CR0(%ebx), %eax
	orl	$(CR0_PG | CR0_PE), %eax
	movl	%eax, %cr0
	ljmpl	*OFF(tramp_far64)(%ebx)

	.code64
tramp64:
	movl	%ebx, %ebx		/* upper halves are undefined after the mode switch */
	xorl	%eax, %eax
	movw	%ax, %ds
	movw	%ax, %es
	movw	%ax, %ss
	movq	OFF(trampoline_params) + TP_STACK(%rbx), %rsp
	movq	OFF(trampoline_params) + TP_PERCPU(%rbx), %rdi
	movq	OFF(trampoline_params) + TP_ENTRY(%rbx), %rax
	xorl	%ebp, %ebp
	call	*%rax			/* ap_entry() does not return */
1:	cli
	hlt
	jmp	1b

	.balign	8
tramp_gdt:
	.quad	0
	.quad	0x00cf9b000000ffff	/* 0x08: 32-bit code, flat, accessed */
	.quad	0x00cf93000000ffff	/* 0x10: data, flat, accessed */
	.quad	0x00af9b000000ffff	/* 0x18: 64-bit code */
tramp_gdt_end:

tramp_gdtr:
	.word	tramp_gdt_end - tramp_gdt - 1
	.long	0			/* patched: linear address of tramp_gdt */

tramp_far32:
	.long	0			/* patched: linear address of tramp32 */
	.word	TRAMP_SEL_CODE32
tramp_far64:
	.long	0			/* patched: linear address of tramp64 */
	.word	TRAMP_SEL_CODE64

	.balign	8
trampoline_params:
	.skip	TP_SIZE
trampoline_end:

	.section .note.GNU-stack, "", @progbits
