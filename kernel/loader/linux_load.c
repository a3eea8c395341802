/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Loading a checked bzImage (boot.rst, "Loading The Rest of The Kernel" and
 * "32-bit Boot Protocol"): decide where the kernel and the initrd go in the
 * guest's RAM, check every placement, then copy and write the zero page.
 */
#include <hv/errno.h>
#include <hv/string.h>

#include "linux_priv.h"

/* True when [base, base + len) lies inside one RAM range of the guest's map. */
static bool in_ram(const struct loader_image *img, u64 base, u64 len)
{
	for (u32 i = 0; i < img->map_count; i++) {
		const struct loader_map_entry *e = &img->map[i];

		if (e->type == LOADER_MEM_RAM && base >= e->base && base + len >= base &&
		    base + len <= e->base + e->size)
			return true;
	}
	return false;
}

/* The end of the RAM range that holds the first MiB above the legacy hole (the guest's low RAM). */
static u64 low_ram_end(const struct loader_image *img)
{
	for (u32 i = 0; i < img->map_count; i++) {
		const struct loader_map_entry *e = &img->map[i];

		if (e->type == LOADER_MEM_RAM && e->base <= LX_LOW_KERNEL &&
		    e->base + e->size > LX_LOW_KERNEL)
			return e->base + e->size;
	}
	return 0;
}

/*
 * pref_address first (a non-relocatable kernel runs only there); a
 * relocatable one may also go to the lowest kernel_alignment-aligned address
 * from 1 MiB. The kernel decompresses in place: it needs init_size bytes.
 */
static int place_kernel(const struct loader_ctx *ctx, const struct loader_linux_header *h,
			struct linux_layout *l)
{
	u64 low;

	l->kernel_span = h->init_size > h->pm_size ? h->init_size : h->pm_size;
	if (in_ram(ctx->img, h->pref_address, l->kernel_span)) {
		l->kernel = h->pref_address;
		return 0;
	}
	low = ALIGN_UP(LX_LOW_KERNEL, (u64)h->kernel_alignment);
	if (h->relocatable && in_ram(ctx->img, low, l->kernel_span)) {
		l->kernel = low;
		return 0;
	}
	return loader_fail(ctx, -ENOMEM,
			   "the kernel needs 0x%lx bytes (init_size) at 0x%lx%s, but the guest's "
			   "RAM below 3 GiB ends at 0x%lx: raise 'memory'",
			   l->kernel_span, h->relocatable ? low : h->pref_address,
			   h->relocatable ? "" : " (not relocatable)", low_ram_end(ctx->img));
}

static bool overlaps(u64 a, u64 alen, u64 b, u64 blen)
{
	return a < b + blen && b < a + alen;
}

/* The highest page-aligned place for the initrd in RAM entry e, below limit, clear of the kernel.
 */
static u64 initrd_in(const struct loader_map_entry *e, u64 limit, u64 size,
		     const struct linux_layout *l)
{
	u64 top = e->base + e->size < limit ? e->base + e->size : limit;
	u64 floor = e->base > LX_LOW_KERNEL ? e->base : LX_LOW_KERNEL;
	u64 at;

	if (e->type != LOADER_MEM_RAM || top < floor + size)
		return 0;
	at = ALIGN_DOWN(top - size, PAGE_SIZE);
	if (overlaps(at, size, l->kernel, l->kernel_span)) {
		if (l->kernel < floor + size)
			return 0;
		at = ALIGN_DOWN(l->kernel - size, PAGE_SIZE);
	}
	return at >= floor ? at : 0;
}

static int place_initrd(const struct loader_ctx *ctx, const struct loader_linux_header *h,
			struct linux_layout *l)
{
	const struct loader_image *img = ctx->img;
	u64 limit = (u64)h->initrd_addr_max + 1;

	l->initrd = 0;
	if (!img->initrd)
		return 0;
	if (img->initrd_size == 0 || img->initrd_size >= SIZE_4G)
		return loader_fail(ctx, -EINVAL, "the initrd's size 0x%lx is absurd",
				   img->initrd_size);
	if (limit > SIZE_4G)
		limit = SIZE_4G;
	for (u32 i = 0; i < img->map_count; i++) {
		u64 at = initrd_in(&img->map[i], limit, img->initrd_size, l);

		if (at > l->initrd)
			l->initrd = at;
	}
	if (!l->initrd)
		return loader_fail(ctx, -ENOMEM,
				   "the initrd (0x%lx bytes) does not fit below 0x%lx beside the "
				   "kernel: raise 'memory'",
				   img->initrd_size, limit);
	return 0;
}

static int check_cmdline(const struct loader_ctx *ctx, const struct loader_linux_header *h,
			 struct linux_layout *l)
{
	const char *c = ctx->img->cmdline ? ctx->img->cmdline : "";
	u64 max = h->cmdline_size < LX_CMDLINE_MAX - 1 ? h->cmdline_size : LX_CMDLINE_MAX - 1;

	l->cmdline_len = strlen(c);
	if (l->cmdline_len > max)
		return loader_fail(ctx, -EINVAL,
				   "the command line has %lu bytes, the kernel takes at most %lu",
				   l->cmdline_len, max);
	return 0;
}

/* Every byte the loader will write must be guest memory (validate, then act). */
static int check_memory(const struct loader_ctx *ctx, const struct loader_linux_header *h,
			const struct linux_layout *l)
{
	const struct guest_mem *m = ctx->mem;

	if (!guest_mem_contains(m, l->kernel, l->kernel_span) ||
	    !guest_mem_contains(m, LX_ZERO_PAGE_GPA, BP_SIZE) ||
	    !guest_mem_contains(m, LX_CMDLINE_GPA, l->cmdline_len + 1) ||
	    (l->initrd && !guest_mem_contains(m, l->initrd, ctx->img->initrd_size)))
		return loader_fail(ctx, -EFAULT, "the Linux layout leaves the guest's memory");
	if (ctx->img->map_count > BP_E820_MAX)
		return loader_fail(ctx, -E2BIG, "more than %d memory map entries", BP_E820_MAX);
	return 0;
}

static int plan(const struct loader_ctx *ctx, struct loader_linux_header *h, struct linux_layout *l)
{
	int rc = loader_linux_parse(ctx->img->data, ctx->img->size, h, ctx->err);

	if (!rc)
		rc = place_kernel(ctx, h, l);
	if (!rc)
		rc = place_initrd(ctx, h, l);
	if (!rc)
		rc = check_cmdline(ctx, h, l);
	if (!rc)
		rc = check_memory(ctx, h, l);
	return rc;
}

static int copy(const struct loader_ctx *ctx, const struct loader_linux_header *h,
		const struct linux_layout *l)
{
	const u8 *file = ctx->img->data;
	int rc;

	rc = guest_mem_write(ctx->mem, l->kernel, file + h->pm_offset, h->pm_size);
	if (!rc)
		rc = guest_mem_fill(ctx->mem, l->kernel + h->pm_size, 0,
				    l->kernel_span - h->pm_size);
	if (!rc && l->initrd)
		rc = guest_mem_write(ctx->mem, l->initrd, ctx->img->initrd, ctx->img->initrd_size);
	if (!rc)
		rc = linux_write_params(ctx, h, l);
	return rc ? loader_fail(ctx, rc, "write to guest memory failed") : 0;
}

int loader_load_linux(const struct loader_image *img, const struct guest_mem *mem,
		      struct loader_start *start, char *err)
{
	struct loader_ctx ctx = {img, mem, err};
	struct loader_linux_header h;
	struct linux_layout l;
	int rc;

	err[0] = '\0';
	rc = plan(&ctx, &h, &l);
	if (!rc)
		rc = copy(&ctx, &h, &l);
	if (rc)
		return rc;
	memset(start, 0, sizeof(*start));
	start->mode = LOADER_MODE_PROT32;
	start->eip = (u32)l.kernel; /* startup_32 is the first byte of the protected-mode kernel */
	start->esi = (u32)LX_ZERO_PAGE_GPA;
	start->image_start = l.kernel;
	start->image_end = l.kernel + l.kernel_span;
	start->used_end = ALIGN_UP(start->image_end, PAGE_SIZE);
	if (l.initrd && l.initrd + img->initrd_size > start->image_end)
		start->used_end = ALIGN_UP(l.initrd + img->initrd_size, PAGE_SIZE);
	return 0;
}
