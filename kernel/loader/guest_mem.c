/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Checked access to guest memory through a list of regions. An access may
 * span adjacent regions; it is validated completely before anything moves,
 * so a failed access has no effect (validate, then act).
 */
#include <hv/errno.h>
#include <hv/guest_mem.h>
#include <hv/string.h>

void guest_mem_init(struct guest_mem *m)
{
	memset(m, 0, sizeof(*m));
}

static bool ranges_overlap(u64 a, u64 alen, u64 b, u64 blen)
{
	return a < b + blen && b < a + alen;
}

int guest_mem_add(struct guest_mem *m, gpa_t gpa, void *hva, u64 size)
{
	if (size == 0 || gpa + size < gpa || hva == NULL)
		return -EINVAL;
	for (u32 i = 0; i < m->count; i++)
		if (ranges_overlap(gpa, size, m->regions[i].gpa, m->regions[i].size))
			return -EINVAL;
	if (m->count == GUEST_MEM_MAX_REGIONS)
		return -ENOSPC;
	m->regions[m->count++] = (struct guest_mem_region){.gpa = gpa, .hva = hva, .size = size};
	return 0;
}

/* The region holding gpa, or NULL. */
static const struct guest_mem_region *find_region(const struct guest_mem *m, gpa_t gpa)
{
	for (u32 i = 0; i < m->count; i++) {
		const struct guest_mem_region *r = &m->regions[i];

		if (gpa >= r->gpa && gpa - r->gpa < r->size)
			return r;
	}
	return NULL;
}

bool guest_mem_contains(const struct guest_mem *m, gpa_t gpa, u64 len)
{
	if (gpa + len < gpa)
		return false;
	while (len > 0) {
		const struct guest_mem_region *r = find_region(m, gpa);
		u64 chunk;

		if (!r)
			return false;
		chunk = r->size - (gpa - r->gpa);
		if (chunk >= len)
			return true;
		gpa += chunk;
		len -= chunk;
	}
	return true;
}

enum copy_dir { TO_GUEST, FROM_GUEST, FILL_GUEST };

/* Moves len bytes region by region; the caller has checked the whole range. */
static void copy_chunks(const struct guest_mem *m, gpa_t gpa, u8 *buf, u8 value, u64 len,
			enum copy_dir dir)
{
	while (len > 0) {
		const struct guest_mem_region *r = find_region(m, gpa);
		u64 off = gpa - r->gpa;
		u64 chunk = r->size - off < len ? r->size - off : len;

		if (dir == TO_GUEST)
			memcpy(r->hva + off, buf, chunk);
		else if (dir == FROM_GUEST)
			memcpy(buf, r->hva + off, chunk);
		else
			memset(r->hva + off, value, chunk);
		if (buf)
			buf += chunk;
		gpa += chunk;
		len -= chunk;
	}
}

int guest_mem_write(const struct guest_mem *m, gpa_t gpa, const void *src, u64 len)
{
	if (!guest_mem_contains(m, gpa, len))
		return -EFAULT;
	copy_chunks(m, gpa, (u8 *)src, 0, len, TO_GUEST);
	return 0;
}

int guest_mem_read(const struct guest_mem *m, gpa_t gpa, void *dst, u64 len)
{
	if (!guest_mem_contains(m, gpa, len))
		return -EFAULT;
	copy_chunks(m, gpa, dst, 0, len, FROM_GUEST);
	return 0;
}

int guest_mem_fill(const struct guest_mem *m, gpa_t gpa, u8 value, u64 len)
{
	if (!guest_mem_contains(m, gpa, len))
		return -EFAULT;
	copy_chunks(m, gpa, NULL, value, len, FILL_GUEST);
	return 0;
}
