/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Shared by the ACPI table parsers in drivers/acpi/. Tables are read as byte
 * arrays with explicit little-endian accessors: fields are often unaligned
 * (XSDT entries start at offset 36) and every read is checked against the
 * table's validated length by the caller.
 */
#ifndef DRIVERS_ACPI_PRIV_H
#define DRIVERS_ACPI_PRIV_H

#include <hv/acpi.h>

/* System Description Table Header (ACPI 6.5, 5.2.6): 36 bytes. */
#define ACPI_HDR_SIGNATURE 0
#define ACPI_HDR_LENGTH	   4
#define ACPI_HDR_REVISION  8
#define ACPI_HDR_CHECKSUM  9
#define ACPI_HDR_OEM_ID	   10
#define ACPI_HDR_SIZE	   36

#define ACPI_OEM_ID_LEN 6

/* Root System Description Pointer (ACPI 6.5, 5.2.5.3). */
#define RSDP_SIGNATURE	  "RSD PTR "
#define RSDP_OEM_ID	  9
#define RSDP_REVISION	  15
#define RSDP_RSDT_ADDRESS 16
#define RSDP_LENGTH	  20
#define RSDP_XSDT_ADDRESS 24
#define RSDP_V1_SIZE	  20 /* the part covered by the first checksum */
#define RSDP_V2_SIZE	  36
#define RSDP_MAX_LENGTH	  4096

/* No table we read is anywhere near this; a larger length is corrupt. */
#define ACPI_TABLE_MAX_LEN (4U << 20)

static inline u8 acpi_rd8(const u8 *p, size_t off)
{
	return p[off];
}

static inline u16 acpi_rd16(const u8 *p, size_t off)
{
	return (u16)(p[off] | (p[off + 1] << 8));
}

static inline u32 acpi_rd32(const u8 *p, size_t off)
{
	return (u32)acpi_rd16(p, off) | ((u32)acpi_rd16(p, off + 2) << 16);
}

static inline u64 acpi_rd64(const u8 *p, size_t off)
{
	return (u64)acpi_rd32(p, off) | ((u64)acpi_rd32(p, off + 4) << 32);
}

/* Decodes a 12-byte Generic Address Structure at off (ACPI 6.5, 5.2.3.2). */
static inline struct acpi_gas acpi_rd_gas(const u8 *p, size_t off)
{
	struct acpi_gas g = {
		.space_id = p[off],
		.bit_width = p[off + 1],
		.bit_offset = p[off + 2],
		.access_size = p[off + 3],
		.address = acpi_rd64(p, off + 4),
	};
	return g;
}

u8 acpi_checksum(const u8 *p, size_t len);

/*
 * Fetches the table at addr and validates its header length and checksum
 * (and its signature when sig is not NULL). Fills *ref when ref is not NULL.
 * Returns the table bytes, or NULL when it must not be used.
 */
const u8 *acpi_fetch_table(const struct acpi_mem *mem, hpa_t addr, const char *sig,
			   struct acpi_table_ref *ref);

/* Each parser gets a table whose length and checksum are already valid. */
void acpi_parse_madt(const u8 *t, u32 len, struct acpi_info *info);
void acpi_parse_fadt(const u8 *t, u32 len, struct acpi_info *info);
void acpi_parse_mcfg(const u8 *t, u32 len, struct acpi_info *info);
void acpi_parse_hpet(const u8 *t, u32 len, struct acpi_info *info);

/* The DSDT's address from a validated FADT (X_DSDT preferred), 0 if none. */
hpa_t acpi_fadt_dsdt(const u8 *t, u32 len);

#endif
