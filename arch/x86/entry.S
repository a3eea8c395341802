/* SPDX-License-Identifier: Apache-2.0 */
/*
 * core_start(struct boot_info *bi): the boot paths' way into the core. It moves
 * the boot CPU onto a stack inside the hypervisor image, because the stack the
 * firmware gave us lies in memory the core hands out as free RAM.
 */
#define BOOT_STACK_SIZE (32 * 1024)

	.section .bss
	.balign 4096
boot_stack:
	.skip BOOT_STACK_SIZE
boot_stack_top:

	.text
	.globl core_start
	.hidden core_start
	.type core_start, @function
core_start:
	cli
	cld
	lea boot_stack_top(%rip), %rsp
	xor %ebp, %ebp
	/* %rdi still holds bi: kernel_main(bi) never returns. */
	call kernel_main
1:	cli
	hlt
	jmp 1b
	.size core_start, . - core_start

	.section .note.GNU-stack, "", @progbits
