/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Static configuration (bulkhead.cfg): parser, validator and hardware check.
 * docs/config.md describes the file format and every rule identifier.
 *
 * The same code runs in the hypervisor at boot and in the offline checker
 * (build/bulkhead-check). It allocates nothing: strings live in a bounded
 * arena inside struct config, and every table has a fixed limit that is
 * itself a reported rule ("limit"). Diagnostics go through a struct
 * diag_sink, so the hypervisor prints them with printk and the checker with
 * stdio; each one is one line:
 *
 *	FILE:LINE: error[rule-id]: message
 *	FILE:LINE: warning[rule-id]: message
 *
 * Use:
 *	static struct config cfg;		// large: keep it out of the stack
 *	config_load(&cfg, "bulkhead.cfg", text, len, &sink);	// syntax + rules
 *	config_check_machine(&cfg, &machine, &sink);		// + the real machine
 *	plan_build(&cfg, &machine, &plan, &sink);		// see hv/plan.h
 * Each returns 0 when it found no error, -EINVAL otherwise. A struct config
 * points into itself: do not copy it.
 */
#ifndef HV_CONFIG_H
#define HV_CONFIG_H

#include <hv/compiler.h>
#include <hv/types.h>

/* ---- limits ---------------------------------------------------------------- */
#define CFG_MAX_GUESTS		 32
#define CFG_MAX_SHARED		 16
#define CFG_MAX_CPUS		 256 /* logical CPU numbers 0..255 (MADT order) */
#define CFG_MAX_GUEST_CPUS	 64
#define CFG_MAX_PASS		 16  /* per guest and per kind: pci, ioports, mmio */
#define CFG_NAME_MAX		 32  /* guest and shared-region names, incl. NUL */
#define CFG_PATH_MAX		 128 /* kernel/initrd/module paths, incl. NUL (boot_info's limit) */
#define CFG_MAX_MODULES		 16  /* multiboot modules per guest */
#define CFG_VALUE_MAX		 1024 /* longest value, incl. NUL */
#define CFG_ARENA_SIZE		 32768
#define BOOT_CMDLINE_MAX_OPTIONS 128	      /* longest [hypervisor] options value, incl. NUL */
#define CFG_MIN_MEMORY		 (2ULL << 20) /* raw, elf, multiboot: image at 1 MiB */
#define CFG_MIN_MEMORY_LINUX	 (16ULL << 20)

/* ---- diagnostics ------------------------------------------------------------ */
enum diag_severity {
	DIAG_ERROR = 0,
	DIAG_WARNING = 1,
};

/*
 * emit() receives one formatted line without its newline. file names the
 * configuration in every message. errors/warnings count what was reported.
 */
struct diag_sink {
	void (*emit)(void *ctx, enum diag_severity sev, const char *line);
	void *ctx;
	const char *file;
	u32 errors;
	u32 warnings;
};

/* Reports one diagnostic; the rule id must be one of docs/config.md. */
void diag_report(struct diag_sink *sink, enum diag_severity sev, u32 line, const char *rule,
		 const char *fmt, ...) __printf(5, 6);

/* ---- the typed configuration -------------------------------------------------- */
enum cfg_format {
	CFG_FORMAT_NONE = 0,
	CFG_FORMAT_LINUX,
	CFG_FORMAT_MULTIBOOT,
	CFG_FORMAT_ELF,
	CFG_FORMAT_RAW,
};

enum cfg_on_fault {
	CFG_FAULT_STOP = 0,
	CFG_FAULT_RESTART,
};

enum cfg_serial_kind {
	CFG_SERIAL_IO = 0,
	CFG_SERIAL_MMIO,
};

/* An inclusive-exclusive range [base, base + size) from the file, and its line. */
struct cfg_range {
	u64 base;
	u64 size;
	u32 line;
};

struct cfg_pci {
	u8 bus;
	u8 dev; /* 0..31 */
	u8 fn;	/* 0..7 */
	u32 line;
};

/* Keys of [guest NAME]; the index of key_line[] in struct cfg_guest. */
enum cfg_guest_key {
	GK_CPUS,
	GK_MEMORY,
	GK_FORMAT,
	GK_KERNEL,
	GK_INITRD,
	GK_MODULE,
	GK_CMDLINE,
	GK_ENTRY,
	GK_UART,
	GK_PCI,
	GK_IOPORTS,
	GK_MMIO,
	GK_ON_FAULT,
	GK_AUTOSTART,
	GK_COUNT,
};

/* A multiboot module: the file and the string the guest sees (the path by default). */
struct cfg_module {
	const char *path;   /* arena */
	const char *string; /* arena; equals path when the line gives none */
	u32 line;
};

struct cfg_guest {
	char name[CFG_NAME_MAX];
	u32 line;		/* line of the section header */
	u32 key_line[GK_COUNT]; /* line where each key was (last) set, 0 if absent */

	u32 cpu_count;
	u16 cpus[CFG_MAX_GUEST_CPUS]; /* in file order: cpus[0] is the boot CPU */

	u64 memory;
	bool memory_pinned;
	hpa_t memory_at; /* valid when memory_pinned */

	enum cfg_format format;
	const char *kernel; /* arena strings, NULL when absent */
	const char *initrd;
	const char *cmdline;
	u32 module_count;
	struct cfg_module modules[CFG_MAX_MODULES]; /* in file order */
	bool has_entry;
	u64 entry;

	u16 uart_port; /* virtual 16550 base port, 0 = none */

	u32 pci_count;
	struct cfg_pci pci[CFG_MAX_PASS];
	u32 ioport_count;
	struct cfg_range ioports[CFG_MAX_PASS];
	u32 mmio_count;
	struct cfg_range mmio[CFG_MAX_PASS];

	enum cfg_on_fault on_fault;
	bool autostart;
};

/* Keys of [shared NAME]; the index of key_line[] in struct cfg_shared. */
enum cfg_shared_key {
	SK_SIZE,
	SK_GUESTS,
	SK_COUNT,
};

struct cfg_shared {
	char name[CFG_NAME_MAX];
	u32 line;
	u32 key_line[SK_COUNT];
	const char *guest_names; /* the value of guests =, as written (arena) */
	u64 size;
	u32 guest_count;
	u8 guests[CFG_MAX_GUESTS]; /* indices into config.guests, resolved by the validator */
};

struct config {
	const char *file; /* the name diagnostics carry */

	/* [hypervisor] */
	enum cfg_serial_kind serial_kind;
	u64 serial_base; /* port or MMIO address */
	u32 serial_baud;
	u32 serial_line;
	bool has_console_cpu;
	u32 console_cpu;
	u32 console_cpu_line;
	const char *options; /* hypervisor command-line words (arena), NULL when absent */

	u32 guest_count;
	struct cfg_guest guests[CFG_MAX_GUESTS];
	u32 shared_count;
	struct cfg_shared shared[CFG_MAX_SHARED];

	u32 line_count; /* lines in the file */
	size_t arena_used;
	char arena[CFG_ARENA_SIZE];
};

/* Parses and validates text (len bytes, NUL bytes allowed and reported). */
int config_load(struct config *cfg, const char *file_name, const char *text, size_t len,
		struct diag_sink *diags);

/* The two halves of config_load, for callers that want them apart. */
int config_parse(struct config *cfg, const char *file_name, const char *text, size_t len,
		 struct diag_sink *diags);
int config_validate(struct config *cfg, struct diag_sink *diags);

/* ---- the machine ---------------------------------------------------------------- */
#define MACHINE_MAX_CPUS   CFG_MAX_CPUS
#define MACHINE_MAX_RANGES 128
#define MACHINE_MAX_PCI	   256

struct machine_range {
	u64 base;
	u64 size;
};

/*
 * Learns the size of a guest image (a UEFI file loaded beside bulkhead.efi or
 * a multiboot2 module). Returns 0 and sets *size, or -ENOENT when absent.
 */
typedef int (*machine_file_size_fn)(void *ctx, const char *name, u64 *size);

/* What the hardware check and the planner know about the real machine. */
struct machine_desc {
	u32 cpu_count;
	u32 apic_ids[MACHINE_MAX_CPUS]; /* MADT order: logical CPU n is apic_ids[n] */

	u32 ram_count;
	struct machine_range ram[MACHINE_MAX_RANGES]; /* usable RAM, any order */
	u32 reserved_count;
	struct machine_range reserved[MACHINE_MAX_RANGES]; /* the hypervisor's own */

	u32 pci_count;
	u16 pci[MACHINE_MAX_PCI]; /* functions present, as PCI_BDF(bus, dev, fn) */
	bool iommu_present;

	machine_file_size_fn file_size; /* NULL: image sizes unknown, not checked */
	void *file_ctx;
};

#define PCI_BDF(b, d, f) ((u16)(((b) << 8) | ((d) << 3) | (f)))

/*
 * Adds the rules only the machine can answer (cpu-absent, ram-short,
 * memory-not-ram, memory-reserved, pci-absent, iommu-required, image-missing,
 * image-too-large); images are the kernel, the initrd and every module.
 * cfg must have passed config_load.
 */
int config_check_machine(const struct config *cfg, const struct machine_desc *machine,
			 struct diag_sink *diags);

/* Fills *m with the documented default machine of the offline checker. */
void machine_default(struct machine_desc *m);

/* ---- value syntax, shared with the checker's --machine file ---------------------- */
/* Each returns 0 or -EINVAL (bad syntax) or -EOVERFLOW (does not fit 64 bits). */
int cfg_parse_u64(const char *s, size_t len, u64 *out);		       /* 123, 0x7b */
int cfg_parse_size(const char *s, size_t len, u64 *out);	       /* 4096, 4K, 2M, 1G, 1T */
int cfg_parse_range(const char *s, size_t len, struct cfg_range *out); /* A-B (inclusive), A+SIZE */
int cfg_parse_pci(const char *s, size_t len, struct cfg_pci *out);     /* BB:DD.F, hex */

/* Formats a byte count as "512 MiB", "4 KiB", "1.5 GiB", "3000 B". */
void cfg_format_size(char *buf, size_t size, u64 bytes);

#endif
