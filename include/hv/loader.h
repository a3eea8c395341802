/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Guest image loaders: multiboot v1 (as QEMU's -kernel runs it), plain ELF,
 * raw binaries and Linux bzImages (docs/linux.md). Pure code: the caller
 * passes the image bytes, the guest's memory layout and a checked view of
 * its memory (hv/guest_mem.h); the loader validates everything first, then
 * writes the guest's memory and reports the CPU state the guest must start
 * in. docs/guests.md describes each format's start state.
 *
 * Every function returns 0, or a negative errno with a one-line reason in
 * err (LOADER_ERR_MAX bytes, always NUL-terminated):
 *	-EINVAL    malformed image (bad magic, truncated header, overlap, ...)
 *	-E2BIG     absurd counts (program headers, segments, modules)
 *	-ENOTSUP   a valid image that Bulkhead cannot start (see docs/guests.md)
 *	-ENOMEM    the image, the boot information or a module does not fit
 *	-EFAULT    a write left guest memory (a bug in the caller's layout)
 */
#ifndef HV_LOADER_H
#define HV_LOADER_H

#include <hv/guest_mem.h>
#include <hv/types.h>

#define LOADER_ERR_MAX	    128
#define LOADER_MAX_MAP	    32	/* guest memory map entries */
#define LOADER_MAX_MODULES  32	/* multiboot modules */
#define LOADER_MAX_SEGMENTS 32	/* PT_LOAD segments with bytes in memory */
#define LOADER_MAX_PHDRS    256 /* program headers of any type */

/* Multiboot v1 (spec 0.6.96, section 3.2): the value in EAX at entry. */
#define MULTIBOOT_BOOTLOADER_MAGIC 0x2BADB002u

enum loader_format {
	LOADER_FORMAT_MULTIBOOT = 1,
	LOADER_FORMAT_ELF,
	LOADER_FORMAT_RAW,
	LOADER_FORMAT_LINUX,
};

/* Guest memory map entry types: the E820 numbering, which multiboot's map also uses. */
enum loader_mem_type {
	LOADER_MEM_RAM = 1,
	LOADER_MEM_RESERVED = 2,
	LOADER_MEM_ACPI = 3,
	LOADER_MEM_NVS = 4,
};

/* One range of the guest-physical layout the guest is told about (never the host's). */
struct loader_map_entry {
	gpa_t base;
	u64 size;
	u32 type; /* enum loader_mem_type */
};

/* A multiboot module: its bytes (in hypervisor memory) and its string. */
struct loader_module {
	const void *data;
	u64 size;
	const char *string; /* NULL is treated as "" */
};

struct loader_image {
	const void *data; /* the image file, in hypervisor memory */
	u64 size;
	const char *path;    /* the kernel's path: multiboot's command line starts with it */
	const char *cmdline; /* NULL: none */
	const struct loader_module *modules;
	u32 module_count;
	gpa_t load_addr; /* raw only: where the image goes and starts */
	const struct loader_map_entry *map;
	u32 map_count;
	/* linux only: the initrd (NULL: none) and the ACPI RSDP's address (0: none) */
	const void *initrd;
	u64 initrd_size;
	gpa_t acpi_rsdp;
};

/* Every format starts in 32-bit flat protected mode today (docs/guests.md). */
enum loader_cpu_mode {
	LOADER_MODE_PROT32 = 1, /* CR0.PE=1, PG=0; CS/DS/ES/FS/GS/SS flat 4 GiB; EFLAGS=0x2 */
};

struct loader_start {
	enum loader_cpu_mode mode;
	u32 eip;
	u32 eax;
	u32 ebx;
	u32 esi;	   /* linux: the zero page (struct boot_params) */
	gpa_t image_start; /* the bytes the image occupies, [start, end) */
	gpa_t image_end;
	gpa_t info_addr; /* multiboot information structure, 0 for other formats */
	gpa_t used_end;	 /* page-aligned end of everything the loader wrote */
};

int loader_load(enum loader_format fmt, const struct loader_image *img, const struct guest_mem *mem,
		struct loader_start *start, char *err);

int loader_load_multiboot(const struct loader_image *img, const struct guest_mem *mem,
			  struct loader_start *start, char *err);
int loader_load_elf(const struct loader_image *img, const struct guest_mem *mem,
		    struct loader_start *start, char *err);
int loader_load_raw(const struct loader_image *img, const struct guest_mem *mem,
		    struct loader_start *start, char *err);

/*
 * Linux x86 boot protocol (Documentation/arch/x86/boot.rst): what the setup
 * header of a bzImage says, after the checks loader_linux_parse() makes.
 */
#define LINUX_MIN_PROTOCOL 0x020c /* 2.12: 64-bit fields, xloadflags */

struct loader_linux_header {
	u16 version;	/* boot protocol, 0x020f is 2.15 */
	u8 setup_sects; /* 512-byte sectors of real-mode code (0 read as 4) */
	u8 loadflags;
	u16 xloadflags;
	bool relocatable;
	u32 header_end; /* file offset just past the setup header */
	u64 pm_offset;	/* file offset of the protected-mode kernel */
	u64 pm_size;	/* its size (syssize * 16) */
	u32 initrd_addr_max;
	u32 kernel_alignment;
	u32 cmdline_size; /* longest command line, without its NUL */
	u64 pref_address;
	u32 init_size; /* bytes the kernel needs from its load address while it decompresses */
};

/* Checks the setup header of a bzImage: -EINVAL malformed, -ENOTSUP too old. */
int loader_linux_parse(const void *data, u64 size, struct loader_linux_header *h, char *err);

/*
 * The command line a Linux guest gets: user's (NULL: empty) plus
 * no_timer_check and tsc_early_khz=tsc_khz (0: omitted) unless user sets
 * them (kernel/loader/linux_cmdline.c says why). 0, or -ENOSPC when out is short.
 */
int linux_cmdline_compose(char *out, size_t size, const char *user, u64 tsc_khz);

int loader_load_linux(const struct loader_image *img, const struct guest_mem *mem,
		      struct loader_start *start, char *err);

/* Finds the multiboot header in the first 8 KiB; its file offset, or -EINVAL. */
int loader_multiboot_find(const void *data, u64 size);

#endif
