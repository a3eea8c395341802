/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Linux bzImages (x86 boot protocol 2.12 and later,
 * Documentation/arch/x86/boot.rst): the setup header is checked, the
 * protected-mode kernel is copied to its preferred address (or the lowest
 * aligned one for a relocatable kernel), the initrd to the highest page
 * below initrd_addr_max that stays clear of the kernel, and the guest
 * starts at the 32-bit entry ("32-bit Boot Protocol"): flat segments,
 * paging and interrupts off, ESI = the zero page. docs/linux.md.
 */
#include <stdarg.h>

#include <hv/errno.h>
#include <hv/printk.h>
#include <hv/string.h>

#include "linux_priv.h"

static int fail(char *err, int code, const char *fmt, ...) __printf(3, 4);

static int fail(char *err, int code, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	hv_vsnprintf(err, LOADER_ERR_MAX, fmt, ap);
	va_end(ap);
	return code;
}

static int check_magic(const u8 *p, u64 size, char *err)
{
	if (size < LX_HEADER + 4 || rd16(p + LX_BOOT_FLAG) != LX_BOOT_FLAG_MAGIC)
		return fail(err, -EINVAL, "not a Linux kernel: no boot flag 0xAA55 at 0x1fe");
	if (rd32(p + LX_HEADER) != LX_HEADER_MAGIC)
		return fail(err, -EINVAL, "not a bzImage: no \"HdrS\" setup header at 0x202");
	if (size < LX_VERSION + 2 || rd16(p + LX_VERSION) < LINUX_MIN_PROTOCOL)
		return fail(err, -ENOTSUP,
			    "Linux boot protocol %u.%02u is too old: 2.12 or later is needed",
			    size < LX_VERSION + 2 ? 0 : rd16(p + LX_VERSION) >> 8,
			    size < LX_VERSION + 2 ? 0 : rd16(p + LX_VERSION) & 0xff);
	return 0;
}

/* The setup code and the header's end must agree with each other and the file. */
static int check_setup(const struct loader_linux_header *h, u64 size, char *err)
{
	if (h->pm_offset > LX_SETUP_MAX)
		return fail(err, -EINVAL, "setup_sects %u is absurd: setup code over 32 KiB",
			    h->setup_sects);
	if (h->header_end < LX_HEADER_MIN_END || h->header_end > BP_HDR_END)
		return fail(err, -EINVAL, "setup header ending at 0x%x is malformed",
			    h->header_end);
	if (size < h->pm_offset)
		return fail(err, -EINVAL,
			    "truncated: the setup code needs 0x%lx bytes, the file has 0x%lx",
			    h->pm_offset, size);
	return 0;
}

static int check_kernel_size(const struct loader_linux_header *h, u64 size, char *err)
{
	if (h->pm_size == 0)
		return fail(err, -EINVAL, "syssize is 0: no protected-mode kernel");
	if (size < h->pm_offset + h->pm_size)
		return fail(err, -EINVAL,
			    "truncated: the kernel needs 0x%lx bytes, the file has 0x%lx",
			    h->pm_offset + h->pm_size, size);
	return 0;
}

static int check_fields(const struct loader_linux_header *h, char *err)
{
	u32 a = h->kernel_alignment;

	if (!(h->loadflags & LX_LOADED_HIGH))
		return fail(err, -ENOTSUP, "a zImage (not loaded high): only bzImages boot");
	if (h->relocatable && (a < PAGE_SIZE || a > SIZE_1G || (a & (a - 1))))
		return fail(err, -EINVAL, "kernel_alignment 0x%x is absurd", a);
	if (h->init_size < h->pm_size)
		return fail(err, -EINVAL, "init_size 0x%x is smaller than the kernel (0x%lx)",
			    h->init_size, h->pm_size);
	if (h->pref_address >= SIZE_4G || !IS_ALIGNED(h->pref_address, PAGE_SIZE))
		return fail(err, -EINVAL, "pref_address 0x%lx is absurd", h->pref_address);
	return 0;
}

static void read_header(const u8 *p, struct loader_linux_header *h)
{
	memset(h, 0, sizeof(*h));
	h->version = rd16(p + LX_VERSION);
	h->setup_sects = p[LX_SETUP_SECTS];
	h->header_end = LX_HEADER + p[LX_JUMP + 1];
	h->pm_offset = ((u64)(h->setup_sects ? h->setup_sects : 4) + 1) * 512;
}

/* The fields past the magic, read only once the file is known to hold them. */
static void read_fields(const u8 *p, struct loader_linux_header *h)
{
	h->pm_size = (u64)rd32(p + LX_SYSSIZE) * 16;
	h->loadflags = p[LX_LOADFLAGS];
	h->xloadflags = rd16(p + LX_XLOADFLAGS);
	h->relocatable = p[LX_RELOCATABLE] != 0;
	h->initrd_addr_max = rd32(p + LX_INITRD_ADDR_MAX);
	h->kernel_alignment = rd32(p + LX_KERNEL_ALIGNMENT);
	h->cmdline_size = rd32(p + LX_CMDLINE_SIZE);
	h->pref_address = rd64(p + LX_PREF_ADDRESS);
	h->init_size = rd32(p + LX_INIT_SIZE);
}

int loader_linux_parse(const void *data, u64 size, struct loader_linux_header *h, char *err)
{
	const u8 *p = data;
	int rc;

	err[0] = '\0';
	rc = check_magic(p, size, err);
	if (rc)
		return rc;
	read_header(p, h);
	rc = check_setup(h, size, err);
	if (rc)
		return rc;
	read_fields(p, h);
	rc = check_kernel_size(h, size, err);
	return rc ? rc : check_fields(h, err);
}
