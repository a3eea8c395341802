/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The generic page-table walker: map, unmap, lookup and walk over any
 * struct pt_format. Recursion depth is the number of levels (at most 5).
 */
#include <arch/paging.h>
#include <hv/errno.h>
#include <hv/string.h>

static u64 *table_ptr(const struct pt *pt, hpa_t table)
{
	return pt->mem.phys_to_virt(pt->mem.ctx, table);
}

/* Entries are stored with single 64-bit writes: live tables never see a torn entry. */
static void set_entry(u64 *e, u64 v)
{
	__atomic_store_n(e, v, __ATOMIC_RELEASE);
}

static unsigned int entry_index(u64 va, unsigned int level)
{
	return (va >> (PAGE_SHIFT + PT_LEVEL_BITS * level)) & (PT_ENTRIES - 1);
}

static bool leaf_allowed(const struct pt *pt, unsigned int level)
{
	return pt->leaf_levels & BIT(level);
}

static bool is_leaf(const struct pt *pt, u64 e, unsigned int level)
{
	return level == 0 || pt->fmt->is_leaf(e, level);
}

static hpa_t leaf_addr(const struct pt *pt, u64 e, unsigned int level)
{
	return ALIGN_DOWN(pt->fmt->addr(e), pt_level_size(level));
}

static u64 input_limit(const struct pt *pt)
{
	return pt_level_size(pt->fmt->levels);
}

static hpa_t alloc_table(struct pt *pt)
{
	hpa_t t = pt->mem.alloc(pt->mem.ctx);

	if (t && IS_ALIGNED(t, PAGE_SIZE))
		memset(table_ptr(pt, t), 0, PAGE_SIZE);
	else if (t)
		return 0; /* a misbehaving allocator: treat as exhaustion */
	return t;
}

/* Frees the table at `table` (a level `level` table) and everything below it. */
static void free_tree(struct pt *pt, hpa_t table, unsigned int level)
{
	u64 *t = table_ptr(pt, table);

	for (unsigned int i = 0; level > 0 && i < PT_ENTRIES; i++) {
		if (pt->fmt->present(t[i]) && !is_leaf(pt, t[i], level))
			free_tree(pt, pt->fmt->addr(t[i]), level - 1);
	}
	pt->mem.free(pt->mem.ctx, table);
}

/* Replaces an entry, then frees the table it pointed to (no window without a mapping). */
static void replace_entry(struct pt *pt, u64 *e, unsigned int level, u64 v)
{
	u64 old = *e;

	set_entry(e, v);
	if (pt->fmt->present(old) && !is_leaf(pt, old, level))
		free_tree(pt, pt->fmt->addr(old), level - 1);
}

/*
 * A table of level-1 pages reproducing the large page in entry e at `level`,
 * built completely before it replaces the entry, so live tables never lose
 * the mapping. The leaf levels are contiguous from 0, so level-1 may be a leaf.
 */
static int split_large(struct pt *pt, u64 *e, unsigned int level)
{
	const struct pt_format *f = pt->fmt;
	hpa_t pa = leaf_addr(pt, *e, level);
	unsigned int attrs = f->attrs(*e, level);
	u64 step = pt_level_size(level - 1);
	hpa_t table = alloc_table(pt);
	u64 *t;

	if (!table)
		return -ENOMEM;
	t = table_ptr(pt, table);
	for (unsigned int i = 0; i < PT_ENTRIES; i++)
		t[i] = f->make_leaf(pa + i * step, attrs, level - 1);
	set_entry(e, f->make_table(table));
	return 0;
}

/* The next-level table under entry e, made (or split from a large page) if needed. */
static u64 *child_table(struct pt *pt, u64 *e, unsigned int level)
{
	if (!pt->fmt->present(*e)) {
		hpa_t table = alloc_table(pt);

		if (!table)
			return NULL;
		set_entry(e, pt->fmt->make_table(table));
	} else if (is_leaf(pt, *e, level) && split_large(pt, e, level)) {
		return NULL;
	}
	return table_ptr(pt, pt->fmt->addr(*e));
}

struct map_req {
	u64 va, end;
	hpa_t pa;
	unsigned int attrs;
};

/* Whether [va, next) with its pa can be one page at this level. */
static bool fits_leaf(const struct pt *pt, const struct map_req *r, u64 next, unsigned int level)
{
	u64 size = pt_level_size(level);

	return leaf_allowed(pt, level) && next - r->va == size && IS_ALIGNED(r->va, size) &&
	       IS_ALIGNED(r->pa, size);
}

static int map_level(struct pt *pt, u64 *table, unsigned int level, struct map_req *r)
{
	u64 size = pt_level_size(level);

	while (r->va < r->end) {
		u64 *e = &table[entry_index(r->va, level)];
		u64 next = ALIGN_DOWN(r->va, size) + size;

		if (next > r->end)
			next = r->end;
		if (fits_leaf(pt, r, next, level)) {
			replace_entry(pt, e, level, pt->fmt->make_leaf(r->pa, r->attrs, level));
		} else {
			u64 *child = child_table(pt, e, level);
			struct map_req sub = {r->va, next, r->pa, r->attrs};
			int rc = child ? map_level(pt, child, level - 1, &sub) : -ENOMEM;

			if (rc)
				return rc;
		}
		r->pa += next - r->va;
		r->va = next;
	}
	return 0;
}

/* Common argument checks of map and unmap. */
static int check_range(const struct pt *pt, u64 va, u64 size)
{
	if (!size || !IS_ALIGNED(va, PAGE_SIZE) || !IS_ALIGNED(size, PAGE_SIZE))
		return -EINVAL;
	if (va + size < va || va + size > input_limit(pt))
		return -ERANGE;
	return 0;
}

int pt_map(struct pt *pt, u64 va, hpa_t pa, u64 size, unsigned int attrs)
{
	int rc = check_range(pt, va, size);
	struct map_req r = {va, va + size, pa, attrs};

	if (rc)
		return rc;
	if (!IS_ALIGNED(pa, PAGE_SIZE))
		return -EINVAL;
	if (pa + size < pa || pa + size > BIT64(PT_MAX_PHYS_BIT))
		return -ERANGE;
	if (!pt->fmt->attrs_ok(attrs))
		return -ENOTSUP;
	return map_level(pt, table_ptr(pt, pt->root), pt->fmt->levels - 1, &r);
}

static bool table_empty(const struct pt *pt, const u64 *t)
{
	for (unsigned int i = 0; i < PT_ENTRIES; i++) {
		if (pt->fmt->present(t[i]))
			return false;
	}
	return true;
}

static int unmap_level(struct pt *pt, u64 *table, unsigned int level, u64 va, u64 end)
{
	u64 size = pt_level_size(level);

	for (u64 next; va < end; va = next) {
		u64 *e = &table[entry_index(va, level)];
		u64 *child;
		int rc;

		next = ALIGN_DOWN(va, size) + size;
		if (next > end)
			next = end;
		if (!pt->fmt->present(*e))
			continue;
		if (next - va == size) {
			replace_entry(pt, e, level, 0);
			continue;
		}
		child = child_table(pt, e, level);
		rc = child ? unmap_level(pt, child, level - 1, va, next) : -ENOMEM;
		if (rc)
			return rc;
		if (table_empty(pt, child))
			replace_entry(pt, e, level, 0);
	}
	return 0;
}

int pt_unmap(struct pt *pt, u64 va, u64 size)
{
	int rc = check_range(pt, va, size);

	if (rc)
		return rc;
	return unmap_level(pt, table_ptr(pt, pt->root), pt->fmt->levels - 1, va, va + size);
}

int pt_lookup(const struct pt *pt, u64 va, struct pt_mapping *out)
{
	const u64 *t = table_ptr(pt, pt->root);

	if (va >= input_limit(pt))
		return -ERANGE;
	for (unsigned int level = pt->fmt->levels; level-- > 0;) {
		u64 e = t[entry_index(va, level)];
		u64 size = pt_level_size(level);

		if (!pt->fmt->present(e))
			return -ENOENT;
		if (is_leaf(pt, e, level)) {
			out->va = ALIGN_DOWN(va, size);
			out->size = size;
			out->pa = leaf_addr(pt, e, level) + (va - out->va);
			out->attrs = pt->fmt->attrs(e, level);
			out->level = level;
			return 0;
		}
		t = table_ptr(pt, pt->fmt->addr(e));
	}
	return -ENOENT; /* not reached: level 0 entries are leaves */
}

static int walk_level(const struct pt *pt, const u64 *t, unsigned int level, u64 base,
		      pt_visit_fn fn, void *arg)
{
	for (unsigned int i = 0; i < PT_ENTRIES; i++) {
		u64 va = base + i * pt_level_size(level);
		int rc = 0;

		if (!pt->fmt->present(t[i]))
			continue;
		if (is_leaf(pt, t[i], level)) {
			struct pt_mapping m = {
				.va = va,
				.pa = leaf_addr(pt, t[i], level),
				.size = pt_level_size(level),
				.attrs = pt->fmt->attrs(t[i], level),
				.level = level,
			};
			rc = fn(arg, &m);
		} else {
			rc = walk_level(pt, table_ptr(pt, pt->fmt->addr(t[i])), level - 1, va, fn,
					arg);
		}
		if (rc)
			return rc;
	}
	return 0;
}

int pt_walk(const struct pt *pt, pt_visit_fn fn, void *arg)
{
	return walk_level(pt, table_ptr(pt, pt->root), pt->fmt->levels - 1, 0, fn, arg);
}

/* Leaf levels must run contiguously from level 0 so that splitting always finds a leaf size. */
static bool leaf_levels_ok(const struct pt_format *fmt, u32 leaf_levels)
{
	return (leaf_levels & 1) && !(leaf_levels & (leaf_levels + 1)) &&
	       leaf_levels < BIT(fmt->levels) && (leaf_levels & ~fmt->leaf_levels) == 0;
}

int pt_set_leaf_levels(struct pt *pt, u32 leaf_levels)
{
	if (!leaf_levels_ok(pt->fmt, leaf_levels))
		return -EINVAL;
	pt->leaf_levels = leaf_levels;
	return 0;
}

int pt_init(struct pt *pt, const struct pt_format *fmt, const struct pt_mem *mem)
{
	if (!fmt->levels || fmt->levels > PT_MAX_LEVELS || !leaf_levels_ok(fmt, fmt->leaf_levels))
		return -EINVAL;
	pt->fmt = fmt;
	pt->mem = *mem;
	pt->leaf_levels = fmt->leaf_levels;
	pt->root = alloc_table(pt);
	return pt->root ? 0 : -ENOMEM;
}

void pt_destroy(struct pt *pt)
{
	if (pt->root)
		free_tree(pt, pt->root, pt->fmt->levels - 1);
	pt->root = 0;
}
