/* SPDX-License-Identifier: Apache-2.0 */
/*
 * ACPI parser on hand-built tables: validation (RSDP, table checksums and
 * lengths), root table selection, MADT walking (truncated entries, disabled
 * and x2APIC processors, clamping), FADT fields across revisions, and the
 * acpi_dump format read back into bytes.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include <hv/errno.h>

#include "test_acpi_fake.h"

/* Where the hand-built tables lie in the fake physical address space. */
#define AT_RSDP	 0x000f5a40ULL
#define AT_RSDT	 0x7ffe0000ULL
#define AT_XSDT	 0x7ffe1000ULL
#define AT_MADT	 0x7ffe2000ULL
#define AT_FADT	 0x7ffe3000ULL
#define AT_MCFG	 0x7ffe4000ULL
#define AT_HPET	 0x7ffe5000ULL
#define AT_DSDT	 0x7ffe6000ULL
#define AT_DMAR	 0x7ffe7000ULL
#define AT_MADT2 0x7ffe8000ULL

static struct acpi_info info;

static int setup(void **state)
{
	fake_reset();
	return 0;
}

/* MADT entry builders (ACPI 6.5, 5.2.12.x). */
static void madt_start(struct tbuf *t, u32 lapic)
{
	tb_header(t, "APIC", 5);
	tb_u32(t, lapic);
	tb_u32(t, 1); /* PCAT_COMPAT */
}

static void madt_lapic(struct tbuf *t, u8 uid, u8 id, u32 flags)
{
	tb_u8(t, 0);
	tb_u8(t, 8);
	tb_u8(t, uid);
	tb_u8(t, id);
	tb_u32(t, flags);
}

static void madt_x2apic(struct tbuf *t, u32 id, u32 uid, u32 flags)
{
	tb_u8(t, 9);
	tb_u8(t, 16);
	tb_u16(t, 0);
	tb_u32(t, id);
	tb_u32(t, flags);
	tb_u32(t, uid);
}

static void madt_ioapic(struct tbuf *t, u8 id, u32 addr, u32 gsi)
{
	tb_u8(t, 1);
	tb_u8(t, 12);
	tb_u8(t, id);
	tb_u8(t, 0);
	tb_u32(t, addr);
	tb_u32(t, gsi);
}

static void madt_iso(struct tbuf *t, u8 src, u32 gsi, u16 flags)
{
	tb_u8(t, 2);
	tb_u8(t, 10);
	tb_u8(t, 0);
	tb_u8(t, src);
	tb_u32(t, gsi);
	tb_u16(t, flags);
}

static hpa_t std_madt(hpa_t at, u8 ncpus)
{
	struct tbuf t;

	madt_start(&t, 0xfee00000);
	for (u8 i = 0; i < ncpus; i++)
		madt_lapic(&t, i, i, 1);
	madt_ioapic(&t, ncpus, 0xfec00000, 0);
	madt_iso(&t, 0, 2, 0);
	madt_iso(&t, 9, 9, 0xd);
	return tb_place(&t, at);
}

/* A FADT of `len` bytes (116 for ACPI 1.0, 276 for 6.x) with the usual PIIX4/ICH9 ports. */
static void fadt_build(struct tbuf *t, u8 rev, size_t len, u32 flags)
{
	tb_header(t, "FACP", rev);
	tb_u32(t, 0x7ffe9000); /* FIRMWARE_CTRL */
	tb_u32(t, AT_DSDT);    /* DSDT, 40 */
	tb_u8(t, 0);
	tb_u8(t, 0);
	tb_u16(t, 9); /* SCI_INT, 46 */
	while (t->n < 64)
		tb_u8(t, 0);
	tb_u32(t, 0x604); /* PM1a_CNT_BLK, 64 */
	tb_u32(t, 0);	  /* PM1b_CNT_BLK */
	tb_u32(t, 0);	  /* PM2_CNT_BLK */
	tb_u32(t, 0x608); /* PM_TMR_BLK, 76 */
	while (t->n < 89)
		tb_u8(t, 0);
	tb_u8(t, 2); /* PM1_CNT_LEN, 89 */
	tb_u8(t, 0);
	tb_u8(t, 4); /* PM_TMR_LEN, 91 */
	while (t->n < 109)
		tb_u8(t, 0);
	tb_u16(t, 0x3); /* IAPC_BOOT_ARCH, 109 */
	tb_u8(t, 0);
	tb_u32(t, flags); /* Flags, 112 */
	if (len > 116) {
		tb_gas(t, 1, 8, 0xcf9); /* RESET_REG, 116 */
		tb_u8(t, 0x6);		/* RESET_VALUE, 128 */
	}
	while (t->n < len)
		tb_u8(t, 0);
}

/* Sets the extended GAS at off inside a FADT under construction. */
static void fadt_set_gas(struct tbuf *t, size_t off, u8 space, u64 addr)
{
	struct tbuf g = {.n = 0};

	tb_gas(&g, space, 32, addr);
	memcpy(t->b + off, g.b, 12);
}

static hpa_t std_fadt(hpa_t at)
{
	struct tbuf t;

	fadt_build(&t, 6, 276, (1u << 8) | (1u << 10));
	fadt_set_gas(&t, 172, 1, 0x604);  /* X_PM1a_CNT_BLK */
	fadt_set_gas(&t, 208, 1, 0xb008); /* X_PM_TMR_BLK wins over PM_TMR_BLK */
	memcpy(t.b + 140, &(u64){AT_DSDT}, 8);
	return tb_place(&t, at);
}

static hpa_t std_mcfg(hpa_t at)
{
	struct tbuf t;

	tb_header(&t, "MCFG", 1);
	tb_u64(&t, 0);
	tb_u64(&t, 0xb0000000);
	tb_u16(&t, 0);
	tb_u8(&t, 0);
	tb_u8(&t, 255);
	tb_u32(&t, 0);
	return tb_place(&t, at);
}

static hpa_t std_hpet(hpa_t at)
{
	struct tbuf t;

	tb_header(&t, "HPET", 1);
	tb_u32(&t, 0x8086a201);
	tb_gas(&t, 0, 64, 0xfed00000);
	tb_u8(&t, 0);
	tb_u16(&t, 0x80);
	tb_u8(&t, 0);
	return tb_place(&t, at);
}

static hpa_t small_table(hpa_t at, const char *sig)
{
	struct tbuf t;

	tb_header(&t, sig, 1);
	tb_u32(&t, 0);
	return tb_place(&t, at);
}

/* A complete machine: RSDP rev 2 -> XSDT (and an RSDT) -> MADT, FADT, MCFG, HPET. */
static void std_machine(void)
{
	hpa_t tables[] = {std_fadt(AT_FADT), std_madt(AT_MADT, 2), std_mcfg(AT_MCFG),
			  std_hpet(AT_HPET)};

	small_table(AT_DSDT, "DSDT");
	place_root(AT_XSDT, "XSDT", tables, 4);
	place_root(AT_RSDT, "RSDT", tables, 4);
	place_rsdp(AT_RSDP, 2, AT_RSDT, AT_XSDT);
}

static void test_valid_tables(void **state)
{
	std_machine();
	assert_int_equal(acpi_parse(&fake_mem, AT_RSDP, &info), 0);
	assert_int_equal(test_log_warnings, 0);
	assert_true(info.root_is_xsdt);
	assert_int_equal(info.root, AT_XSDT);
	assert_int_equal(info.rsdp_revision, 2);
	assert_string_equal(info.rsdp_oem_id, "BHTEST");
	assert_int_equal(info.tables_listed, 4);
	assert_int_equal(info.table_count, 5); /* + DSDT */
	assert_string_equal(info.tables[4].sig, "DSDT");
	assert_int_equal(info.madt, AT_MADT);
	assert_int_equal(info.fadt, AT_FADT);
	assert_int_equal(info.mcfg, AT_MCFG);
	assert_int_equal(info.hpet, AT_HPET);
	assert_int_equal(info.dsdt, AT_DSDT);
	assert_int_equal(info.dmar, 0);
	assert_int_equal(info.ivrs, 0);

	assert_int_equal(info.cpu_count, 2);
	assert_int_equal(info.cpus[1].apic_id, 1);
	assert_true(info.cpus[1].enabled);
	assert_false(info.cpus[1].x2apic);
	assert_int_equal(info.ioapic_count, 1);
	assert_int_equal(info.ioapics[0].id, 2);
	assert_int_equal(info.ioapics[0].address, 0xfec00000);
	assert_int_equal(info.iso_count, 2);
	assert_int_equal(info.isos[1].source, 9);
	assert_int_equal(info.isos[1].flags, 0xd);
	assert_int_equal(info.lapic_address, 0xfee00000);
	assert_true(info.pcat_compat);

	assert_int_equal(info.pm_timer_port, 0xb008);
	assert_true(info.pm_timer_32bit);
	assert_int_equal(info.sci_irq, 9);
	assert_int_equal(info.pm1a_cnt.address, 0x604);
	assert_true(info.reset_supported);
	assert_int_equal(info.reset_reg.address, 0xcf9);
	assert_int_equal(info.reset_reg.space_id, ACPI_GAS_SYSTEM_IO);
	assert_int_equal(info.reset_value, 6);

	assert_int_equal(info.mcfg_count, 1);
	assert_int_equal(info.ecam_base, 0xb0000000);
	assert_int_equal(info.ecam_bus_end, 255);
	assert_int_equal(info.hpet_address, 0xfed00000);
}

static void test_no_rsdp(void **state)
{
	assert_int_equal(acpi_parse(&fake_mem, 0, &info), -ENODEV);
	assert_int_equal(acpi_parse(&fake_mem, 0x1000, &info), -EINVAL); /* unmapped */
}

static void test_bad_rsdp_checksum(void **state)
{
	u8 *r;

	std_machine();
	r = place_rsdp(0xe0000, 0, AT_RSDT, 0);
	r[8] ^= 0x55;
	assert_int_equal(acpi_parse(&fake_mem, 0xe0000, &info), -EINVAL);
	assert_int_equal(info.cpu_count, 0);
	assert_non_null(strstr(test_log, "bad checksum"));
}

static void test_bad_rsdp_extended_checksum(void **state)
{
	u8 *r;

	std_machine();
	r = place_rsdp(0xe0000, 2, AT_RSDT, AT_XSDT);
	r[32] ^= 1; /* the first 20 bytes are still fine */
	assert_int_equal(acpi_parse(&fake_mem, 0xe0000, &info), -EINVAL);
	r = place_rsdp(0xe1000, 2, AT_RSDT, AT_XSDT);
	r[20] = 0xff; /* Length beyond the structure */
	assert_int_equal(acpi_parse(&fake_mem, 0xe1000, &info), -EINVAL);
}

static void test_bad_table_checksum_skipped(void **state)
{
	struct tbuf t;
	hpa_t tables[] = {AT_MADT, AT_MCFG, AT_HPET};

	madt_start(&t, 0xfee00000);
	madt_lapic(&t, 0, 0, 1);
	tb_finish(&t);
	t.b[40] ^= 0x10;
	fake_place(AT_MADT, t.b, t.n);
	std_mcfg(AT_MCFG);
	std_hpet(AT_HPET);
	place_root(AT_RSDT, "RSDT", tables, 3);
	place_rsdp(AT_RSDP, 0, AT_RSDT, 0);

	assert_int_equal(acpi_parse(&fake_mem, AT_RSDP, &info), 0);
	assert_int_equal(info.madt, 0);
	assert_int_equal(info.cpu_count, 0);
	assert_int_equal(info.lapic_address, 0);
	assert_int_equal(info.tables[0].status, ACPI_TABLE_BAD_CHECKSUM);
	assert_string_equal(info.tables[0].sig, "APIC");
	assert_int_equal(info.mcfg, AT_MCFG);
	assert_int_equal(info.hpet, AT_HPET);
	assert_non_null(strstr(test_log, "APIC at 0x7ffe2000: bad checksum"));
}

static void test_bad_table_length_and_address(void **state)
{
	struct tbuf t;
	hpa_t tables[] = {0x12345000, AT_MADT, AT_MCFG, 0, AT_MADT2};

	tb_header(&t, "APIC", 1);
	tb_finish(&t);
	memcpy(t.b + 4, &(u32){0x7fffffff}, 4); /* huge length */
	fake_place(AT_MADT, t.b, t.n);
	tb_header(&t, "MCFG", 1);
	tb_finish(&t);
	memcpy(t.b + 4, &(u32){20}, 4); /* below the header */
	fake_place(AT_MCFG, t.b, t.n);
	std_madt(AT_MADT2, 3);
	place_root(AT_RSDT, "RSDT", tables, 5);
	place_rsdp(AT_RSDP, 0, AT_RSDT, 0);

	assert_int_equal(acpi_parse(&fake_mem, AT_RSDP, &info), 0);
	assert_int_equal(info.tables[0].status, ACPI_TABLE_UNREADABLE);
	assert_int_equal(info.tables[1].status, ACPI_TABLE_BAD_LENGTH);
	assert_int_equal(info.tables[2].status, ACPI_TABLE_BAD_LENGTH);
	assert_int_equal(info.tables[3].status, ACPI_TABLE_UNREADABLE);
	assert_int_equal(info.madt, AT_MADT2);
	assert_int_equal(info.cpu_count, 3);
	assert_int_equal(info.mcfg, 0);
}

/* XSDT lists a 2-CPU MADT, RSDT a 3-CPU one: which root was used shows. */
static void two_roots(u8 rev, u64 xsdt)
{
	hpa_t x[] = {std_madt(AT_MADT, 2)};
	hpa_t r[] = {std_madt(AT_MADT2, 3)};

	place_root(AT_XSDT, "XSDT", x, 1);
	place_root(AT_RSDT, "RSDT", r, 1);
	place_rsdp(AT_RSDP, rev, AT_RSDT, xsdt);
	assert_int_equal(acpi_parse(&fake_mem, AT_RSDP, &info), 0);
}

static void test_xsdt_preferred(void **state)
{
	two_roots(2, AT_XSDT);
	assert_true(info.root_is_xsdt);
	assert_int_equal(info.cpu_count, 2);
}

static void test_rsdt_for_revision_0(void **state)
{
	two_roots(0, AT_XSDT); /* XsdtAddress is not part of a revision 0 RSDP */
	assert_false(info.root_is_xsdt);
	assert_int_equal(info.root, AT_RSDT);
	assert_int_equal(info.cpu_count, 3);
}

static void test_rsdt_when_xsdt_address_zero(void **state)
{
	two_roots(2, 0);
	assert_false(info.root_is_xsdt);
	assert_int_equal(info.cpu_count, 3);
}

static void test_rsdt_when_xsdt_bad(void **state)
{
	hpa_t x[] = {AT_MADT};

	place_root(0x7ffef000, "XSDT", x, 1);
	two_roots(2, 0x7ffef001); /* points into the middle of nothing */
	assert_false(info.root_is_xsdt);
	assert_int_equal(info.cpu_count, 3);
	assert_non_null(strstr(test_log, "falling back to the RSDT"));
}

static void test_root_signature_checked(void **state)
{
	hpa_t x[] = {std_madt(AT_MADT, 2)};

	place_root(AT_XSDT, "RSDT", x, 1); /* XsdtAddress names a table that is no XSDT */
	place_rsdp(AT_RSDP, 2, 0, AT_XSDT);
	assert_int_equal(acpi_parse(&fake_mem, AT_RSDP, &info), -EINVAL);
}

/* A one-table machine around a MADT built by the caller. */
static void parse_madt_only(struct tbuf *t)
{
	hpa_t tables[] = {tb_place(t, AT_MADT)};

	place_root(AT_RSDT, "RSDT", tables, 1);
	place_rsdp(AT_RSDP, 0, AT_RSDT, 0);
	assert_int_equal(acpi_parse(&fake_mem, AT_RSDP, &info), 0);
	assert_int_equal(info.madt, AT_MADT);
}

static void test_madt_entry_length_zero(void **state)
{
	struct tbuf t;

	madt_start(&t, 0xfee00000);
	madt_lapic(&t, 0, 0, 1);
	tb_u8(&t, 0); /* type 0, length 0: would never advance */
	tb_u8(&t, 0);
	madt_lapic(&t, 1, 1, 1);
	parse_madt_only(&t);
	assert_int_equal(info.cpu_count, 1);
	assert_non_null(strstr(test_log, "has length 0"));
}

static void test_madt_entry_beyond_table(void **state)
{
	struct tbuf t;

	madt_start(&t, 0xfee00000);
	madt_lapic(&t, 0, 0, 1);
	madt_ioapic(&t, 1, 0xfec00000, 0);
	t.n -= 4; /* the IOAPIC entry claims 12 bytes, 8 remain (the table ends at a guard page) */
	parse_madt_only(&t);
	assert_int_equal(info.cpu_count, 1);
	assert_int_equal(info.ioapic_count, 0);
	assert_non_null(strstr(test_log, "has length 12"));
}

static void test_madt_short_entries(void **state)
{
	struct tbuf t;

	madt_start(&t, 0xfee00000);
	tb_u8(&t, 0); /* a Local APIC entry of 4 bytes: skipped, walk continues */
	tb_u8(&t, 4);
	tb_u16(&t, 0x0707);
	madt_lapic(&t, 1, 1, 1);
	tb_u8(&t, 1); /* 1 byte left: no room for an entry header */
	parse_madt_only(&t);
	assert_int_equal(info.cpu_count, 1);
	assert_int_equal(info.cpus[0].apic_id, 1);
	assert_non_null(strstr(test_log, "too short"));
}

static void test_madt_header_only(void **state)
{
	struct tbuf t;

	tb_header(&t, "APIC", 1);
	parse_madt_only(&t);
	assert_int_equal(info.cpu_count, 0);
	assert_non_null(strstr(test_log, "MADT too short"));
}

static void test_disabled_cpus(void **state)
{
	struct tbuf t;

	madt_start(&t, 0xfee00000);
	madt_lapic(&t, 0, 0, 1);
	madt_lapic(&t, 1, 2, 0);    /* not present */
	madt_lapic(&t, 2, 4, 2);    /* online capable, disabled */
	madt_lapic(&t, 3, 0xff, 1); /* broadcast ID: not a processor */
	madt_lapic(&t, 4, 0, 1);    /* duplicate APIC ID */
	parse_madt_only(&t);
	assert_int_equal(info.cpu_count, 3);
	assert_true(info.cpus[0].enabled);
	assert_false(info.cpus[1].enabled);
	assert_false(info.cpus[1].online_capable);
	assert_int_equal(info.cpus[2].apic_id, 4);
	assert_int_equal(info.cpus[2].uid, 2);
	assert_false(info.cpus[2].enabled);
	assert_true(info.cpus[2].online_capable);
	assert_non_null(strstr(test_log, "duplicate APIC ID 0"));
}

static void test_x2apic_entries(void **state)
{
	struct tbuf t;

	madt_start(&t, 0xfee00000);
	madt_lapic(&t, 0, 0, 1);
	madt_x2apic(&t, 300, 1000, 1);
	madt_x2apic(&t, 0xffffffff, 1001, 1);
	madt_x2apic(&t, 0x10000, 1002, 0);
	tb_u8(&t, 5); /* Local APIC Address Override */
	tb_u8(&t, 12);
	tb_u16(&t, 0);
	tb_u64(&t, 0x1fee00000ULL);
	parse_madt_only(&t);
	assert_int_equal(info.cpu_count, 3);
	assert_true(info.cpus[1].x2apic);
	assert_int_equal(info.cpus[1].apic_id, 300);
	assert_int_equal(info.cpus[1].uid, 1000);
	assert_true(info.cpus[1].enabled);
	assert_int_equal(info.cpus[2].apic_id, 0x10000);
	assert_false(info.cpus[2].enabled);
	assert_int_equal(info.lapic_address, 0x1fee00000ULL);
}

static void test_too_many_cpus(void **state)
{
	struct tbuf t;

	madt_start(&t, 0xfee00000);
	for (u32 i = 0; i < 300; i++)
		madt_x2apic(&t, i, i, 1);
	madt_ioapic(&t, 0, 0xfec00000, 0); /* entries after the clamp still count */
	parse_madt_only(&t);
	assert_int_equal(info.cpu_count, ACPI_MAX_CPUS);
	assert_int_equal(info.cpus_dropped, 300 - ACPI_MAX_CPUS);
	assert_int_equal(info.cpus[ACPI_MAX_CPUS - 1].apic_id, ACPI_MAX_CPUS - 1);
	assert_int_equal(info.ioapic_count, 1);
	assert_non_null(strstr(test_log, "44 processors beyond the first 256 ignored"));
}

static void test_too_many_ioapics(void **state)
{
	struct tbuf t;

	madt_start(&t, 0xfee00000);
	for (u8 i = 0; i < ACPI_MAX_IOAPICS + 2; i++)
		madt_ioapic(&t, i, 0xfec00000 + i * 0x1000u, i * 24u);
	parse_madt_only(&t);
	assert_int_equal(info.ioapic_count, ACPI_MAX_IOAPICS);
	assert_int_equal(info.ioapics[15].gsi_base, 15 * 24);
}

/* A one-table machine around a FADT built by the caller. */
static void parse_fadt_only(struct tbuf *t)
{
	hpa_t tables[] = {tb_place(t, AT_FADT)};

	small_table(AT_DSDT, "DSDT");
	place_root(AT_RSDT, "RSDT", tables, 1);
	place_rsdp(AT_RSDP, 0, AT_RSDT, 0);
	assert_int_equal(acpi_parse(&fake_mem, AT_RSDP, &info), 0);
	assert_int_equal(info.fadt, AT_FADT);
}

static void test_fadt_acpi1(void **state)
{
	struct tbuf t;

	fadt_build(&t, 1, 116, 0);
	parse_fadt_only(&t);
	assert_int_equal(info.pm_timer_port, 0x608);
	assert_false(info.pm_timer_32bit);
	assert_int_equal(info.pm1a_cnt.address, 0x604);
	assert_int_equal(info.pm1a_cnt.bit_width, 16);
	assert_int_equal(info.pm1b_cnt.address, 0);
	assert_false(info.reset_supported);
	assert_int_equal(info.dsdt, AT_DSDT);
	assert_int_equal(info.sci_irq, 9);
}

static void test_fadt_x_timer_not_port(void **state)
{
	struct tbuf t;

	fadt_build(&t, 5, 268, 1u << 8);
	fadt_set_gas(&t, 208, 0, 0xfed0f000); /* X_PM_TMR_BLK in memory space */
	parse_fadt_only(&t);
	assert_int_equal(info.pm_timer_port, 0x608);
	assert_true(info.pm_timer_32bit);
	assert_false(info.reset_supported); /* RESET_REG_SUP clear */
	assert_int_equal(info.reset_reg.address, 0xcf9);
}

static void test_fadt_no_timer(void **state)
{
	struct tbuf t;

	fadt_build(&t, 6, 276, 0);
	t.b[91] = 0; /* PM_TMR_LEN 0: no PM timer */
	parse_fadt_only(&t);
	assert_int_equal(info.pm_timer_port, 0);
}

static void test_fadt_hw_reduced(void **state)
{
	struct tbuf t;

	fadt_build(&t, 6, 276, 1u << 20);
	parse_fadt_only(&t);
	assert_int_equal(info.pm_timer_port, 0);
	assert_int_equal(info.pm1a_cnt.address, 0);
}

static void test_fadt_bad_dsdt(void **state)
{
	struct tbuf t;

	fadt_build(&t, 1, 116, 0);
	memcpy(t.b + 40, &(u32){0x7ffe6100}, 4); /* DSDT points at nothing */
	parse_fadt_only(&t);
	assert_int_equal(info.dsdt, 0);
}

static void test_iommu_tables(void **state)
{
	hpa_t tables[] = {small_table(AT_DMAR, "DMAR"), small_table(AT_DMAR + 0x100, "IVRS"),
			  small_table(AT_DMAR + 0x200, "DMAR")};

	place_root(AT_XSDT, "XSDT", tables, 3);
	place_rsdp(AT_RSDP, 2, 0, AT_XSDT);
	assert_int_equal(acpi_parse(&fake_mem, AT_RSDP, &info), 0);
	assert_int_equal(info.dmar, AT_DMAR);
	assert_int_equal(info.ivrs, AT_DMAR + 0x100);
	assert_non_null(strstr(test_log, "second DMAR"));
}

static void test_too_many_tables(void **state)
{
	hpa_t tables[40];

	for (int i = 0; i < 40; i++)
		tables[i] = small_table(0x7ff00000 + i * 0x100u, "SSDT");
	place_root(AT_XSDT, "XSDT", tables, 40);
	place_rsdp(AT_RSDP, 2, 0, AT_XSDT);
	assert_int_equal(acpi_parse(&fake_mem, AT_RSDP, &info), 0);
	assert_int_equal(info.tables_listed, 40);
	assert_int_equal(info.table_count, ACPI_MAX_TABLES);
}

static void test_summary(void **state)
{
	std_machine();
	assert_int_equal(acpi_parse(&fake_mem, AT_RSDP, &info), 0);
	acpi_print_summary(&info);
	assert_non_null(strstr(test_log, "acpi: 2 CPUs in the MADT, 2 enabled"));
	assert_non_null(strstr(test_log, "APIC IDs 0 1\n"));
	assert_non_null(strstr(test_log, "IOAPIC id 2 at 0xfec00000"));
	assert_non_null(strstr(test_log, "PM timer port 0xb008 (32-bit)"));
	assert_non_null(strstr(test_log, "IOMMU table: none"));
}

/* Reads the acpi-dump lines of the log back: the format tools/acpi-fixture.py parses. */
static size_t undump(const char *sig, hpa_t addr, u8 *out, size_t max)
{
	const char *p = test_log;
	size_t total = 0;
	char key[64];

	snprintf(key, sizeof(key), "acpi-dump: %s %#llx ", sig, (unsigned long long)addr);
	while ((p = strstr(p, key))) {
		unsigned len, off;
		int used;

		p += strlen(key);
		assert_int_equal(sscanf(p, "%u +%u %n", &len, &off, &used), 2);
		p += used;
		for (; *p && *p != '\n'; p += 2) {
			unsigned b;

			assert_int_equal(sscanf(p, "%2x", &b), 1);
			assert_true(off < max);
			out[off++] = (u8)b;
		}
		total = len;
	}
	return total;
}

static void test_dump_roundtrip(void **state)
{
	static u8 back[16384];

	std_machine();
	acpi_dump(&fake_mem, AT_RSDP);
	assert_int_equal(undump("RSDP", AT_RSDP, back, sizeof(back)), 36);
	assert_memory_equal(back, "RSD PTR ", 8);
	assert_int_equal(undump("FACP", AT_FADT, back, sizeof(back)), 276);
	assert_memory_equal(back, fake_mem.fetch(NULL, AT_FADT, 276), 276);
	assert_int_equal(undump("APIC", AT_MADT, back, sizeof(back)), 44 + 2 * 8 + 12 + 20);
	assert_int_equal(undump("DSDT", AT_DSDT, back, sizeof(back)), 40);
	assert_int_equal(undump("XSDT", AT_XSDT, back, sizeof(back)), 36 + 4 * 8);
	assert_int_equal(undump("RSDT", AT_RSDT, back, sizeof(back)), 36 + 4 * 4);
	/* Each table once, though both roots list it. */
	assert_null(strstr(strstr(test_log, "acpi-dump: HPET") + 1,
			   "acpi-dump: HPET 0x7ffe5000 56 +0"));
	assert_non_null(strstr(test_log, "acpi-dump: end"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup(test_valid_tables, setup),
		cmocka_unit_test_setup(test_no_rsdp, setup),
		cmocka_unit_test_setup(test_bad_rsdp_checksum, setup),
		cmocka_unit_test_setup(test_bad_rsdp_extended_checksum, setup),
		cmocka_unit_test_setup(test_bad_table_checksum_skipped, setup),
		cmocka_unit_test_setup(test_bad_table_length_and_address, setup),
		cmocka_unit_test_setup(test_xsdt_preferred, setup),
		cmocka_unit_test_setup(test_rsdt_for_revision_0, setup),
		cmocka_unit_test_setup(test_rsdt_when_xsdt_address_zero, setup),
		cmocka_unit_test_setup(test_rsdt_when_xsdt_bad, setup),
		cmocka_unit_test_setup(test_root_signature_checked, setup),
		cmocka_unit_test_setup(test_madt_entry_length_zero, setup),
		cmocka_unit_test_setup(test_madt_entry_beyond_table, setup),
		cmocka_unit_test_setup(test_madt_short_entries, setup),
		cmocka_unit_test_setup(test_madt_header_only, setup),
		cmocka_unit_test_setup(test_disabled_cpus, setup),
		cmocka_unit_test_setup(test_x2apic_entries, setup),
		cmocka_unit_test_setup(test_too_many_cpus, setup),
		cmocka_unit_test_setup(test_too_many_ioapics, setup),
		cmocka_unit_test_setup(test_fadt_acpi1, setup),
		cmocka_unit_test_setup(test_fadt_x_timer_not_port, setup),
		cmocka_unit_test_setup(test_fadt_no_timer, setup),
		cmocka_unit_test_setup(test_fadt_hw_reduced, setup),
		cmocka_unit_test_setup(test_fadt_bad_dsdt, setup),
		cmocka_unit_test_setup(test_iommu_tables, setup),
		cmocka_unit_test_setup(test_too_many_tables, setup),
		cmocka_unit_test_setup(test_summary, setup),
		cmocka_unit_test_setup(test_dump_roundtrip, setup),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
