/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Memory-map normalisation. Firmware maps (E820, UEFI) may be unsorted, may
 * overlap and may split one kind of memory into many entries; the rest of
 * the core wants sorted, disjoint, merged ranges with page-exact usable RAM.
 *
 * The map is swept over its boundaries: each elementary interval between two
 * consecutive range edges takes the most restrictive type of the ranges
 * covering it. O(n^2) in the number of entries, at most 512, once at boot.
 */
#include <hv/errno.h>
#include <hv/mm.h>

#define MEMMAP_LIMIT BIT64(52) /* nothing lies above the architectural MAXPHYADDR */

/* Higher wins an overlap: never hand out memory that anything else claims. */
static unsigned int type_rank(u32 type)
{
	switch (type) {
	case BOOT_MEM_USABLE:
		return 0;
	case BOOT_MEM_LOADED:
		return 1;
	case BOOT_MEM_ACPI_RECLAIM:
		return 2;
	case BOOT_MEM_ACPI_NVS:
		return 3;
	case BOOT_MEM_FIRMWARE:
		return 4;
	case BOOT_MEM_UNUSABLE:
		return 5;
	default:
		return 6; /* RESERVED, and any type the core does not know */
	}
}

static u32 known_type(u32 type)
{
	return type_rank(type) == 6 ? BOOT_MEM_RESERVED : type;
}

static u64 range_end(const struct boot_mem_range *r)
{
	u64 end = r->base + r->length;

	return end < r->base || end > MEMMAP_LIMIT ? MEMMAP_LIMIT : end;
}

static bool range_valid(const struct boot_mem_range *r)
{
	return r->length && r->base < MEMMAP_LIMIT;
}

/* The smallest range edge above `at`, or `at` itself when there is none. */
static u64 next_edge(const struct boot_mem_range *in, u32 n, u64 at)
{
	u64 next = at;

	for (u32 i = 0; i < n; i++) {
		u64 b = in[i].base, e = range_end(&in[i]);

		if (!range_valid(&in[i]))
			continue;
		if (b > at && (next == at || b < next))
			next = b;
		if (e > at && (next == at || e < next))
			next = e;
	}
	return next;
}

/* The winning type at address `at`; 0 when no range covers it. */
static u32 type_at(const struct boot_mem_range *in, u32 n, u64 at)
{
	u32 type = 0;

	for (u32 i = 0; i < n; i++) {
		const struct boot_mem_range *r = &in[i];

		if (!range_valid(r) || at < r->base || at >= range_end(r))
			continue;
		if (!type || type_rank(r->type) > type_rank(type))
			type = known_type(r->type);
	}
	return type;
}

/* Appends [base, end) of type, merging with the previous range when they touch. */
static int emit(struct boot_mem_range *out, u32 *count, u32 max, u64 base, u64 end, u32 type)
{
	struct boot_mem_range *last = *count ? &out[*count - 1] : NULL;

	if (last && last->type == type && last->base + last->length == base) {
		last->length = end - last->base;
		return 0;
	}
	if (*count == max)
		return -E2BIG;
	out[(*count)++] = (struct boot_mem_range){.base = base, .length = end - base, .type = type};
	return 0;
}

/* Usable RAM is handed out by page: keep only whole pages. */
static u32 trim_usable(struct boot_mem_range *r, u32 count)
{
	u32 kept = 0;

	for (u32 i = 0; i < count; i++) {
		u64 base = r[i].base, end = r[i].base + r[i].length;

		if (r[i].type == BOOT_MEM_USABLE) {
			base = ALIGN_UP(base, PAGE_SIZE);
			end = ALIGN_DOWN(end, PAGE_SIZE);
		}
		if (end <= base)
			continue;
		r[kept] = r[i];
		r[kept].base = base;
		r[kept].length = end - base;
		kept++;
	}
	return kept;
}

int memmap_normalize(const struct boot_mem_range *in, u32 n, struct boot_mem_range *out,
		     u32 max_out)
{
	u32 count = 0;
	u64 at = MEMMAP_LIMIT;

	for (u32 i = 0; i < n; i++) {
		if (range_valid(&in[i]) && in[i].base < at)
			at = in[i].base;
	}
	for (u64 next; (next = next_edge(in, n, at)) != at; at = next) {
		u32 type = type_at(in, n, at);
		int rc = type ? emit(out, &count, max_out, at, next, type) : 0;

		if (rc)
			return rc;
	}
	return (int)trim_usable(out, count);
}
