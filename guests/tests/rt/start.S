/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Multiboot v1 entry (Multiboot Specification 0.6.96, 3.1 header, 3.2
 * machine state): 32-bit protected mode, EAX = magic, EBX = information.
 * The spec leaves GDTR undefined, so load our own flat GDT before touching
 * a segment register.
 */
#define MB_MAGIC 0x1BADB002
#define MB_FLAGS 0x3 /* bit 0: page-aligned modules; bit 1: memory information */

	.section .multiboot, "a"
	.balign 4
	.long MB_MAGIC, MB_FLAGS, -(MB_MAGIC + MB_FLAGS)

	.text
	.globl _start
_start:
	cli
	cld
	lgdt rt_gdt_desc
	ljmp $0x08, $1f
1:	movw $0x10, %cx
	movw %cx, %ds
	movw %cx, %es
	movw %cx, %fs
	movw %cx, %gs
	movw %cx, %ss
	movl $rt_stack_top, %esp
	pushl %ebx
	pushl %eax
	call rt_start
2:	cli
	hlt
	jmp 2b

	.data
	.balign 8
	.globl rt_gdt
rt_gdt:
	.quad 0			/* null */
	.quad 0x00cf9a000000ffff	/* 0x08: code, base 0, 4 GiB, 32-bit */
	.quad 0x00cf92000000ffff	/* 0x10: data, base 0, 4 GiB */
rt_gdt_end:
	.globl rt_gdt_desc
rt_gdt_desc:
	.word rt_gdt_end - rt_gdt - 1
	.long rt_gdt

	.bss
	.balign 16
	.space 16384
rt_stack_top:
