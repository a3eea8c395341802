/* SPDX-License-Identifier: Apache-2.0 */
/*
 * ACPI parser on real table bytes dumped (boot option `acpi_dump`, converted
 * by tools/acpi-fixture.py) from QEMU q35 and pc under OVMF, QEMU pc under
 * SeaBIOS and Bochs 2.7's BIOS. Each table is laid out at its original
 * physical address, ending at a guard page. Run from the repository root
 * (or set ACPI_FIXTURE_DIR).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <string.h>

#include <cmocka.h>

#include "test_acpi_fake.h"

static struct acpi_info info;

static int setup(void **state)
{
	fake_reset();
	return 0;
}

/* Loads a bed, parses it and checks that every table was valid and nothing warned. */
static void parse_bed(const char *bed)
{
	hpa_t rsdp = fake_load_fixture(bed);

	assert_int_equal(acpi_parse(&fake_mem, rsdp, &info), 0);
	for (u32 i = 0; i < info.table_count; i++)
		assert_int_equal(info.tables[i].status, ACPI_TABLE_OK);
	assert_int_equal(test_log_warnings, 0);
	assert_non_null(info.madt);
	assert_non_null(info.fadt);
	assert_non_null(info.dsdt);
}

static void assert_cpus(u32 count, u32 enabled)
{
	u32 on = 0;

	assert_int_equal(info.cpu_count, count);
	assert_int_equal(info.cpus_dropped, 0);
	for (u32 i = 0; i < count; i++) {
		assert_int_equal(info.cpus[i].apic_id, i);
		assert_false(info.cpus[i].x2apic);
		on += info.cpus[i].enabled;
	}
	assert_int_equal(on, enabled);
}

/* The PIIX4/ICH9 PM block at pm_base (0x600, but OVMF moves i440fx's to 0xb000). */
static void assert_qemu_pm(u16 pm_base)
{
	assert_int_equal(info.pm_timer_port, pm_base + 8);
	assert_false(info.pm_timer_32bit);
	assert_int_equal(info.pm1a_cnt.address, pm_base + 4);
	assert_int_equal(info.sci_irq, 9);
	assert_int_equal(info.hpet_address, 0xfed00000);
}

static void assert_qemu_ioapic(void)
{
	assert_int_equal(info.ioapic_count, 1);
	assert_int_equal(info.ioapics[0].id, 0);
	assert_int_equal(info.ioapics[0].address, 0xfec00000);
	assert_int_equal(info.ioapics[0].gsi_base, 0);
	assert_int_equal(info.lapic_address, 0xfee00000);
	/* IRQ0 -> GSI2 is the first of QEMU's five overrides. */
	assert_int_equal(info.iso_count, 5);
	assert_int_equal(info.isos[0].source, 0);
	assert_int_equal(info.isos[0].gsi, 2);
}

static void test_qemu_q35(void **state)
{
	parse_bed("qemu-q35");
	assert_true(info.root_is_xsdt);
	assert_int_equal(info.rsdp_revision, 2);
	assert_cpus(4, 4);
	assert_qemu_ioapic();
	assert_qemu_pm(0x600);
	assert_true(info.reset_supported);
	assert_int_equal(info.reset_reg.address, 0xcf9);
	assert_int_equal(info.reset_value, 0xf);
	assert_int_equal(info.mcfg_count, 1);
	assert_int_equal(info.ecam_base, 0xb0000000);
	assert_int_equal(info.ecam_segment, 0);
	assert_int_equal(info.ecam_bus_start, 0);
	assert_int_equal(info.ecam_bus_end, 255);
	assert_int_equal(info.dmar, 0);
	assert_int_equal(info.ivrs, 0);
}

static void test_qemu_q35_iommus(void **state)
{
	parse_bed("qemu-q35-vtd");
	assert_non_null(info.dmar);
	assert_int_equal(info.ivrs, 0);
	fake_reset();
	parse_bed("qemu-q35-amdvi");
	assert_non_null(info.ivrs);
	assert_int_equal(info.dmar, 0);
}

/* -smp 2,maxcpus=4: the two absent CPUs are listed, disabled. */
static void test_qemu_q35_maxcpus(void **state)
{
	parse_bed("qemu-q35-maxcpus");
	assert_cpus(4, 2);
	assert_true(info.cpus[1].enabled);
	assert_false(info.cpus[2].enabled);
	assert_false(info.cpus[3].enabled);
}

/* OVMF on i440fx: XSDT, but an ACPI 1.0 FADT (no reset register) and no MCFG. */
static void test_qemu_pc(void **state)
{
	parse_bed("qemu-pc");
	assert_true(info.root_is_xsdt);
	assert_cpus(2, 2);
	assert_qemu_ioapic();
	assert_qemu_pm(0xb000);
	assert_false(info.reset_supported);
	assert_int_equal(info.mcfg, 0);
	assert_int_equal(info.mcfg_count, 0);
}

/* SeaBIOS: revision 0 RSDP, RSDT only, tables at unaligned addresses. */
static void test_qemu_pc_seabios(void **state)
{
	parse_bed("qemu-pc-seabios");
	assert_false(info.root_is_xsdt);
	assert_int_equal(info.rsdp_revision, 0);
	assert_cpus(2, 2);
	assert_qemu_ioapic();
	assert_qemu_pm(0x600);
	assert_int_equal(info.mcfg, 0);
}

/* Bochs 2.7 BIOS, 2 CPUs: its own PM block at 0xb000 and IOAPIC ID 2. */
static void test_bochs(void **state)
{
	parse_bed("bochs");
	assert_false(info.root_is_xsdt);
	assert_int_equal(info.rsdp_revision, 0);
	assert_string_equal(info.rsdp_oem_id, "BOCHS ");
	assert_cpus(2, 2);
	assert_int_equal(info.ioapic_count, 1);
	assert_int_equal(info.ioapics[0].id, 2);
	assert_int_equal(info.ioapics[0].address, 0xfec00000);
	assert_int_equal(info.iso_count, 1);
	assert_int_equal(info.pm_timer_port, 0xb008);
	assert_false(info.pm_timer_32bit);
	assert_int_equal(info.pm1a_cnt.address, 0xb004);
	assert_int_equal(info.sci_irq, 9);
	assert_int_equal(info.hpet_address, 0xfed00000);
	assert_int_equal(info.mcfg, 0);
	assert_int_equal(info.dmar, 0);
}

/* A flipped bit in the real MADT: the table is skipped, the rest still parsed. */
static void test_corrupt_real_madt(void **state)
{
	u8 *madt;

	fake_load_fixture("qemu-q35");
	madt = (u8 *)fake_mem.fetch(NULL, 0x3f777000, 144);
	assert_non_null(madt);
	madt[50] ^= 0x01;
	assert_int_equal(acpi_parse(&fake_mem, 0x3f77d014, &info), 0);
	assert_int_equal(info.madt, 0);
	assert_int_equal(info.cpu_count, 0);
	assert_int_equal(info.mcfg_count, 1);
	assert_int_equal(info.pm_timer_port, 0x608);
	assert_non_null(strstr(test_log, "APIC at 0x3f777000: bad checksum"));
}

static void test_summary_q35(void **state)
{
	parse_bed("qemu-q35");
	acpi_print_summary(&info);
	assert_non_null(strstr(test_log, "acpi: 4 CPUs in the MADT, 4 enabled"));
	assert_non_null(strstr(test_log, "APIC IDs 0 1 2 3\n"));
	assert_non_null(strstr(test_log, "ECAM at 0xb0000000, segment 0, buses 0-255"));
	assert_non_null(strstr(test_log, "IOMMU table: none"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup(test_qemu_q35, setup),
		cmocka_unit_test_setup(test_qemu_q35_iommus, setup),
		cmocka_unit_test_setup(test_qemu_q35_maxcpus, setup),
		cmocka_unit_test_setup(test_qemu_pc, setup),
		cmocka_unit_test_setup(test_qemu_pc_seabios, setup),
		cmocka_unit_test_setup(test_bochs, setup),
		cmocka_unit_test_setup(test_corrupt_real_madt, setup),
		cmocka_unit_test_setup(test_summary_q35, setup),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
