/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The zero page (struct boot_params, Documentation/arch/x86/zero-page.rst)
 * and the command line, written straight into guest memory: the setup
 * header copied from the image as the protocol asks ("Details of Header
 * Fields": a boot loader copies the header and fills in its fields), then
 * the loader's fields and the e820 map of the guest's layout.
 */
#include <hv/string.h>

#include "linux_priv.h"

static int put(const struct loader_ctx *ctx, u32 off, u64 v, u32 width)
{
	u8 b[8];

	wr64(b, v);
	return guest_mem_write(ctx->mem, LX_ZERO_PAGE_GPA + off, b, width);
}

static int write_e820(const struct loader_ctx *ctx)
{
	const struct loader_image *img = ctx->img;
	int rc = put(ctx, BP_E820_ENTRIES, img->map_count, 1);

	for (u32 i = 0; !rc && i < img->map_count; i++) {
		const struct loader_map_entry *e = &img->map[i];
		u32 off = BP_E820_TABLE + i * BP_E820_ENTRY_SIZE;

		rc = put(ctx, off, e->base, 8);
		if (!rc)
			rc = put(ctx, off + 8, e->size, 8);
		if (!rc)
			rc = put(ctx, off + 16, e->type, 4);
	}
	return rc;
}

/* The setup header from the image, with the fields a boot loader owns filled in. */
static int write_header(const struct loader_ctx *ctx, const struct loader_linux_header *h,
			const struct linux_layout *l)
{
	const u8 *file = ctx->img->data;
	u8 loadflags = (u8)(h->loadflags & ~LX_CAN_USE_HEAP); /* no real-mode setup runs */
	int rc;

	rc = guest_mem_write(ctx->mem, LX_ZERO_PAGE_GPA + LX_SETUP_SECTS, file + LX_SETUP_SECTS,
			     h->header_end - LX_SETUP_SECTS);
	if (!rc)
		rc = put(ctx, LX_TYPE_OF_LOADER, LX_LOADER_UNKNOWN, 1);
	if (!rc)
		rc = put(ctx, LX_LOADFLAGS, loadflags, 1);
	if (!rc)
		rc = put(ctx, LX_CODE32_START, l->kernel, 4);
	if (!rc)
		rc = put(ctx, LX_CMD_LINE_PTR, LX_CMDLINE_GPA, 4);
	if (!rc)
		rc = put(ctx, LX_RAMDISK_IMAGE, l->initrd, 4);
	if (!rc)
		rc = put(ctx, LX_RAMDISK_SIZE, l->initrd ? ctx->img->initrd_size : 0, 4);
	return rc;
}

int linux_write_params(const struct loader_ctx *ctx, const struct loader_linux_header *h,
		       const struct linux_layout *l)
{
	const char *c = ctx->img->cmdline ? ctx->img->cmdline : "";
	int rc;

	rc = guest_mem_fill(ctx->mem, LX_ZERO_PAGE_GPA, 0, BP_SIZE);
	if (!rc)
		rc = write_header(ctx, h, l);
	if (!rc && h->version >= 0x020e) /* acpi_rsdp_addr: protocol 2.14 */
		rc = put(ctx, BP_ACPI_RSDP_ADDR, ctx->img->acpi_rsdp, 8);
	if (!rc)
		rc = write_e820(ctx);
	if (!rc)
		rc = guest_mem_write(ctx->mem, LX_CMDLINE_GPA, c, l->cmdline_len + 1);
	return rc;
}
