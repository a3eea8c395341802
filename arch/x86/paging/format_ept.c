/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Intel EPT entries (SDM Vol. 3C, "EPT Translation Mechanism", 4-level walk).
 * An entry is present when any of R/W/X is set; a leaf carries the EPT memory
 * type in bits 5:3 and may ignore the guest PAT ("EPT and Memory Typing").
 * Execute-only leaves (X without R) need IA32_VMX_EPT_VPID_CAP bit 0 and
 * 1 GiB leaves bit 17: the caller checks those and narrows leaf levels.
 */
#include <arch/paging.h>

#define EPT_R	     BIT64(0) /* read access */
#define EPT_W	     BIT64(1) /* write access */
#define EPT_X	     BIT64(2) /* execute access (supervisor, with mode-based control) */
#define EPT_MT_SHIFT 3	      /* memory type, bits 5:3 (leaf only) */
#define EPT_MT_MASK  (7ULL << EPT_MT_SHIFT)
#define EPT_IPAT     BIT64(6) /* ignore PAT memory type (leaf only) */
#define EPT_PS	     BIT64(7) /* maps a 2 MiB or 1 GiB page (PDE/PDPTE) */

#define EPT_ADDR_MASK 0x000ffffffffff000ULL /* bits 51:12 */

/* EPT memory type encodings; 2, 3 and 7 are reserved (SDM Vol. 3C, "EPT Misconfigurations"). */
#define EPT_MT_UC 0ULL
#define EPT_MT_WC 1ULL
#define EPT_MT_WT 4ULL
#define EPT_MT_WP 5ULL
#define EPT_MT_WB 6ULL

static bool ept_attrs_ok(unsigned int attrs)
{
	/* Write without read is an EPT misconfiguration (SDM Vol. 3C, "EPT Misconfigurations"). */
	if (!(attrs & (PT_READ | PT_EXEC)) || (attrs & PT_USER))
		return false;
	if ((attrs & PT_WRITE) && !(attrs & PT_READ))
		return false;
	return (attrs & PT_CACHE_MASK) <= PT_CACHE_WP;
}

static u64 ept_memory_type(unsigned int attrs)
{
	switch (attrs & PT_CACHE_MASK) {
	case PT_CACHE_UC:
		return EPT_MT_UC;
	case PT_CACHE_WC:
		return EPT_MT_WC;
	case PT_CACHE_WT:
		return EPT_MT_WT;
	case PT_CACHE_WP:
		return EPT_MT_WP;
	default:
		return EPT_MT_WB;
	}
}

static u64 ept_make_table(hpa_t table)
{
	return (table & EPT_ADDR_MASK) | EPT_R | EPT_W | EPT_X;
}

static u64 ept_make_leaf(hpa_t pa, unsigned int attrs, unsigned int level)
{
	u64 e = (pa & EPT_ADDR_MASK) | (ept_memory_type(attrs) << EPT_MT_SHIFT);

	if (attrs & PT_READ)
		e |= EPT_R;
	if (attrs & PT_WRITE)
		e |= EPT_W;
	if (attrs & PT_EXEC)
		e |= EPT_X;
	if (attrs & PT_IGNORE_PAT)
		e |= EPT_IPAT;
	if (level > 0)
		e |= EPT_PS;
	return e;
}

static bool ept_present(u64 e)
{
	return e & (EPT_R | EPT_W | EPT_X);
}

static bool ept_is_leaf(u64 e, unsigned int level)
{
	return level == 0 || (e & EPT_PS);
}

static hpa_t ept_addr(u64 e)
{
	return e & EPT_ADDR_MASK;
}

static unsigned int ept_cache_attr(u64 e)
{
	switch ((e & EPT_MT_MASK) >> EPT_MT_SHIFT) {
	case EPT_MT_UC:
		return PT_CACHE_UC;
	case EPT_MT_WC:
		return PT_CACHE_WC;
	case EPT_MT_WT:
		return PT_CACHE_WT;
	case EPT_MT_WP:
		return PT_CACHE_WP;
	default:
		return PT_CACHE_WB;
	}
}

static unsigned int ept_attrs(u64 e, unsigned int level)
{
	unsigned int a = ept_cache_attr(e);

	if (e & EPT_R)
		a |= PT_READ;
	if (e & EPT_W)
		a |= PT_WRITE;
	if (e & EPT_X)
		a |= PT_EXEC;
	if (e & EPT_IPAT)
		a |= PT_IGNORE_PAT;
	return a;
}

const struct pt_format pt_format_ept = {
	.name = "ept",
	.levels = 4,
	.leaf_levels = BIT(0) | BIT(1) | BIT(2), /* 4 KiB, 2 MiB, 1 GiB */
	.attrs_ok = ept_attrs_ok,
	.make_table = ept_make_table,
	.make_leaf = ept_make_leaf,
	.present = ept_present,
	.is_leaf = ept_is_leaf,
	.addr = ept_addr,
	.attrs = ept_attrs,
};
