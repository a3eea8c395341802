/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The multiboot2 header (Multiboot2 Specification 2.0, section 3.1). It must
 * lie, 8-byte aligned, in the first 32 KiB of the file: linker.ld puts its
 * section first.
 */
#include "mb2.h"

#define HEADER_LEN (mb2_header_end - mb2_header)

	.section .multiboot2, "a"
	.balign 8
mb2_header:
	.long MB2_HEADER_MAGIC
	.long MB2_ARCH_I386
	.long HEADER_LEN
	/* Section 3.1.2: the four fields sum to 0 modulo 2^32. */
	.long 0x100000000 - (MB2_HEADER_MAGIC + MB2_ARCH_I386 + HEADER_LEN)

	/* Section 3.1.11: page-aligned modules, so they can later be mapped by page. */
	.balign 8
	.short MB2_HTAG_MODULE_ALIGN, 0
	.long 8

	.balign 8
	.short MB2_HTAG_END, 0
	.long 8
mb2_header_end:

	.section .note.GNU-stack, "", @progbits
