/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The Linux x86 boot protocol's layouts (Documentation/arch/x86/boot.rst,
 * "The Real-Mode Kernel Header", and zero-page.rst): setup header fields at
 * their offsets in the bzImage file, which are also their offsets in the
 * zero page (struct boot_params), where the header is copied.
 */
#ifndef LOADER_LINUX_PRIV_H
#define LOADER_LINUX_PRIV_H

#include "loader_priv.h"

/* Setup header (boot.rst), offsets in the file and in the zero page. */
#define LX_SETUP_SECTS	    0x1f1 /* u8: 0 means 4 */
#define LX_SYSSIZE	    0x1f4 /* u32: protected-mode code in 16-byte units (2.04+) */
#define LX_BOOT_FLAG	    0x1fe /* u16: 0xAA55 */
#define LX_JUMP		    0x200 /* u16: a short jump; its offset byte ends the header */
#define LX_HEADER	    0x202 /* u32: "HdrS" */
#define LX_VERSION	    0x206 /* u16: protocol version */
#define LX_TYPE_OF_LOADER   0x210 /* u8 */
#define LX_LOADFLAGS	    0x211 /* u8 */
#define LX_CODE32_START	    0x214 /* u32 */
#define LX_RAMDISK_IMAGE    0x218 /* u32 */
#define LX_RAMDISK_SIZE	    0x21c /* u32 */
#define LX_CMD_LINE_PTR	    0x228 /* u32 (2.02+) */
#define LX_INITRD_ADDR_MAX  0x22c /* u32 (2.03+) */
#define LX_KERNEL_ALIGNMENT 0x230 /* u32 (2.05+) */
#define LX_RELOCATABLE	    0x234 /* u8 (2.05+) */
#define LX_XLOADFLAGS	    0x236 /* u16 (2.12+) */
#define LX_CMDLINE_SIZE	    0x238 /* u32 (2.06+) */
#define LX_PREF_ADDRESS	    0x258 /* u64 (2.10+) */
#define LX_INIT_SIZE	    0x260 /* u32 (2.10+) */
#define LX_HEADER_MIN_END   0x264 /* the header must reach past init_size */

#define LX_BOOT_FLAG_MAGIC 0xaa55
#define LX_HEADER_MAGIC	   0x53726448 /* "HdrS" */
#define LX_LOADED_HIGH	   BIT(0)     /* loadflags: protected-mode code at 0x100000 (bzImage) */
#define LX_CAN_USE_HEAP	   BIT(7)     /* loadflags: heap_end_ptr valid (real-mode setup only) */
#define LX_LOADER_UNKNOWN  0xff	      /* type_of_loader: a boot loader without an assigned ID */
#define LX_SETUP_MAX	   0x8000     /* boot sector + setup code: at most 32 KiB */

/* The zero page (zero-page.rst): fields outside the setup header. */
#define BP_ACPI_RSDP_ADDR    0x070 /* u64 (2.14+) */
#define BP_EXT_RAMDISK_IMAGE 0x0c0 /* u32: high half */
#define BP_EXT_RAMDISK_SIZE  0x0c4
#define BP_EXT_CMD_LINE_PTR  0x0c8
#define BP_E820_ENTRIES	     0x1e8 /* u8 */
#define BP_HDR_END	     0x290 /* the setup header ends before edd_mbr_sig_buffer */
#define BP_E820_TABLE	     0x2d0 /* 20-byte entries: base u64, size u64, type u32 */
#define BP_E820_ENTRY_SIZE   20
#define BP_E820_MAX	     128
#define BP_SIZE		     0x1000

/*
 * Where the loader puts its own structures in the guest: the zero page and
 * the command line in low RAM below the EBDA, where a 16-bit boot loader
 * puts them too (boot.rst, "Loading The Rest of The Kernel").
 */
#define LX_ZERO_PAGE_GPA 0x7000ULL
#define LX_CMDLINE_GPA	 0x8000ULL
#define LX_CMDLINE_MAX	 0x8000ULL   /* below 0x10000 */
#define LX_LOW_KERNEL	 0x100000ULL /* a relocatable kernel's lowest place */

/* What the loader decided, checked before anything is written. */
struct linux_layout {
	gpa_t kernel;	 /* load address of the protected-mode kernel = entry */
	u64 kernel_span; /* max(init_size, pm_size) */
	gpa_t initrd;	 /* 0: none */
	u64 cmdline_len; /* without the NUL */
};

/* linux_params.c: the zero page and the command line. */
int linux_write_params(const struct loader_ctx *ctx, const struct loader_linux_header *h,
		       const struct linux_layout *l);

#endif
