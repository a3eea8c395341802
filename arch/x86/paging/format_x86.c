/* SPDX-License-Identifier: Apache-2.0 */
/*
 * x86-64 4-level paging entries (Intel SDM Vol. 3A 4.5, "4-Level Paging")
 * and AMD nested paging, which uses the same format with every access
 * treated as a user access (AMD APM Vol. 2 15.25.5), so NPT entries carry U.
 *
 * Cache types use the PAT entries selected by PCD and PWT alone, whose
 * power-on values are PAT0 = WB, PAT1 = WT, PAT3 = UC (SDM Vol. 3A,
 * "Programming the PAT"); the hypervisor keeps that default PAT.
 */
#include <arch/paging.h>

#define X86_P	BIT64(0)  /* present */
#define X86_RW	BIT64(1)  /* read/write */
#define X86_US	BIT64(2)  /* user/supervisor */
#define X86_PWT BIT64(3)  /* page-level write-through (PAT index bit 0) */
#define X86_PCD BIT64(4)  /* page-level cache disable (PAT index bit 1) */
#define X86_PS	BIT64(7)  /* page size: maps a 2 MiB or 1 GiB page (PDE/PDPTE) */
#define X86_XD	BIT64(63) /* execute-disable, when EFER.NXE = 1 */

#define X86_ADDR_MASK 0x000ffffffffff000ULL /* bits 51:12 */

static bool x86_attrs_ok(unsigned int attrs)
{
	unsigned int cache = attrs & PT_CACHE_MASK;

	if (!(attrs & PT_READ) || (attrs & PT_IGNORE_PAT))
		return false;
	return cache == PT_CACHE_WB || cache == PT_CACHE_UC || cache == PT_CACHE_WT;
}

static u64 x86_cache_bits(unsigned int attrs)
{
	switch (attrs & PT_CACHE_MASK) {
	case PT_CACHE_UC:
		return X86_PCD | X86_PWT; /* PAT3 */
	case PT_CACHE_WT:
		return X86_PWT; /* PAT1 */
	default:
		return 0; /* PAT0, WB */
	}
}

static u64 x86_make_table(hpa_t table)
{
	/* Tables grant everything; the leaves restrict (SDM Vol. 3A 4.6, "Access Rights"). */
	return (table & X86_ADDR_MASK) | X86_P | X86_RW | X86_US;
}

static u64 x86_make_leaf(hpa_t pa, unsigned int attrs, unsigned int level)
{
	u64 e = (pa & X86_ADDR_MASK) | X86_P | x86_cache_bits(attrs);

	if (attrs & PT_WRITE)
		e |= X86_RW;
	if (attrs & PT_USER)
		e |= X86_US;
	if (!(attrs & PT_EXEC))
		e |= X86_XD;
	if (level > 0)
		e |= X86_PS;
	return e;
}

static bool x86_present(u64 e)
{
	return e & X86_P;
}

static bool x86_is_leaf(u64 e, unsigned int level)
{
	return level == 0 || (e & X86_PS);
}

static hpa_t x86_addr(u64 e)
{
	return e & X86_ADDR_MASK;
}

static unsigned int x86_attrs(u64 e, unsigned int level)
{
	unsigned int a = PT_READ;

	if (e & X86_RW)
		a |= PT_WRITE;
	if (e & X86_US)
		a |= PT_USER;
	if (!(e & X86_XD))
		a |= PT_EXEC;
	if (e & X86_PCD)
		a |= PT_CACHE_UC; /* PAT2 (UC-) reads back as UC */
	else if (e & X86_PWT)
		a |= PT_CACHE_WT;
	return a;
}

const struct pt_format pt_format_x86_64 = {
	.name = "x86-64",
	.levels = 4,
	.leaf_levels = BIT(0) | BIT(1) | BIT(2), /* 4 KiB, 2 MiB, 1 GiB */
	.attrs_ok = x86_attrs_ok,
	.make_table = x86_make_table,
	.make_leaf = x86_make_leaf,
	.present = x86_present,
	.is_leaf = x86_is_leaf,
	.addr = x86_addr,
	.attrs = x86_attrs,
};

static u64 npt_make_leaf(hpa_t pa, unsigned int attrs, unsigned int level)
{
	return x86_make_leaf(pa, attrs | PT_USER, level);
}

const struct pt_format pt_format_npt = {
	.name = "npt",
	.levels = 4,
	.leaf_levels = BIT(0) | BIT(1) | BIT(2),
	.attrs_ok = x86_attrs_ok,
	.make_table = x86_make_table,
	.make_leaf = npt_make_leaf,
	.present = x86_present,
	.is_leaf = x86_is_leaf,
	.addr = x86_addr,
	.attrs = x86_attrs,
};
