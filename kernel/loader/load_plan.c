/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The format-independent half of loading: a list of segments that a parser
 * has read from the image, checked as a whole (against the file, each other
 * and guest memory) before the first byte is copied.
 */
#include <stdarg.h>

#include <hv/errno.h>
#include <hv/printk.h>
#include <hv/string.h>

#include "loader_priv.h"

int loader_fail(const struct loader_ctx *ctx, int code, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	hv_vsnprintf(ctx->err, LOADER_ERR_MAX, fmt, ap);
	va_end(ap);
	return code;
}

int load_plan_add(const struct loader_ctx *ctx, struct load_plan *plan, const struct load_seg *seg)
{
	u64 fsize = ctx->img->size;

	if (seg->filesz > seg->memsz)
		return loader_fail(ctx, -EINVAL,
				   "segment at 0x%lx: file size 0x%lx > memory size 0x%lx",
				   seg->gpa, seg->filesz, seg->memsz);
	if (seg->file_off > fsize || seg->filesz > fsize - seg->file_off)
		return loader_fail(ctx, -EINVAL,
				   "segment at 0x%lx: bytes 0x%lx+0x%lx beyond the end of the "
				   "file (0x%lx)",
				   seg->gpa, seg->file_off, seg->filesz, fsize);
	if (seg->gpa + seg->memsz < seg->gpa)
		return loader_fail(ctx, -EINVAL, "segment at 0x%lx: size 0x%lx wraps around",
				   seg->gpa, seg->memsz);
	if (seg->memsz == 0)
		return 0;
	if (plan->count == LOADER_MAX_SEGMENTS)
		return loader_fail(ctx, -E2BIG, "more than %d loadable segments",
				   LOADER_MAX_SEGMENTS);
	plan->segs[plan->count++] = *seg;
	return 0;
}

static int check_overlaps(const struct loader_ctx *ctx, const struct load_plan *plan)
{
	for (u32 i = 0; i < plan->count; i++) {
		for (u32 j = i + 1; j < plan->count; j++) {
			const struct load_seg *a = &plan->segs[i], *b = &plan->segs[j];

			if (a->gpa < b->gpa + b->memsz && b->gpa < a->gpa + a->memsz)
				return loader_fail(ctx, -EINVAL,
						   "segments at 0x%lx and 0x%lx overlap", a->gpa,
						   b->gpa);
		}
	}
	return 0;
}

static int check_memory(const struct loader_ctx *ctx, const struct load_plan *plan)
{
	for (u32 i = 0; i < plan->count; i++) {
		const struct load_seg *s = &plan->segs[i];

		if (!guest_mem_contains(ctx->mem, s->gpa, s->memsz))
			return loader_fail(ctx, -ENOMEM,
					   "segment 0x%lx-0x%lx is beyond the guest's memory",
					   s->gpa, s->gpa + s->memsz - 1);
	}
	return 0;
}

/* The guest starts in 32-bit mode: the entry must be a 32-bit address inside the image. */
static int check_entry(const struct loader_ctx *ctx, const struct load_plan *plan)
{
	for (u32 i = 0; i < plan->count; i++) {
		const struct load_seg *s = &plan->segs[i];

		if (plan->entry >= s->gpa && plan->entry - s->gpa < s->memsz &&
		    plan->entry < SIZE_4G)
			return 0;
	}
	return loader_fail(ctx, -EINVAL, "entry point 0x%lx is outside the loaded image",
			   plan->entry);
}

static int check_plan(const struct loader_ctx *ctx, const struct load_plan *plan)
{
	int rc;

	if (plan->count == 0)
		return loader_fail(ctx, -EINVAL, "the image has nothing to load");
	rc = check_overlaps(ctx, plan);
	if (!rc)
		rc = check_memory(ctx, plan);
	if (!rc)
		rc = check_entry(ctx, plan);
	return rc;
}

int load_plan_apply(const struct loader_ctx *ctx, const struct load_plan *plan,
		    struct loader_start *start)
{
	const u8 *file = ctx->img->data;
	int rc = check_plan(ctx, plan);

	if (rc)
		return rc;
	memset(start, 0, sizeof(*start));
	start->image_start = ~0ULL;
	for (u32 i = 0; i < plan->count; i++) {
		const struct load_seg *s = &plan->segs[i];

		rc = guest_mem_write(ctx->mem, s->gpa, file + s->file_off, s->filesz);
		if (!rc)
			rc = guest_mem_fill(ctx->mem, s->gpa + s->filesz, 0, s->memsz - s->filesz);
		if (rc)
			return loader_fail(ctx, rc, "write to guest memory at 0x%lx failed",
					   s->gpa);
		if (s->gpa < start->image_start)
			start->image_start = s->gpa;
		if (s->gpa + s->memsz > start->image_end)
			start->image_end = s->gpa + s->memsz;
	}
	start->mode = LOADER_MODE_PROT32;
	start->eip = (u32)plan->entry;
	start->used_end = ALIGN_UP(start->image_end, PAGE_SIZE);
	return 0;
}

int loader_load(enum loader_format fmt, const struct loader_image *img, const struct guest_mem *mem,
		struct loader_start *start, char *err)
{
	err[0] = '\0';
	switch (fmt) {
	case LOADER_FORMAT_MULTIBOOT:
		return loader_load_multiboot(img, mem, start, err);
	case LOADER_FORMAT_ELF:
		return loader_load_elf(img, mem, start, err);
	case LOADER_FORMAT_RAW:
		return loader_load_raw(img, mem, start, err);
	case LOADER_FORMAT_LINUX:
		return loader_load_linux(img, mem, start, err);
	}
	hv_snprintf(err, LOADER_ERR_MAX, "unknown image format %d", (int)fmt);
	return -EINVAL;
}
