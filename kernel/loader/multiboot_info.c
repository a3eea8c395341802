/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The multiboot information structure (Multiboot Specification 0.6.96,
 * section 3.3) and the modules, as QEMU's -kernel gives them: one block
 * after the kernel's last byte holding the structure, the memory map, the
 * module list and every string, then each module on its own page boundary.
 * Everything is placed in the guest's RAM below 4 GiB, above the image, so
 * it never collides with the kernel and leaves low memory to the guest.
 */
#include <hv/errno.h>
#include <hv/string.h>

#include "loader_priv.h"

/* Information structure flags (3.3). */
#define MBI_FLAG_MEM	     BIT(0) /* mem_lower, mem_upper */
#define MBI_FLAG_CMDLINE     BIT(2)
#define MBI_FLAG_MODS	     BIT(3)
#define MBI_FLAG_MMAP	     BIT(6)
#define MBI_FLAG_LOADER_NAME BIT(9)

/* Field offsets in the structure (3.3). */
#define MBI_FLAGS	0
#define MBI_MEM_LOWER	4
#define MBI_MEM_UPPER	8
#define MBI_CMDLINE	16
#define MBI_MODS_COUNT	20
#define MBI_MODS_ADDR	24
#define MBI_MMAP_LENGTH 44
#define MBI_MMAP_ADDR	48
#define MBI_LOADER_NAME 64
/* 88 bytes in 0.6.96; later revisions add framebuffer fields up to 116. Zeroed. */
#define MBI_SIZE 128

#define MMAP_ENTRY_SIZE 24 /* size field (4) + base (8) + length (8) + type (4) */
#define MOD_ENTRY_SIZE	16 /* mod_start, mod_end, string, reserved */

#define LOWER_MEM_END  (640ULL << 10) /* mem_lower counts at most 640 KiB */
#define UPPER_MEM_BASE (1ULL << 20)   /* mem_upper counts from 1 MiB */

static const char loader_name[] = "Bulkhead";

/* Where each part of the information block goes, as offsets from its start. */
struct mbi_layout {
	u64 mmap_off, mods_off, cmdline_off, name_off, strings_off, size;
	gpa_t base;
	gpa_t mod_gpa[LOADER_MAX_MODULES];
};

static const char *mod_string(const struct loader_module *m)
{
	return m->string ? m->string : "";
}

static const char *str_or_empty(const char *s)
{
	return s ? s : "";
}

static void layout_block(const struct loader_image *img, struct mbi_layout *l)
{
	u64 off;

	l->mmap_off = MBI_SIZE;
	l->mods_off = l->mmap_off + (u64)img->map_count * MMAP_ENTRY_SIZE;
	l->cmdline_off = l->mods_off + (u64)img->module_count * MOD_ENTRY_SIZE;
	/* QEMU's command line: the kernel's path, a space, then the arguments. */
	l->name_off = l->cmdline_off + strlen(str_or_empty(img->path)) + 1 +
		      strlen(str_or_empty(img->cmdline)) + 1;
	l->strings_off = l->name_off + sizeof(loader_name);
	off = l->strings_off;
	for (u32 i = 0; i < img->module_count; i++)
		off += strlen(mod_string(&img->modules[i])) + 1;
	l->size = off;
}

/* True when [gpa, gpa + size) is inside one RAM entry of the guest's map. */
static bool in_ram(const struct loader_image *img, gpa_t gpa, u64 size)
{
	for (u32 i = 0; i < img->map_count; i++) {
		const struct loader_map_entry *e = &img->map[i];

		if (e->type == LOADER_MEM_RAM && gpa >= e->base && gpa - e->base <= e->size &&
		    size <= e->size - (gpa - e->base))
			return true;
	}
	return false;
}

/* The lowest page-aligned RAM base above gpa, or 0 when there is none. */
static gpa_t next_ram(const struct loader_image *img, gpa_t gpa)
{
	gpa_t best = 0;

	for (u32 i = 0; i < img->map_count; i++) {
		const struct loader_map_entry *e = &img->map[i];
		gpa_t base = ALIGN_UP(e->base, PAGE_SIZE);

		if (e->type == LOADER_MEM_RAM && base > gpa && (best == 0 || base < best))
			best = base;
	}
	return best;
}

/* First fit at or above *cursor: RAM in the map, backed, below 4 GiB. */
static int place(const struct loader_ctx *ctx, gpa_t *cursor, u64 size, gpa_t *out)
{
	gpa_t gpa = ALIGN_UP(*cursor, PAGE_SIZE);
	u64 need = size ? size : 1;

	while (gpa != 0 && gpa < SIZE_4G) {
		if (in_ram(ctx->img, gpa, need) && gpa + need <= SIZE_4G &&
		    guest_mem_contains(ctx->mem, gpa, need)) {
			*out = gpa;
			*cursor = gpa + need;
			return 0;
		}
		gpa = next_ram(ctx->img, gpa);
	}
	return -ENOMEM;
}

static int place_all(const struct loader_ctx *ctx, const struct loader_start *start,
		     struct mbi_layout *l)
{
	const struct loader_image *img = ctx->img;
	gpa_t cursor = start->used_end;

	if (place(ctx, &cursor, l->size, &l->base))
		return loader_fail(ctx, -ENOMEM,
				   "no room for the multiboot information after 0x%lx",
				   start->used_end);
	for (u32 i = 0; i < img->module_count; i++)
		if (place(ctx, &cursor, img->modules[i].size, &l->mod_gpa[i]))
			return loader_fail(ctx, -ENOMEM, "no room below 4 GiB for module %u (%s)",
					   i, mod_string(&img->modules[i]));
	return 0;
}

/* End of the run of adjacent RAM entries that covers gpa (gpa itself when none does). */
static u64 ram_run_end(const struct loader_image *img, u64 gpa)
{
	bool grew = true;

	while (grew) {
		grew = false;
		for (u32 i = 0; i < img->map_count; i++) {
			const struct loader_map_entry *e = &img->map[i];

			if (e->type == LOADER_MEM_RAM && gpa >= e->base &&
			    gpa < e->base + e->size) {
				gpa = e->base + e->size;
				grew = true;
			}
		}
	}
	return gpa;
}

/* 3.3: mem_lower from 0 (at most 640 KiB), mem_upper from 1 MiB to the first hole, in KiB. */
static void fill_mem_fields(const struct loader_image *img, u8 *mbi)
{
	u64 lower = ram_run_end(img, 0), upper = ram_run_end(img, UPPER_MEM_BASE);

	lower = lower < LOWER_MEM_END ? lower : LOWER_MEM_END;
	upper = (upper - UPPER_MEM_BASE) >> 10;
	wr32(mbi + MBI_MEM_LOWER, (u32)(lower >> 10));
	wr32(mbi + MBI_MEM_UPPER, upper > 0xffffffffu ? 0xffffffffu : (u32)upper);
}

static void fill_mbi(const struct loader_image *img, const struct mbi_layout *l, u8 *mbi)
{
	memset(mbi, 0, MBI_SIZE);
	wr32(mbi + MBI_FLAGS, MBI_FLAG_MEM | MBI_FLAG_CMDLINE | MBI_FLAG_MODS | MBI_FLAG_MMAP |
				      MBI_FLAG_LOADER_NAME);
	fill_mem_fields(img, mbi);
	wr32(mbi + MBI_CMDLINE, (u32)(l->base + l->cmdline_off));
	wr32(mbi + MBI_MODS_COUNT, img->module_count);
	wr32(mbi + MBI_MODS_ADDR, (u32)(l->base + l->mods_off));
	wr32(mbi + MBI_MMAP_LENGTH, img->map_count * MMAP_ENTRY_SIZE);
	wr32(mbi + MBI_MMAP_ADDR, (u32)(l->base + l->mmap_off));
	wr32(mbi + MBI_LOADER_NAME, (u32)(l->base + l->name_off));
}

/* Accumulates the first failure so the writing code reads straight through. */
struct mb_writer {
	const struct guest_mem *mem;
	int rc;
};

static void put(struct mb_writer *w, gpa_t gpa, const void *src, u64 len)
{
	if (!w->rc)
		w->rc = guest_mem_write(w->mem, gpa, src, len);
}

static void put_str(struct mb_writer *w, gpa_t *gpa, const char *s, bool nul)
{
	u64 len = strlen(s) + (nul ? 1 : 0);

	put(w, *gpa, s, len);
	*gpa += len;
}

/* 3.3 "mmap_*": each entry is preceded by its size (20), which the offsets include. */
static void write_mmap(struct mb_writer *w, const struct loader_image *img, gpa_t gpa)
{
	for (u32 i = 0; i < img->map_count; i++) {
		u8 e[MMAP_ENTRY_SIZE];

		wr32(e, MMAP_ENTRY_SIZE - 4);
		wr64(e + 4, img->map[i].base);
		wr64(e + 12, img->map[i].size);
		wr32(e + 20, img->map[i].type);
		put(w, gpa + (u64)i * MMAP_ENTRY_SIZE, e, sizeof(e));
	}
}

/* 3.3 "mods_*": mod_end is exclusive, as GRUB and QEMU give it. */
static void write_modules(struct mb_writer *w, const struct loader_image *img,
			  const struct mbi_layout *l)
{
	gpa_t str = l->base + l->strings_off;

	for (u32 i = 0; i < img->module_count; i++) {
		const struct loader_module *m = &img->modules[i];
		u8 e[MOD_ENTRY_SIZE] = {0};

		wr32(e, (u32)l->mod_gpa[i]);
		wr32(e + 4, (u32)(l->mod_gpa[i] + m->size));
		wr32(e + 8, (u32)str);
		put(w, l->base + l->mods_off + (u64)i * MOD_ENTRY_SIZE, e, sizeof(e));
		put_str(w, &str, mod_string(m), true);
		put(w, l->mod_gpa[i], m->data, m->size);
	}
}

static int write_block(const struct loader_ctx *ctx, const struct mbi_layout *l)
{
	const struct loader_image *img = ctx->img;
	struct mb_writer w = {ctx->mem, 0};
	gpa_t cmd = l->base + l->cmdline_off;
	u8 mbi[MBI_SIZE];

	fill_mbi(img, l, mbi);
	put(&w, l->base, mbi, sizeof(mbi));
	write_mmap(&w, img, l->base + l->mmap_off);
	put_str(&w, &cmd, str_or_empty(img->path), false);
	put_str(&w, &cmd, " ", false);
	put_str(&w, &cmd, str_or_empty(img->cmdline), true);
	put(&w, l->base + l->name_off, loader_name, sizeof(loader_name));
	write_modules(&w, img, l);
	if (w.rc)
		return loader_fail(ctx, w.rc, "writing the multiboot information failed");
	return 0;
}

static int check_counts(const struct loader_ctx *ctx)
{
	const struct loader_image *img = ctx->img;

	if (img->map_count == 0 || img->map_count > LOADER_MAX_MAP)
		return loader_fail(ctx, -E2BIG, "guest memory map has %u entries (1..%d)",
				   img->map_count, LOADER_MAX_MAP);
	if (img->module_count > LOADER_MAX_MODULES)
		return loader_fail(ctx, -E2BIG, "%u modules (limit %d)", img->module_count,
				   LOADER_MAX_MODULES);
	for (u32 i = 0; i < img->module_count; i++)
		if (img->modules[i].size && !img->modules[i].data)
			return loader_fail(ctx, -EINVAL, "module %u has no data", i);
	return 0;
}

int mb_info_build(const struct loader_ctx *ctx, struct loader_start *start)
{
	struct mbi_layout l;
	int rc = check_counts(ctx);

	if (rc)
		return rc;
	layout_block(ctx->img, &l);
	rc = place_all(ctx, start, &l);
	if (!rc)
		rc = write_block(ctx, &l);
	if (rc)
		return rc;
	start->info_addr = l.base;
	start->used_end = l.base + l.size;
	for (u32 i = 0; i < ctx->img->module_count; i++)
		if (l.mod_gpa[i] + ctx->img->modules[i].size > start->used_end)
			start->used_end = l.mod_gpa[i] + ctx->img->modules[i].size;
	start->used_end = ALIGN_UP(start->used_end, PAGE_SIZE);
	return 0;
}
