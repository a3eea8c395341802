/* SPDX-License-Identifier: Apache-2.0 */
/* Shared by kernel/guestacpi/: little-endian writers and the common table header. */
#ifndef GUESTACPI_PRIV_H
#define GUESTACPI_PRIV_H

#include <hv/guest_acpi.h>

#define ACPI_HDR_SIZE 36 /* ACPI 5.2.6: the System Description Table Header */

static inline void put16(u8 *p, u16 v)
{
	p[0] = (u8)v;
	p[1] = (u8)(v >> 8);
}

static inline void put32(u8 *p, u32 v)
{
	put16(p, (u16)v);
	put16(p + 2, (u16)(v >> 16));
}

static inline void put64(u8 *p, u64 v)
{
	put32(p, (u32)v);
	put32(p + 4, (u32)(v >> 32));
}

/* Writes the 36-byte header (length and checksum come later, from acpi_finish). */
void acpi_header(u8 *t, const char sig[4], u8 revision);

/* Sets the header's length and makes the table's bytes sum to zero. */
void acpi_finish(u8 *t, u32 len);

/* Each writes one table at t (zeroed, large enough) and returns its length. */
u32 acpi_madt(u8 *t, const struct guest_acpi_params *p);
u32 acpi_fadt(u8 *t, const struct guest_acpi_params *p, gpa_t facs, gpa_t dsdt);
u32 acpi_dsdt(u8 *t, const struct guest_acpi_params *p);

/* The MADT's size for p, to check the buffer before writing. */
u32 acpi_madt_size(const struct guest_acpi_params *p);

#endif
