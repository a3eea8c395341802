/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Multiboot2 entry. The loader leaves the CPU in 32-bit protected mode, paging
 * off, with EAX = magic and EBX = the boot information (Multiboot2
 * Specification 2.0, section 3.3); there is no stack and GDTR may be invalid.
 * This code enters long mode on temporary identity page tables covering the
 * first 4 GiB, where the loader put the image, the modules and the boot
 * information, and calls mb2_main(magic, info). The core replaces the page
 * tables and the GDT with its own.
 */
#include "mb2.h"

/* Intel SDM Vol. 3A, 2.5 (control registers) and 4.5 (4-level paging); 2.2.1 (EFER). */
#define CR0_PE	  (1 << 0)  /* protection enable */
#define CR0_PG	  (1 << 31) /* paging */
#define CR4_PAE	  (1 << 5)  /* physical address extension */
#define MSR_EFER  0xc0000080
#define EFER_LME  (1 << 8)  /* long mode enable */
#define EFER_NXE  (1 << 11) /* execute-disable enable */
#define PTE_P	  (1 << 0)  /* present */
#define PTE_RW	  (1 << 1)  /* writable */
#define PDE_PS	  (1 << 7)  /* 2 MiB page */
/* CPUID 0x80000001 EDX (SDM Vol. 2A, CPUID). */
#define CPUID_EXT_NX (1 << 20)
#define CPUID_EXT_LM (1 << 29)

#define GDT_CS64 0x08
#define GDT_DS	 0x10

#define MB2_STACK_SIZE 16384
#define N_PD	       4 /* page directories: 4 x 1 GiB */

/* 16550 at COM1 (the same programming as drivers/uart16550.c) */
#define COM1	   0x3f8
#define UART_LSR_THRE (1 << 5)

	.section .text.init, "ax"
	.code32
	.globl mb2_entry32
	.type mb2_entry32, @function
mb2_entry32:
	cli
	cld
	mov %eax, %ebp
	/* The C code expects a zeroed .bss; it also holds the stack and the tables. */
	mov $__bss_start, %edi
	mov $__bss_end, %ecx
	sub %edi, %ecx
	shr $2, %ecx
	xor %eax, %eax
	rep stosl
	rdtsc
	mov %eax, mb2_entry_tsc
	mov %edx, mb2_entry_tsc + 4
	mov %ebp, mb2_magic
	mov %ebx, mb2_info
	mov $mb2_stack_top, %esp

	cmp $MB2_BOOTLOADER_MAGIC, %ebp
	jne bad_magic
	call check_long_mode
	call build_page_tables
	call enter_long_mode
	lgdt mb2_gdt_desc
	ljmp $GDT_CS64, $mb2_entry64
	.size mb2_entry32, . - mb2_entry32

/* Returns NX support in %edi (EFER.NXE value); stops if there is no long mode. */
check_long_mode:
	mov $0x80000000, %eax
	cpuid
	cmp $0x80000001, %eax
	jb no_long_mode
	mov $0x80000001, %eax
	cpuid
	test $CPUID_EXT_LM, %edx
	jz no_long_mode
	xor %edi, %edi
	test $CPUID_EXT_NX, %edx
	jz 1f
	mov $EFER_NXE, %edi
1:	ret

/* PML4[0] -> PDPT, PDPT[0..3] -> four PDs of 2 MiB pages: identity 0..4 GiB. */
build_page_tables:
	mov $mb2_pdpt + (PTE_P | PTE_RW), %eax
	mov %eax, mb2_pml4
	mov $mb2_pd + (PTE_P | PTE_RW), %eax
	xor %ecx, %ecx
1:	mov %eax, mb2_pdpt(, %ecx, 8)
	add $4096, %eax
	inc %ecx
	cmp $N_PD, %ecx
	jb 1b
	xor %ecx, %ecx
2:	mov %ecx, %eax
	shl $21, %eax
	or $(PTE_P | PTE_RW | PDE_PS), %eax
	mov %eax, mb2_pd(, %ecx, 8)
	inc %ecx
	cmp $(N_PD * 512), %ecx
	jb 2b
	ret

/* SDM Vol. 3A, 10.8.5: PAE, then EFER.LME, then CR0.PG activates IA-32e mode. */
enter_long_mode:
	mov %cr4, %eax
	or $CR4_PAE, %eax
	mov %eax, %cr4
	mov $mb2_pml4, %eax
	mov %eax, %cr3
	mov $MSR_EFER, %ecx
	rdmsr
	or $EFER_LME, %eax
	or %edi, %eax
	wrmsr
	mov %cr0, %eax
	or $(CR0_PG | CR0_PE), %eax
	mov %eax, %cr0
	ret

no_long_mode:
	mov $msg_no_lm, %esi
	call early_puts32
	jmp halt32

bad_magic:
	mov $msg_bad_magic, %esi
	call early_puts32
	mov %ebp, %edx
	call early_puthex32
	mov $msg_nl, %esi
	call early_puts32
halt32:
	cli
	hlt
	jmp halt32

/* Programs COM1 for 115200 8N1 (the Bochs UART starts with 5-bit characters). */
early_uart_init32:
	mov $0x80, %al		/* LCR: DLAB */
	mov $COM1 + 3, %dx
	out %al, %dx
	mov $1, %al		/* divisor 1 = 115200 baud */
	mov $COM1, %dx
	out %al, %dx
	xor %al, %al
	mov $COM1 + 1, %dx
	out %al, %dx
	mov $0x03, %al		/* LCR: 8 data bits, no parity, 1 stop bit */
	mov $COM1 + 3, %dx
	out %al, %dx
	ret

/* Writes %al to COM1 once the transmitter holding register is empty. */
early_putc32:
	mov %eax, %ecx
	mov $COM1 + 5, %dx
1:	in %dx, %al
	test $UART_LSR_THRE, %al
	jz 1b
	mov %ecx, %eax
	mov $COM1, %dx
	out %al, %dx
	ret

/* Writes the NUL-terminated string at %esi. */
early_puts32:
	call early_uart_init32
1:	lodsb
	test %al, %al
	jz 2f
	call early_putc32
	jmp 1b
2:	ret

/* Writes %edx as eight hex digits. */
early_puthex32:
	mov %edx, %ebx
	mov $8, %esi
1:	rol $4, %ebx
	mov %ebx, %eax
	and $0xf, %eax
	movb hex_digits(%eax), %al
	call early_putc32
	dec %esi
	jnz 1b
	ret

	.code64
mb2_entry64:
	mov $GDT_DS, %eax
	mov %eax, %ds
	mov %eax, %es
	mov %eax, %ss
	mov %eax, %fs
	mov %eax, %gs
	/* Register upper halves are undefined after leaving 32-bit code (SDM Vol. 1, 3.4.1.1). */
	lea mb2_stack_top(%rip), %rsp
	xor %ebp, %ebp
	mov mb2_magic(%rip), %edi
	mov mb2_info(%rip), %esi
	call mb2_main
1:	cli
	hlt
	jmp 1b

	.section .rodata
	.balign 8
/* SDM Vol. 3A, 3.4.5: flat 64-bit code (L=1) and data; accessed bits preset so the CPU never writes here. */
mb2_gdt:
	.quad 0
	.quad 0x00af9b000000ffff
	.quad 0x00cf93000000ffff
mb2_gdt_end:
mb2_gdt_desc:
	.word mb2_gdt_end - mb2_gdt - 1
	.quad mb2_gdt
msg_bad_magic:
	.asciz "bulkhead: not started by a multiboot2 loader: magic 0x"
msg_no_lm:
	.asciz "bulkhead: this CPU has no long mode\r\n"
msg_nl:
	.asciz "\r\n"
hex_digits:
	.ascii "0123456789abcdef"

	.section .bss
	.balign 4096
mb2_pml4:
	.skip 4096
mb2_pdpt:
	.skip 4096
mb2_pd:
	.skip 4096 * N_PD
mb2_stack:
	.skip MB2_STACK_SIZE
mb2_stack_top:
	.balign 8
	.globl mb2_entry_tsc
mb2_entry_tsc:
	.quad 0
mb2_magic:
	.long 0
mb2_info:
	.long 0

	.section .note.GNU-stack, "", @progbits
