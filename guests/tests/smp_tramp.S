/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Secondary-CPU start code for the smp guest. smp_tramp_start..smp_tramp_end
 * is copied below 1 MiB; a SIPI starts the CPU there in real mode with
 * CS = vector << 8, IP = 0 (Intel SDM Vol. 3A, 8.4.4.1 / 10.6.1). It loads
 * the guest's GDT, enters protected mode and jumps to smp_ap_entry32 at its
 * link address, which takes the next free stack and calls smp_ap_main().
 */
#define MAX_APS	   7
#define STACK_SIZE 4096

	.text
	.code16
	.globl smp_tramp_start, smp_tramp_end
smp_tramp_start:
	cli
	cld
	movw %cs, %ax
	movw %ax, %ds
	lgdtl (tramp_gdtr - smp_tramp_start)
	movl %cr0, %eax
	orl $1, %eax		/* CR0.PE */
	movl %eax, %cr0
	ljmpl $0x08, $smp_ap_entry32
	.balign 4
tramp_gdtr:
	.word 3 * 8 - 1
	.long rt_gdt
smp_tramp_end:

	.code32
smp_ap_entry32:
	movw $0x10, %ax
	movw %ax, %ds
	movw %ax, %es
	movw %ax, %fs
	movw %ax, %gs
	movw %ax, %ss
	movl $1, %eax
	lock xaddl %eax, smp_ap_slot
	cmpl $MAX_APS, %eax
	jae 2f
	incl %eax
	shll $12, %eax		/* STACK_SIZE */
	addl $smp_ap_stacks, %eax
	movl %eax, %esp
	call smp_ap_main
2:	cli
	hlt
	jmp 2b
