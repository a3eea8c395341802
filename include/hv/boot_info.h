/* SPDX-License-Identifier: Apache-2.0 */
/*
 * struct boot_info is the only contract between the boot paths (boot/efi,
 * boot/multiboot2) and the core. A boot path fills it completely, leaves
 * firmware services, and calls core_start(). Everything in it is a copy owned
 * by the hypervisor image or a physical address of memory the boot path has
 * marked BOOT_MEM_LOADED, so the core never depends on firmware structures.
 */
#ifndef HV_BOOT_INFO_H
#define HV_BOOT_INFO_H

#include <hv/compiler.h>
#include <hv/types.h>

#define BOOT_MAX_MMAP	 512
#define BOOT_MAX_FILES	 32
#define BOOT_NAME_MAX	 128
#define BOOT_CMDLINE_MAX 256

enum boot_firmware {
	BOOT_FW_UEFI = 1,
	BOOT_FW_MULTIBOOT2 = 2,
};

/* Memory types after the boot path's translation from E820/UEFI types. */
enum boot_mem_type {
	BOOT_MEM_USABLE = 1,	   /* free RAM (incl. UEFI boot services memory) */
	BOOT_MEM_RESERVED = 2,	   /* never touch */
	BOOT_MEM_ACPI_RECLAIM = 3, /* ACPI tables: read them, then keep them */
	BOOT_MEM_ACPI_NVS = 4,	   /* firmware NVS */
	BOOT_MEM_UNUSABLE = 5,	   /* bad RAM */
	BOOT_MEM_FIRMWARE = 6,	   /* UEFI runtime services code/data */
	BOOT_MEM_LOADED = 7,	   /* RAM holding the hypervisor image or loaded files */
};

struct boot_mem_range {
	hpa_t base;
	u64 length;
	u32 type; /* enum boot_mem_type */
};

/* A file the boot path loaded: a UEFI file or a multiboot2 module. */
struct boot_file {
	char name[BOOT_NAME_MAX]; /* path on the volume, or the module's command line */
	hpa_t addr;
	u64 size;
};

struct boot_info {
	u32 firmware; /* enum boot_firmware */
	u32 mmap_count;
	struct boot_mem_range mmap[BOOT_MAX_MMAP];

	hpa_t rsdp; /* physical address of the ACPI RSDP, 0 if none */

	hpa_t image_base; /* where the hypervisor image lies in RAM */
	u64 image_size;

	/* The configuration file, also listed in files[]; config_found == false if absent. */
	bool config_found;
	hpa_t config_addr;
	u64 config_size;
	char config_path[BOOT_NAME_MAX]; /* where the boot path looked for it */

	u32 file_count;
	struct boot_file files[BOOT_MAX_FILES];

	char cmdline[BOOT_CMDLINE_MAX]; /* hypervisor command line, NUL-terminated */

	u64 tsc_at_entry; /* TSC when the boot path started, for boot-phase timing */
};

/* Core entry point: switches to the boot CPU stack and never returns. */
void core_start(struct boot_info *bi) __noreturn;

/* Finds a loaded file by exact name; NULL if none. */
const struct boot_file *boot_find_file(const struct boot_info *bi, const char *name);

#endif
