/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Multiboot v1 kernels (Multiboot Specification 0.6.96, section 3.1: the
 * header; 3.2: the machine state), loaded the way QEMU's -kernel loads them:
 * ELF program headers, or the a.out kludge's address fields when flags bit 16
 * asks for them.
 */
#include <hv/errno.h>
#include <hv/string.h>

#include "loader_priv.h"

#define MB_HEADER_MAGIC	 0x1BADB002u
#define MB_SEARCH_LIMIT	 8192 /* 3.1.1: the header lies within the first 8192 bytes */
#define MB_HDR_MIN	 12   /* magic, flags, checksum */
#define MB_HDR_AOUT_SIZE 32   /* ... and the five address fields */

/* Header flags (3.1.2). Bits 0-15 are requirements a loader must understand. */
#define MB_FLAG_PAGE_ALIGN BIT(0)  /* modules page-aligned: always done */
#define MB_FLAG_MEMINFO	   BIT(1)  /* mem_* and the memory map: always given */
#define MB_FLAG_VIDEO	   BIT(2)  /* video mode table: not given (as QEMU) */
#define MB_FLAG_AOUT	   BIT(16) /* the address fields are valid */
#define MB_REQ_MASK	   0xffffu
#define MB_REQ_KNOWN	   (MB_FLAG_PAGE_ALIGN | MB_FLAG_MEMINFO | MB_FLAG_VIDEO)

/* The address fields at offsets 12..28 of the header (3.1.3). */
struct mb_aout {
	u32 header_addr;
	u32 load_addr;
	u32 load_end_addr;
	u32 bss_end_addr;
	u32 entry_addr;
};

int loader_multiboot_find(const void *data, u64 size)
{
	const u8 *p = data;
	u64 limit = size < MB_SEARCH_LIMIT ? size : MB_SEARCH_LIMIT;

	for (u64 off = 0; off + MB_HDR_MIN <= limit; off += 4) {
		u32 magic = rd32(p + off), flags = rd32(p + off + 4), sum = rd32(p + off + 8);

		if (magic == MB_HEADER_MAGIC && (u32)(magic + flags + sum) == 0)
			return (int)off;
	}
	return -EINVAL;
}

static void read_aout(const u8 *h, struct mb_aout *a)
{
	*a = (struct mb_aout){rd32(h + 12), rd32(h + 16), rd32(h + 20), rd32(h + 24), rd32(h + 28)};
}

static int aout_plan(const struct loader_ctx *ctx, u64 hoff, struct load_plan *plan)
{
	struct mb_aout a;
	u64 file_off, load_size, load_end, mem_end;

	if (hoff + MB_HDR_AOUT_SIZE > ctx->img->size)
		return loader_fail(ctx, -EINVAL, "multiboot header at 0x%lx is truncated", hoff);
	read_aout((const u8 *)ctx->img->data + hoff, &a);
	if (a.load_addr > a.header_addr || a.header_addr - a.load_addr > hoff)
		return loader_fail(ctx, -EINVAL,
				   "multiboot load_addr 0x%x does not fit header_addr 0x%x",
				   a.load_addr, a.header_addr);
	file_off = hoff - (a.header_addr - a.load_addr);
	if (a.load_end_addr && a.load_end_addr < a.load_addr)
		return loader_fail(ctx, -EINVAL, "multiboot load_end_addr 0x%x is below load_addr",
				   a.load_end_addr);
	load_size =
		a.load_end_addr ? (u64)a.load_end_addr - a.load_addr : ctx->img->size - file_off;
	load_end = a.load_addr + load_size;
	if (a.bss_end_addr && a.bss_end_addr < load_end)
		return loader_fail(ctx, -EINVAL,
				   "multiboot bss_end_addr 0x%x is below the load end",
				   a.bss_end_addr);
	mem_end = a.bss_end_addr ? a.bss_end_addr : load_end;
	memset(plan, 0, sizeof(*plan));
	plan->entry = a.entry_addr;
	return load_plan_add(
		ctx, plan,
		&(struct load_seg){a.load_addr, file_off, load_size, mem_end - a.load_addr});
}

static int header_plan(const struct loader_ctx *ctx, struct load_plan *plan)
{
	int off = loader_multiboot_find(ctx->img->data, ctx->img->size);
	u32 flags, unknown;
	bool is64;

	if (off < 0)
		return loader_fail(ctx, -EINVAL, "no multiboot header in the first 8 KiB");
	flags = rd32((const u8 *)ctx->img->data + off + 4);
	unknown = flags & MB_REQ_MASK & ~MB_REQ_KNOWN;
	if (unknown)
		return loader_fail(ctx, -ENOTSUP, "multiboot header requires unknown features 0x%x",
				   unknown);
	if (flags & MB_FLAG_AOUT)
		return aout_plan(ctx, (u64)off, plan);
	if (!elf_is_elf(ctx->img->data, ctx->img->size))
		return loader_fail(ctx, -EINVAL,
				   "multiboot image is not ELF and has no address fields");
	return elf_parse(ctx, plan, &is64); /* ELF64 too: entered in 32-bit mode all the same */
}

int loader_load_multiboot(const struct loader_image *img, const struct guest_mem *mem,
			  struct loader_start *start, char *err)
{
	struct loader_ctx ctx = {img, mem, err};
	struct load_plan plan;
	int rc;

	err[0] = '\0';
	rc = header_plan(&ctx, &plan);
	if (!rc)
		rc = load_plan_apply(&ctx, &plan, start);
	if (!rc)
		rc = mb_info_build(&ctx, start);
	if (rc)
		return rc;
	start->eax = MULTIBOOT_BOOTLOADER_MAGIC;
	start->ebx = (u32)start->info_addr;
	return 0;
}
