/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The ACPI tables a guest finds (ACPI 6.5, chapter 5.2): RSDP, XSDT, FACS,
 * FADT, a minimal DSDT (only \_S5, so the guest can power off through
 * PM1a_CNT) and a MADT with one processor local APIC per guest CPU (APIC IDs
 * 0..n-1, as the vCPU layer numbers them) and the IOAPIC. No MCFG: the guest
 * has PCI configuration ports only (hv/guest_platform.h).
 *
 * Pure code: the tables are built into a caller's buffer that the caller
 * copies to guest-physical `base`; every pointer between tables is a
 * guest-physical address computed from base. The RSDP comes first (at base),
 * so placing base in the BIOS area 0xE0000-0xFFFFF lets a kernel that scans
 * for "RSD PTR " (ACPI 5.2.5.1) find it too.
 */
#ifndef HV_GUEST_ACPI_H
#define HV_GUEST_ACPI_H

#include <hv/types.h>

#define GUEST_ACPI_BASE	    0xe0000ULL /* 16-byte aligned, inside the BIOS read-only area */
#define GUEST_ACPI_MAX_SIZE 0x2000     /* enough for 64 CPUs with room to spare */
#define GUEST_ACPI_MAX_CPUS 255	       /* local APIC entries carry 8-bit IDs */
#define GUEST_ACPI_MAX_ISO  8

/* An Interrupt Source Override (MADT type 2): ISA IRQ -> GSI with MPS INTI flags. */
struct guest_acpi_iso {
	u8 irq;
	u32 gsi;
	u16 flags;
};

/* What the tables describe; guest_acpi_default_params() fills it from hv/guest_platform.h. */
struct guest_acpi_params {
	u32 cpu_count;
	u64 lapic_addr;
	u64 ioapic_addr;
	u8 ioapic_id;
	u32 ioapic_gsi_base;
	u32 iso_count;
	struct guest_acpi_iso iso[GUEST_ACPI_MAX_ISO];
	u16 sci_irq;
	u16 pm1a_evt, pm1a_cnt, pm_tmr; /* I/O ports */
	u8 pm1_evt_len, pm1_cnt_len, pm_tmr_len;
	bool pm_tmr_32bit;
	u16 reset_port;
	u8 reset_value;
	u8 slp_typ_s5;
	u16 iapc_boot_arch;
	u8 century; /* CMOS index of the century byte, 0: none */
};

/* Where each table landed (guest-physical) and how many bytes were used. */
struct guest_acpi_layout {
	gpa_t rsdp, xsdt, facs, fadt, dsdt, madt;
	u32 size;
};

void guest_acpi_default_params(struct guest_acpi_params *p, u32 cpu_count);

/*
 * Builds all tables into buf (zeroed first), for placement at guest-physical
 * base (16-byte aligned, below 4 GiB). Returns 0, -EINVAL (bad parameters:
 * no CPUs, too many CPUs or overrides, base misaligned) or -ENOSPC (buf too
 * small).
 */
int guest_acpi_build(const struct guest_acpi_params *p, gpa_t base, u8 *buf, u32 size,
		     struct guest_acpi_layout *out);

/* The ACPI checksum rule (5.2.5.3, 5.2.6): the bytes sum to 0 mod 256. Returns the sum. */
u8 guest_acpi_sum(const u8 *p, u32 len);

#endif
