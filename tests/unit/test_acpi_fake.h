/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Host-test support for the ACPI parser: a fake physical address space whose
 * regions each end at a PROT_NONE guard page (so reading one byte past a
 * table faults the test), a table builder that computes lengths and
 * checksums, and a printk that captures the log.
 */
#ifndef TEST_ACPI_FAKE_H
#define TEST_ACPI_FAKE_H

#include <hv/acpi.h>

extern const struct acpi_mem fake_mem;

/* Copies len bytes to fake physical address addr; returns the copy. */
void *fake_place(hpa_t addr, const void *bytes, size_t len);
void fake_reset(void);

/* Loads tests/fixtures/acpi/BED (index + .bin files); returns the RSDP address. */
hpa_t fake_load_fixture(const char *bed);

struct tbuf {
	u8 b[16384];
	size_t n;
};

void tb_bytes(struct tbuf *t, const void *p, size_t n);
void tb_u8(struct tbuf *t, u8 v);
void tb_u16(struct tbuf *t, u16 v);
void tb_u32(struct tbuf *t, u32 v);
void tb_u64(struct tbuf *t, u64 v);
void tb_gas(struct tbuf *t, u8 space, u8 width, u64 addr);
/* Starts a table with a 36-byte header (length and checksum filled by tb_finish). */
void tb_header(struct tbuf *t, const char *sig, u8 rev);
void tb_finish(struct tbuf *t);
/* tb_finish + fake_place. */
hpa_t tb_place(struct tbuf *t, hpa_t addr);

/* A root table (XSDT: entry_size 8, RSDT: 4) listing n addresses. */
hpa_t place_root(hpa_t at, const char *sig, const hpa_t *addrs, size_t n);
/* An RSDP of revision rev (0: 20 bytes, 2: 36 bytes), valid checksums. */
u8 *place_rsdp(hpa_t at, u8 rev, u32 rsdt, u64 xsdt);

/* The captured log since the last fake_reset(). */
extern char test_log[];
extern unsigned test_log_warnings;

#endif
