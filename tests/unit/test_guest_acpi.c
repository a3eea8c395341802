/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The guest's generated ACPI tables (ACPI 6.5, 5.2): every checksum, the
 * pointers between tables, the MADT's CPUs, IOAPIC and overrides, the FADT's
 * fixed hardware and the DSDT's \_S5, and the refusals.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include <hv/errno.h>
#include <hv/guest_acpi.h>
#include <hv/guest_platform.h>

#define BASE GUEST_ACPI_BASE

static uint8_t buf[GUEST_ACPI_MAX_SIZE];
static struct guest_acpi_params params;
static struct guest_acpi_layout lay;

static const uint8_t *at(uint64_t gpa)
{
	assert_true(gpa >= BASE && gpa < BASE + sizeof(buf));
	return buf + (gpa - BASE);
}

static uint16_t r16(const uint8_t *p)
{
	return (uint16_t)(p[0] | p[1] << 8);
}

static uint32_t r32(const uint8_t *p)
{
	return r16(p) | (uint32_t)r16(p + 2) << 16;
}

static uint64_t r64(const uint8_t *p)
{
	return r32(p) | (uint64_t)r32(p + 4) << 32;
}

static void build(uint32_t cpus)
{
	guest_acpi_default_params(&params, cpus);
	assert_int_equal(guest_acpi_build(&params, BASE, buf, sizeof(buf), &lay), 0);
}

/* A table with signature sig at gpa: its checksum is right; returns its length. */
static uint32_t check_table(uint64_t gpa, const char *sig)
{
	const uint8_t *t = at(gpa);
	uint32_t len = r32(t + 4);

	assert_memory_equal(t, sig, 4);
	assert_true(len >= 36 && gpa + len <= BASE + lay.size);
	assert_int_equal(guest_acpi_sum(t, len), 0);
	assert_memory_equal(t + 10, "BLKHD ", 6);
	return len;
}

static void test_rsdp(void **state)
{
	const uint8_t *r;

	build(2);
	assert_int_equal(lay.rsdp, BASE);
	assert_true(BASE >= 0xe0000 && BASE + 36 <= 0x100000 && BASE % 16 == 0);
	r = at(lay.rsdp);
	assert_memory_equal(r, "RSD PTR ", 8);
	assert_int_equal(guest_acpi_sum(r, 20), 0);
	assert_int_equal(guest_acpi_sum(r, 36), 0);
	assert_int_equal(r[15], 2);
	assert_int_equal(r32(r + 20), 36);
	assert_int_equal(r64(r + 24), lay.xsdt);
}

static void test_xsdt(void **state)
{
	const uint8_t *x;

	build(2);
	assert_int_equal(check_table(lay.xsdt, "XSDT"), 36 + 16);
	x = at(lay.xsdt);
	assert_int_equal(r64(x + 36), lay.fadt);
	assert_int_equal(r64(x + 44), lay.madt);
	check_table(lay.fadt, "FACP");
	check_table(lay.madt, "APIC");
	check_table(lay.dsdt, "DSDT");
}

static void test_fadt(void **state)
{
	const uint8_t *f;
	uint32_t flags;

	build(2);
	assert_int_equal(check_table(lay.fadt, "FACP"), 276);
	f = at(lay.fadt);
	assert_int_equal(f[8], 6);
	assert_int_equal(r32(f + 36), lay.facs);
	assert_int_equal(lay.facs % 64, 0);
	assert_memory_equal(at(lay.facs), "FACS", 4);
	assert_int_equal(r32(at(lay.facs) + 4), 64);
	assert_int_equal(r32(f + 40), lay.dsdt);
	assert_int_equal(r64(f + 140), lay.dsdt);
	assert_int_equal(r16(f + 46), GUEST_SCI_IRQ);
	assert_int_equal(r32(f + 48), 0); /* no SMI_CMD: always in ACPI mode */
	assert_int_equal(r32(f + 56), GUEST_PM1A_EVT_BLK);
	assert_int_equal(r32(f + 60), 0); /* no PM1b */
	assert_int_equal(r32(f + 64), GUEST_PM1A_CNT_BLK);
	assert_int_equal(r32(f + 76), GUEST_PM_TMR_BLK);
	assert_int_equal(r32(f + 80), 0); /* no GPE0 */
	assert_int_equal(f[88], 4);
	assert_int_equal(f[89], 2);
	assert_int_equal(f[91], 4);
	assert_int_equal(f[108], GUEST_RTC_CENTURY);
	assert_int_equal(r16(f + 109), GUEST_IAPC_BOOT_ARCH);
	flags = r32(f + 112);
	assert_true(flags & (1u << 10));  /* RESET_REG_SUP */
	assert_true(flags & (1u << 8));	  /* TMR_VAL_EXT: 32-bit PM timer */
	assert_false(flags & (1u << 20)); /* not HW_REDUCED_ACPI */
	assert_int_equal(f[116], 1);	  /* RESET_REG: system I/O */
	assert_int_equal(f[117], 8);
	assert_int_equal(r64(f + 120), GUEST_RESET_PORT);
	assert_int_equal(f[128], GUEST_RESET_VALUE);
}

static void test_dsdt_s5(void **state)
{
	static const uint8_t s5[] = {0x08, '_',
				     'S',  '5',
				     '_',  0x12,
				     0x0a, 0x04,
				     0x0a, GUEST_SLP_TYP_S5,
				     0x0a, GUEST_SLP_TYP_S5,
				     0x0a, 0,
				     0x0a, 0};
	uint32_t len;

	build(1);
	len = check_table(lay.dsdt, "DSDT");
	assert_int_equal(len, 36 + sizeof(s5));
	assert_memory_equal(at(lay.dsdt) + 36, s5, sizeof(s5));
}

/* Walks the MADT's entries, counting each type and checking each against the parameters. */
static void test_madt(void **state)
{
	const uint8_t *m, *e, *end;
	uint32_t lapics = 0, ioapics = 0, isos = 0, nmis = 0;

	build(3);
	end = at(lay.madt) + check_table(lay.madt, "APIC");
	m = at(lay.madt);
	assert_int_equal(r32(m + 36), 0xfee00000u);
	assert_int_equal(r32(m + 40), 1); /* PCAT_COMPAT */
	for (e = m + 44; e < end; e += e[1]) {
		assert_true(e[1] >= 2 && e + e[1] <= end);
		switch (e[0]) {
		case 0:
			assert_int_equal(e[1], 8);
			assert_int_equal(e[3], lapics); /* APIC IDs 0..n-1 in order */
			assert_int_equal(e[2], lapics);
			assert_int_equal(r32(e + 4), 1);
			lapics++;
			break;
		case 1:
			assert_int_equal(e[2], GUEST_IOAPIC_ID);
			assert_int_equal(r32(e + 4), GUEST_IOAPIC_ADDR);
			assert_int_equal(r32(e + 8), GUEST_IOAPIC_GSI_BASE);
			ioapics++;
			break;
		case 2:
			if (e[3] == GUEST_PIT_IRQ)
				assert_int_equal(r32(e + 4), GUEST_PIT_GSI);
			else {
				assert_int_equal(e[3], GUEST_SCI_IRQ);
				assert_int_equal(r32(e + 4), GUEST_SCI_GSI);
				assert_int_equal(r16(e + 8), GUEST_SCI_INTI_FLAGS);
			}
			isos++;
			break;
		case 4:
			assert_int_equal(e[2], 0xff);
			assert_int_equal(e[5], 1);
			nmis++;
			break;
		default:
			fail_msg("unexpected MADT entry type %u", e[0]);
		}
	}
	assert_ptr_equal(e, end);
	assert_int_equal(lapics, 3);
	assert_int_equal(ioapics, 1);
	assert_int_equal(isos, 2);
	assert_int_equal(nmis, 1);
}

static void test_many_cpus(void **state)
{
	const uint8_t *m;

	build(64);
	m = at(lay.madt);
	assert_true(lay.size <= GUEST_ACPI_MAX_SIZE);
	check_table(lay.madt, "APIC");
	assert_int_equal(m[44 + 63 * 8 + 3], 63);
}

static void test_refusals(void **state)
{
	struct guest_acpi_params p;

	guest_acpi_default_params(&p, 0);
	assert_int_equal(guest_acpi_build(&p, BASE, buf, sizeof(buf), &lay), -EINVAL);
	guest_acpi_default_params(&p, 256);
	assert_int_equal(guest_acpi_build(&p, BASE, buf, sizeof(buf), &lay), -EINVAL);
	guest_acpi_default_params(&p, 2);
	assert_int_equal(guest_acpi_build(&p, BASE + 4, buf, sizeof(buf), &lay), -EINVAL);
	assert_int_equal(guest_acpi_build(&p, BASE, buf, 256, &lay), -ENOSPC);
	p.iso_count = GUEST_ACPI_MAX_ISO + 1;
	assert_int_equal(guest_acpi_build(&p, BASE, buf, sizeof(buf), &lay), -EINVAL);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_rsdp),	 cmocka_unit_test(test_xsdt),
		cmocka_unit_test(test_fadt),	 cmocka_unit_test(test_dsdt_s5),
		cmocka_unit_test(test_madt),	 cmocka_unit_test(test_many_cpus),
		cmocka_unit_test(test_refusals),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
