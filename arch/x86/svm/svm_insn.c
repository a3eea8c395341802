/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The length of an intercepted instruction when the CPU has no nRIP save
 * (QEMU TCG): the opcode is known from the exit, so only the prefixes in front
 * of it vary. Also the MSR permission map's bit positions. Pure: host-tested
 * by tests/unit/test_svm_insn.c.
 */
#include <hv/string.h>

#include "svm.h"

#define X86_MAX_INSN_LEN 15 /* APM Vol. 3 1.1 "Instruction Encoding Overview" */

/* Opcodes from APM Vol. 3 (chapter 3 general-purpose, chapter 4 system instructions). */
static const struct svm_opcode op_cpuid = {2, {0x0f, 0xa2}};
static const struct svm_opcode op_rdmsr = {2, {0x0f, 0x32}};
static const struct svm_opcode op_wrmsr = {2, {0x0f, 0x30}};
static const struct svm_opcode op_hlt = {1, {0xf4}};
static const struct svm_opcode op_xsetbv = {3, {0x0f, 0x01, 0xd1}};
static const struct svm_opcode op_vmmcall = {3, {0x0f, 0x01, 0xd9}};
static const struct svm_opcode op_invd = {2, {0x0f, 0x08}};

static const struct svm_opcode *const exit_opcodes[EXIT_REASON_COUNT] = {
	[EXIT_CPUID] = &op_cpuid, [EXIT_RDMSR] = &op_rdmsr,   [EXIT_WRMSR] = &op_wrmsr,
	[EXIT_HLT] = &op_hlt,	  [EXIT_XSETBV] = &op_xsetbv, [EXIT_HYPERCALL] = &op_vmmcall,
	[EXIT_INVD] = &op_invd,
};

const struct svm_opcode *svm_exit_opcode(enum exit_reason r)
{
	return (unsigned int)r < EXIT_REASON_COUNT ? exit_opcodes[r] : NULL;
}

/* Legacy prefixes (APM Vol. 3 1.2 "Instruction Prefixes", Table 1-1). */
static bool legacy_prefix(u8 b)
{
	switch (b) {
	case 0x66: /* operand size */
	case 0x67: /* address size */
	case 0x2e: /* CS */
	case 0x3e: /* DS */
	case 0x26: /* ES */
	case 0x36: /* SS */
	case 0x64: /* FS */
	case 0x65: /* GS */
	case 0xf0: /* LOCK */
	case 0xf2: /* REPNE */
	case 0xf3: /* REP */
		return true;
	default:
		return false;
	}
}

/* REX (0x40-0x4f) exists in 64-bit mode only and must come last (APM Vol. 3 1.2.7). */
u8 svm_insn_len(const u8 *buf, unsigned int n, bool code64, const struct svm_opcode *op)
{
	unsigned int i = 0;

	if (n > X86_MAX_INSN_LEN)
		n = X86_MAX_INSN_LEN;
	while (i < n && legacy_prefix(buf[i]))
		i++;
	if (code64 && i < n && (buf[i] & 0xf0) == 0x40)
		i++;
	if (!op || i + op->len > n || memcmp(buf + i, op->bytes, op->len) != 0)
		return 0;
	return (u8)(i + op->len);
}

/*
 * The MSRPM: three 2 KiB vectors, two bits per MSR (even: read, odd: write),
 * for MSRs 0-1FFFh, C000_0000h-C000_1FFFh and C001_0000h-C001_1FFFh. MSRs
 * outside them are always intercepted (APM Vol. 2 15.11, Table 15-6).
 */
static const struct {
	u32 first;
	u32 byte_offset;
} msrpm_ranges[] = {
	{0x00000000U, 0x000},
	{0xc0000000U, 0x800},
	{0xc0010000U, 0x1000},
};
#define MSRPM_RANGE_MSRS 0x2000U

long svm_msrpm_bit(u32 msr, bool write)
{
	for (size_t i = 0; i < ARRAY_SIZE(msrpm_ranges); i++) {
		u32 off = msr - msrpm_ranges[i].first;

		if (msr >= msrpm_ranges[i].first && off < MSRPM_RANGE_MSRS)
			return (long)msrpm_ranges[i].byte_offset * 8 + (long)off * 2 +
			       (write ? 1 : 0);
	}
	return -1;
}
