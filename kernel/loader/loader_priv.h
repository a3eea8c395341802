/* SPDX-License-Identifier: Apache-2.0 */
/* Shared by the loaders in kernel/loader/: a segment plan and its checks. */
#ifndef LOADER_PRIV_H
#define LOADER_PRIV_H

#include <hv/compiler.h>
#include <hv/loader.h>

#define SIZE_4G (1ULL << 32)

/* One piece of the image in guest memory: filesz bytes from the file, then zeros to memsz. */
struct load_seg {
	gpa_t gpa;
	u64 file_off;
	u64 filesz;
	u64 memsz;
};

/* What a format's parser decides; load_plan_apply() performs it. */
struct load_plan {
	u32 count;
	struct load_seg segs[LOADER_MAX_SEGMENTS];
	u64 entry;
};

struct loader_ctx {
	const struct loader_image *img;
	const struct guest_mem *mem;
	char *err;
};

/* Formats the reason into ctx->err and returns code (a negative errno). */
int loader_fail(const struct loader_ctx *ctx, int code, const char *fmt, ...) __printf(3, 4);

/* Adds a segment after checking it against the file (-EINVAL) and the table size (-E2BIG). */
int load_plan_add(const struct loader_ctx *ctx, struct load_plan *plan, const struct load_seg *seg);

/* Checks overlaps, guest memory and the entry point; then copies and zeroes. */
int load_plan_apply(const struct loader_ctx *ctx, const struct load_plan *plan,
		    struct loader_start *start);

/* Parses ELF32/ELF64 program headers into plan; *is64 tells which class it was. */
int elf_parse(const struct loader_ctx *ctx, struct load_plan *plan, bool *is64);

/* True when data starts with the ELF magic. */
bool elf_is_elf(const void *data, u64 size);

/* Builds the multiboot information and places the modules after the image. */
int mb_info_build(const struct loader_ctx *ctx, struct loader_start *start);

/* Little-endian field readers: images are byte arrays of any alignment. */
static inline u16 rd16(const u8 *p)
{
	return (u16)(p[0] | p[1] << 8);
}

static inline u32 rd32(const u8 *p)
{
	return (u32)p[0] | (u32)p[1] << 8 | (u32)p[2] << 16 | (u32)p[3] << 24;
}

static inline u64 rd64(const u8 *p)
{
	return (u64)rd32(p) | (u64)rd32(p + 4) << 32;
}

static inline void wr32(u8 *p, u32 v)
{
	p[0] = (u8)v;
	p[1] = (u8)(v >> 8);
	p[2] = (u8)(v >> 16);
	p[3] = (u8)(v >> 24);
}

static inline void wr64(u8 *p, u64 v)
{
	wr32(p, (u32)v);
	wr32(p + 4, (u32)(v >> 32));
}

#endif
