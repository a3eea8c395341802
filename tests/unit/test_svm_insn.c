/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The SVM backend's computed next RIP (arch/x86/svm/svm_insn.c), the MSR
 * permission map bit positions, and the guest page walk that finds the
 * instruction bytes (arch/x86/svm/svm_walk.c) in every paging mode.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include <hv/errno.h>

#include "../../arch/x86/svm/svm.h"

static u8 len_of(const u8 *b, unsigned int n, bool code64, enum exit_reason r)
{
	return svm_insn_len(b, n, code64, svm_exit_opcode(r));
}

static void test_plain_lengths(void **state)
{
	static const u8 cpuid[] = {0x0f, 0xa2}, rdmsr[] = {0x0f, 0x32}, wrmsr[] = {0x0f, 0x30};
	static const u8 hlt[] = {0xf4}, xsetbv[] = {0x0f, 0x01, 0xd1};
	static const u8 vmmcall[] = {0x0f, 0x01, 0xd9}, invd[] = {0x0f, 0x08};

	assert_int_equal(len_of(cpuid, 2, false, EXIT_CPUID), 2);
	assert_int_equal(len_of(rdmsr, 2, false, EXIT_RDMSR), 2);
	assert_int_equal(len_of(wrmsr, 2, true, EXIT_WRMSR), 2);
	assert_int_equal(len_of(hlt, 1, false, EXIT_HLT), 1);
	assert_int_equal(len_of(xsetbv, 3, false, EXIT_XSETBV), 3);
	assert_int_equal(len_of(vmmcall, 3, true, EXIT_HYPERCALL), 3);
	assert_int_equal(len_of(invd, 2, false, EXIT_INVD), 2);
}

static void test_prefixes(void **state)
{
	static const u8 p66_cpuid[] = {0x66, 0x0f, 0xa2, 0x90};
	static const u8 many[] = {0x2e, 0x3e, 0x26, 0x36, 0x64, 0x65, 0xf0, 0xf2, 0xf3, 0x67, 0xf4};
	static const u8 rex_wrmsr[] = {0x66, 0x48, 0x0f, 0x30};

	assert_int_equal(len_of(p66_cpuid, 4, false, EXIT_CPUID), 3);
	assert_int_equal(len_of(many, sizeof(many), false, EXIT_HLT), 11);
	/* REX counts in 64-bit code only; elsewhere 0x48 is DEC EAX, not our opcode. */
	assert_int_equal(len_of(rex_wrmsr, 4, true, EXIT_WRMSR), 4);
	assert_int_equal(len_of(rex_wrmsr, 4, false, EXIT_WRMSR), 0);
}

static void test_mismatch_and_limits(void **state)
{
	static const u8 other[] = {0x0f, 0xa3};
	static const u8 short_buf[] = {0x0f, 0x01};
	u8 fifteen[16];

	assert_int_equal(len_of(other, 2, false, EXIT_CPUID), 0);
	assert_int_equal(len_of(short_buf, 2, false, EXIT_XSETBV), 0);
	assert_int_equal(len_of(short_buf, 0, false, EXIT_HLT), 0);
	assert_int_equal(svm_insn_len(other, 2, false, NULL), 0);
	/* 14 prefixes and a 1-byte opcode is 15: allowed; 15 prefixes is not an instruction. */
	memset(fifteen, 0x66, sizeof(fifteen));
	fifteen[14] = 0xf4;
	assert_int_equal(len_of(fifteen, 16, false, EXIT_HLT), 15);
	fifteen[14] = 0x66;
	fifteen[15] = 0xf4;
	assert_int_equal(len_of(fifteen, 16, false, EXIT_HLT), 0);
}

/* APM Vol. 2 15.11, Table 15-6. */
static void test_msrpm_bits(void **state)
{
	assert_int_equal(svm_msrpm_bit(0, false), 0);
	assert_int_equal(svm_msrpm_bit(0, true), 1);
	assert_int_equal(svm_msrpm_bit(0x1b, false), 0x36);
	assert_int_equal(svm_msrpm_bit(0x1fff, true), 0x3fff);
	assert_int_equal(svm_msrpm_bit(0xc0000000, false), 0x800 * 8);
	assert_int_equal(svm_msrpm_bit(0xc0000080, true), 0x800 * 8 + 0x101);
	assert_int_equal(svm_msrpm_bit(0xc0011fff, true), 0x1800 * 8 - 1);
	assert_int_equal(svm_msrpm_bit(0xc0010114, false), 0x1000 * 8 + 0x228);
	assert_int_equal(svm_msrpm_bit(0x2000, false), -1);
	assert_int_equal(svm_msrpm_bit(0xbfffffff, false), -1);
	assert_int_equal(svm_msrpm_bit(0xc0002000, false), -1);
	assert_int_equal(svm_msrpm_bit(0xc0012000, true), -1);
	assert_int_equal(svm_msrpm_bit(0xffffffff, true), -1);
}

/* ---- guest page walks over a fake 8 MiB guest ------------------------------------ */

#define GMEM (8u << 20)
static u8 gmem[GMEM];

static int gread(void *ctx, gpa_t gpa, void *buf, unsigned int len)
{
	if (gpa >= GMEM || len > GMEM - gpa)
		return -EFAULT;
	memcpy(buf, gmem + gpa, len);
	return 0;
}

static void put32(gpa_t a, u32 v)
{
	memcpy(gmem + a, &v, 4);
}

static void put64(gpa_t a, u64 v)
{
	memcpy(gmem + a, &v, 8);
}

static gpa_t walk(const struct guest_paging *p, u64 la, int expect_rc)
{
	gpa_t out = 0;

	assert_int_equal(guest_walk(p, la, &out, gread, NULL), expect_rc);
	return out;
}

static void test_walk_no_paging(void **state)
{
	struct guest_paging p = {.cr0 = 0x11};

	assert_int_equal(walk(&p, 0x12345, 0), 0x12345);
	assert_int_equal(walk(&p, 0x1000012345ULL, 0), 0x12345);
}

/* 32-bit paging: a 4 KiB page and, with CR4.PSE, a 4 MiB page (APM 5.2). */
static void test_walk_32bit(void **state)
{
	struct guest_paging p = {.cr0 = 0x80000011, .cr3 = 0x10000};

	memset(gmem, 0, GMEM);
	put32(0x10000 + 0 * 4, 0x11000 | 1);	     /* PDE 0 -> PT at 0x11000 */
	put32(0x11000 + 5 * 4, 0x200000 | 1);	     /* la 0x5xxx -> 0x200xxx */
	put32(0x10000 + 1 * 4, 0x400000 | 0x80 | 1); /* PDE 1: 4 MiB page at 4 MiB */
	assert_int_equal(walk(&p, 0x5123, 0), 0x200123);
	walk(&p, 0x6000, -ENOENT);   /* PTE not present */
	walk(&p, 0x800000, -ENOENT); /* PDE 2 not present */
	p.cr4 = 0x10;		     /* PSE */
	assert_int_equal(walk(&p, 0x456789, 0), 0x456789);
	p.cr3 = GMEM; /* a table outside guest memory */
	walk(&p, 0x5123, -EFAULT);
}

/* PAE: 4 PDPTEs at CR3 (32-byte aligned), 2 MiB pages with PS (APM 5.2.3, 5.3). */
static void test_walk_pae(void **state)
{
	struct guest_paging p = {.cr0 = 0x80000011, .cr3 = 0x10020, .cr4 = 0x20};

	memset(gmem, 0, GMEM);
	put64(0x10020 + 3 * 8, 0x12000 | 1);	     /* PDPTE 3: 0xc0000000-0xffffffff */
	put64(0x12000 + 1 * 8, 0x13000 | 1);	     /* PDE 1 -> PT */
	put64(0x13000 + 2 * 8, 0x300000 | 1);	     /* 0xc0202000 -> 0x300000 */
	put64(0x12000 + 2 * 8, 0x600000 | 0x80 | 1); /* 2 MiB page: 0xc0400000 -> 0x600000 */
	assert_int_equal(walk(&p, 0xc0202abcULL, 0), 0x300abc);
	assert_int_equal(walk(&p, 0xc04fedcbULL, 0), 0x6fedcb);
	walk(&p, 0x00001000, -ENOENT);
}

/* Long mode: 4 levels, 1 GiB and 2 MiB pages (APM 5.3). */
static void test_walk_long(void **state)
{
	struct guest_paging p = {.cr0 = 0x80000011, .cr3 = 0x20000, .cr4 = 0x20, .efer = 0x500};
	u64 la = 0xffff800000201234ULL; /* PML4 256, PDPT 0, PD 1, PT 1 */

	memset(gmem, 0, GMEM);
	put64(0x20000 + 256 * 8, 0x21000 | 3);
	put64(0x21000 + 0 * 8, 0x22000 | 3);
	put64(0x22000 + 1 * 8, 0x23000 | 3);
	put64(0x23000 + 1 * 8, 0x8000000000007003ULL); /* NX set: the address stays 0x7000 */
	assert_int_equal(walk(&p, la, 0), 0x7234);
	put64(0x22000 + 2 * 8, 0x400000 | 0x83); /* 2 MiB page */
	assert_int_equal(walk(&p, 0xffff800000412345ULL, 0), 0x412345);
	put64(0x21000 + 1 * 8, 0x40000000 | 0x83); /* 1 GiB page */
	assert_int_equal(walk(&p, 0xffff800040012345ULL, 0), 0x40012345);
	walk(&p, 0x1000, -ENOENT);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_plain_lengths),
		cmocka_unit_test(test_prefixes),
		cmocka_unit_test(test_mismatch_and_limits),
		cmocka_unit_test(test_msrpm_bits),
		cmocka_unit_test(test_walk_no_paging),
		cmocka_unit_test(test_walk_32bit),
		cmocka_unit_test(test_walk_pae),
		cmocka_unit_test(test_walk_long),
	};
	return cmocka_run_group_tests_name("svm_insn", tests, NULL, NULL);
}
