/* SPDX-License-Identifier: Apache-2.0 */
/*
 * One page-table walker for every x86 translation format (style.md, practice
 * 3): host 4-level paging, AMD NPT, Intel EPT, and later the IOMMUs. All of
 * them are radix trees of 4 KiB tables holding 512 64-bit entries, indexed by
 * 9 address bits per level, so the walk is generic; only the entry encoding
 * differs, and that lives in a small const struct pt_format per format.
 *
 * Levels count from the leaf: level 0 maps 4 KiB, level 1 2 MiB, level 2
 * 1 GiB, level 3 is the root of a 4-level table (PML4).
 *
 * Tables are allocated and freed through callbacks and read through a
 * phys-to-virt callback, so host unit tests run the walker on malloc'd memory.
 * The walker never flushes TLBs: a caller changing live tables flushes them
 * (and, on live tables, its free callback must not reuse a table page before
 * that flush).
 */
#ifndef ARCH_PAGING_H
#define ARCH_PAGING_H

#include <hv/types.h>

/* Generic attributes; each format translates them to its own bits. */
#define PT_READ	      BIT(0) /* readable (host/NPT: present) */
#define PT_WRITE      BIT(1) /* writable */
#define PT_EXEC	      BIT(2) /* executable (host/NPT: XD clear) */
#define PT_USER	      BIT(3) /* host: user-accessible; NPT always sets it */
#define PT_IGNORE_PAT BIT(4) /* EPT only: the memory type overrides the guest's PAT */

/* Cache type, a small number in bits 8..10 of the attributes. */
#define PT_CACHE_SHIFT 8
#define PT_CACHE_MASK  (7U << PT_CACHE_SHIFT)
#define PT_CACHE_WB    (0U << PT_CACHE_SHIFT) /* write-back (default) */
#define PT_CACHE_UC    (1U << PT_CACHE_SHIFT) /* uncacheable */
#define PT_CACHE_WT    (2U << PT_CACHE_SHIFT) /* write-through */
#define PT_CACHE_WC    (3U << PT_CACHE_SHIFT) /* write-combining (EPT only) */
#define PT_CACHE_WP    (4U << PT_CACHE_SHIFT) /* write-protected (EPT only) */

#define PT_RW  (PT_READ | PT_WRITE)
#define PT_RWX (PT_READ | PT_WRITE | PT_EXEC)

#define PT_ENTRIES	512
#define PT_LEVEL_BITS	9
#define PT_MAX_LEVELS	5
#define PT_MAX_PHYS_BIT 52 /* architectural MAXPHYADDR limit, SDM Vol. 3A 4.1.4 */

/* Bytes mapped by one entry at a level. */
static inline u64 pt_level_size(unsigned int level)
{
	return PAGE_SIZE << (PT_LEVEL_BITS * level);
}

/* The per-format part. Entry makers get page-aligned addresses. */
struct pt_format {
	const char *name;
	unsigned int levels; /* tree depth; the root table is at level levels-1 */
	u32 leaf_levels;     /* bit L set: level L entries may map pages (bit 0 always) */
	/* Whether this format can express the attributes at all. */
	bool (*attrs_ok)(unsigned int attrs);
	/* An entry pointing to the next-level table. */
	u64 (*make_table)(hpa_t table);
	/* An entry mapping a page of pt_level_size(level) bytes at pa. */
	u64 (*make_leaf)(hpa_t pa, unsigned int attrs, unsigned int level);
	bool (*present)(u64 entry);
	/* Whether a present entry maps a page (level 0 entries always do). */
	bool (*is_leaf)(u64 entry, unsigned int level);
	/* The table or page address in an entry (bits 51:12; the walker aligns large pages). */
	hpa_t (*addr)(u64 entry);
	/* The generic attributes of a leaf entry. */
	unsigned int (*attrs)(u64 entry, unsigned int level);
};

extern const struct pt_format pt_format_x86_64; /* SDM Vol. 3A 4.5, 4-level */
extern const struct pt_format pt_format_npt;	/* APM Vol. 2 15.25: host format, U set */
extern const struct pt_format pt_format_ept;	/* SDM Vol. 3C 29.3.2 */

/* Where table pages come from. alloc returns a page-aligned address, 0 when out of memory. */
struct pt_mem {
	hpa_t (*alloc)(void *ctx);
	void (*free)(void *ctx, hpa_t table);
	void *(*phys_to_virt)(void *ctx, hpa_t table);
	void *ctx;
};

/* One page table tree. */
struct pt {
	const struct pt_format *fmt;
	struct pt_mem mem;
	hpa_t root;
	u32 leaf_levels; /* fmt->leaf_levels, possibly narrowed by the CPU (no 1 GiB pages) */
};

/* A leaf mapping, as returned by pt_lookup and given to pt_walk visitors. */
struct pt_mapping {
	u64 va;		    /* input address of the page (virtual or guest-physical) */
	hpa_t pa;	    /* output address of the page */
	u64 size;	    /* page size: 4 KiB, 2 MiB or 1 GiB */
	unsigned int attrs; /* generic attributes */
	unsigned int level;
};

/* Allocates an empty root. -ENOMEM, or -EINVAL for a malformed format. */
int pt_init(struct pt *pt, const struct pt_format *fmt, const struct pt_mem *mem);

/* Limits the page sizes used (e.g. no 1 GiB pages): leaf_levels must keep level 0. */
int pt_set_leaf_levels(struct pt *pt, u32 leaf_levels);

/*
 * Maps [va, va+size) to [pa, pa+size), replacing what was there. Uses the
 * largest pages that the format allows and that the alignment of va, pa and
 * the remaining size permit; splits a large page that the range covers only
 * in part. -EINVAL for misaligned or empty input, -ERANGE beyond the input
 * or physical address width, -ENOTSUP for attributes the format cannot
 * express, -ENOMEM when out of table pages (the range may then be mapped in
 * part: unmap it).
 */
int pt_map(struct pt *pt, u64 va, hpa_t pa, u64 size, unsigned int attrs);

/* Unmaps [va, va+size), splitting large pages at the edges and freeing emptied tables. */
int pt_unmap(struct pt *pt, u64 va, u64 size);

/* Translates va: out->pa is the translation of va itself. -ENOENT if unmapped. */
int pt_lookup(const struct pt *pt, u64 va, struct pt_mapping *out);

/* Calls fn for each leaf in address order; a non-zero return stops the walk and is returned. */
typedef int (*pt_visit_fn)(void *arg, const struct pt_mapping *m);
int pt_walk(const struct pt *pt, pt_visit_fn fn, void *arg);

/* Frees every table, root included. */
void pt_destroy(struct pt *pt);

/* ---- the hypervisor's own page tables (arch/x86/host_paging.c) -------------- */

struct boot_info;

/*
 * Builds the identity map (every memory-map range, WB for RAM; the first
 * 4 GiB, UC where not RAM; [_text, _etext) read-only and executable, all else
 * non-executable), enables EFER.NXE and CR0.WP, and loads CR3. Needs mm_init.
 * Table pages lie below 4 GiB, so an AP's 32-bit trampoline can load the root;
 * such an AP must set EFER.NXE before paging when host_paging_nx() is true,
 * and its trampoline page must be mapped executable (host_paging_map).
 */
int host_paging_init(const struct boot_info *bi);
hpa_t host_paging_root(void);
bool host_paging_nx(void);

/*
 * Identity-maps more (e.g. MMIO above 4 GiB: PT_RW | PT_CACHE_UC), rounded
 * out to pages, and flushes this CPU's TLB. Changing attributes of memory
 * other CPUs already use needs a TLB shootdown, which this does not do.
 */
int host_paging_map(hpa_t pa, u64 size, unsigned int attrs);

#endif
