/* SPDX-License-Identifier: Apache-2.0 */
/*
 * ACPI static tables: what the hypervisor learns from the firmware's RSDP,
 * XSDT/RSDT, MADT, FADT, MCFG and HPET, and where DMAR/IVRS lie.
 *
 * Every table is validated (length and checksum) before any field of it is
 * read; a table that fails is reported and skipped. The parser reaches
 * physical memory only through a struct acpi_mem, so host tests run it over
 * table bytes laid out in a fake physical address space.
 */
#ifndef HV_ACPI_H
#define HV_ACPI_H

#include <hv/types.h>

#define ACPI_MAX_CPUS	 256
#define ACPI_MAX_IOAPICS 16
#define ACPI_MAX_ISOS	 32
#define ACPI_MAX_TABLES	 32

/* Generic Address Structure (ACPI 6.5, 5.2.3.2) address space IDs. */
#define ACPI_GAS_SYSTEM_MEMORY 0
#define ACPI_GAS_SYSTEM_IO     1

/* Generic Address Structure, decoded (ACPI 6.5, 5.2.3.2). */
struct acpi_gas {
	u8 space_id;
	u8 bit_width;
	u8 bit_offset;
	u8 access_size;
	u64 address;
};

/* One processor entry of the MADT (type 0 Local APIC or type 9 Local x2APIC). */
struct acpi_cpu {
	u32 apic_id;
	u32 uid;	     /* ACPI processor UID */
	bool enabled;	     /* Local APIC flags bit 0 */
	bool online_capable; /* Local APIC flags bit 1 (ACPI 6.3+) */
	bool x2apic;	     /* came from a type 9 entry */
};

/* MADT type 1 (ACPI 6.5, 5.2.12.3). */
struct acpi_ioapic {
	u8 id;
	u32 address;
	u32 gsi_base;
};

/* MADT type 2, Interrupt Source Override (ACPI 6.5, 5.2.12.5). */
struct acpi_iso {
	u8 bus;	   /* 0: ISA */
	u8 source; /* bus-relative IRQ */
	u32 gsi;
	u16 flags; /* MPS INTI flags: polarity bits 1:0, trigger mode bits 3:2 */
};

/* A table listed by the root table, as found. */
enum acpi_table_status {
	ACPI_TABLE_OK = 0,
	ACPI_TABLE_UNREADABLE = 1, /* address not accessible */
	ACPI_TABLE_BAD_LENGTH = 2, /* length below the header or implausibly large */
	ACPI_TABLE_BAD_CHECKSUM = 3,
};

struct acpi_table_ref {
	char sig[5];
	char oem_id[7];
	hpa_t addr;
	u32 length;
	u8 revision;
	u8 status; /* enum acpi_table_status */
};

/* FADT Flags (ACPI 6.5, 5.2.9, Table 5.10). */
#define ACPI_FADT_TMR_VAL_EXT	  BIT(8)  /* PM timer is 32 bits wide (else 24) */
#define ACPI_FADT_RESET_REG_SUP	  BIT(10) /* RESET_REG is supported */
#define ACPI_FADT_HW_REDUCED_ACPI BIT(20) /* no fixed hardware (no PM timer, PM1 blocks) */

struct acpi_info {
	hpa_t rsdp;
	u8 rsdp_revision;
	char rsdp_oem_id[7];
	hpa_t root; /* the XSDT or RSDT in use */
	bool root_is_xsdt;

	u32 table_count;   /* entries in tables[] */
	u32 tables_listed; /* entries in the root table (may exceed ACPI_MAX_TABLES) */
	struct acpi_table_ref tables[ACPI_MAX_TABLES];

	/* Physical addresses of validated tables; 0 if absent or invalid. */
	hpa_t madt, fadt, mcfg, dmar, ivrs, hpet, dsdt;

	/* MADT (ACPI 6.5, 5.2.12), in table order. */
	u32 cpu_count;	  /* entries in cpus[] */
	u32 cpus_dropped; /* valid processor entries that did not fit */
	struct acpi_cpu cpus[ACPI_MAX_CPUS];
	u32 ioapic_count;
	struct acpi_ioapic ioapics[ACPI_MAX_IOAPICS];
	u32 iso_count;
	struct acpi_iso isos[ACPI_MAX_ISOS];
	u64 lapic_address; /* with the type 5 override applied */
	bool pcat_compat;  /* MADT flags bit 0: dual 8259 PICs present */

	/* FADT (ACPI 6.5, 5.2.9). Ports/addresses are 0 when absent. */
	u32 fadt_flags;
	u16 iapc_boot_arch;
	u16 sci_irq;
	u16 pm_timer_port;
	bool pm_timer_32bit; /* TMR_VAL_EXT */
	struct acpi_gas pm1a_cnt;
	struct acpi_gas pm1b_cnt;
	bool reset_supported; /* RESET_REG_SUP and a non-zero reset register */
	struct acpi_gas reset_reg;
	u8 reset_value;

	/* MCFG (PCI Firmware Specification 3.2, 4.1.2): the first allocation. */
	u32 mcfg_count;
	u64 ecam_base;
	u16 ecam_segment;
	u8 ecam_bus_start;
	u8 ecam_bus_end;

	/* HPET table (IA-PC HPET Specification 1.0a, 3.2.4): event timer block. */
	u64 hpet_address;
};

/* What acpi_init() found; valid after it returns 0. */
extern struct acpi_info acpi;

/*
 * Parses the tables reached from the RSDP at physical address rsdp into the
 * global `acpi` and prints a summary. Returns 0 when the RSDP and a root table
 * were valid (other tables may still be missing: check the fields), -ENODEV
 * when there is no RSDP, -EINVAL when the RSDP or both root tables are bad.
 */
int acpi_init(hpa_t rsdp);

/*
 * Prints every table reached from the RSDP given to acpi_init() (RSDP, root
 * table, each listed table, the DSDT) as log lines
 *   acpi-dump: SIG ADDR LEN OFF HEX
 * with 32 bytes of the table per line (OFF is the hex offset of the first).
 * tools/acpi-fixture.py turns a captured log into test fixtures. kernel_main
 * calls it after acpi_init() when the boot command line has `acpi_dump`.
 */
void acpi_dump_tables(void);

/*
 * The pure parts, host-tested. fetch() returns a pointer to len readable
 * bytes at physical address addr, or NULL when that range is not accessible.
 */
struct acpi_mem {
	const void *(*fetch)(void *ctx, hpa_t addr, size_t len);
	void *ctx;
};

int acpi_parse(const struct acpi_mem *mem, hpa_t rsdp, struct acpi_info *out);
void acpi_print_summary(const struct acpi_info *info);
void acpi_dump(const struct acpi_mem *mem, hpa_t rsdp);

#endif
