/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Multiboot2 constants (Multiboot2 Specification, version 2.0, section 3) and
 * the interface of the pure boot-information parser (mb2_tags.c). The
 * constants are plain integers so that the entry assembly shares them.
 */
#ifndef BOOT_MB2_H
#define BOOT_MB2_H

/* Section 3.1.2: header magic and architecture 0 = 32-bit protected-mode i386. */
#define MB2_HEADER_MAGIC 0xE85250D6
#define MB2_ARCH_I386	 0
/* Section 3.1.3 and 3.1.11: header tag types. */
#define MB2_HTAG_END	      0
#define MB2_HTAG_MODULE_ALIGN 6

/* Section 3.3: EAX on entry from a multiboot2 loader. */
#define MB2_BOOTLOADER_MAGIC 0x36d76289

/* Section 3.6: boot information tag types used by Bulkhead. */
#define MB2_TAG_END	 0
#define MB2_TAG_CMDLINE	 1
#define MB2_TAG_MODULE	 3
#define MB2_TAG_MEMINFO	 4
#define MB2_TAG_MMAP	 6
#define MB2_TAG_ACPI_OLD 14
#define MB2_TAG_ACPI_NEW 15

#ifndef __ASSEMBLY__
#include <hv/boot_info.h>
#include <hv/compiler.h>
#include <hv/types.h>

/* The module whose command line is this string is the configuration. */
#define MB2_CONFIG_NAME "bulkhead.cfg"

/* RSDP sizes (ACPI 6.5, section 5.2.5.3): revision 0 and revision 2 structures. */
#define MB2_RSDP_V1_LEN 20
#define MB2_RSDP_V2_LEN 36

/* Receives one complaint about the boot information (no trailing newline). */
typedef void (*mb2_warn_fn)(const char *fmt, ...) __printf(1, 2);

struct mb2_input {
	const void *info; /* the boot information structure (8-byte aligned) */
	u64 avail;	  /* bytes that may be read from info at most */
	hpa_t image_start, image_end;
	mb2_warn_fn warn;
};

/*
 * Fills *bi from the boot information. Every size and offset is checked
 * before use; problems are reported through in->warn and the offending tag is
 * ignored. Returns 0, or -EINVAL when the structure is unusable and -ENOENT
 * when it describes no usable RAM.
 */
int mb2_parse_info(struct boot_info *bi, const struct mb2_input *in);

/* entry.S: the TSC when the loader jumped to the image. */
extern u64 mb2_entry_tsc;

/* Called by entry.S in long mode with the loader's EAX and EBX. */
void mb2_main(u32 magic, u32 info_addr) __noreturn;

/* Writes s to COM1, programmed 115200 8N1: the core's console is not up yet. */
void mb2_early_puts(const char *s);

/* mb2_early_puts(s), then halts: for when the core cannot start. */
void mb2_fatal(const char *s) __noreturn;
#endif

#endif
