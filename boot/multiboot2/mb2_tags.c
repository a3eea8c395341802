/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Multiboot2 boot information -> struct boot_info (Multiboot2 Specification
 * 2.0, section 3.6). Pure code, host-tested: the structure comes from the boot
 * loader, so every size is checked before a byte behind it is read, and
 * nothing in it is kept by reference: the loader did not reserve its memory.
 */
#include <hv/boot_info.h>
#include <hv/errno.h>
#include <hv/string.h>

#include "mb2.h"

/*
 * The image, every kept module and the configuration may each split one usable
 * range into three: keep room for that when copying the firmware's map.
 */
#define MMAP_SPLIT_RESERVE (2 * (BOOT_MAX_FILES + 2))
#define MMAP_COPY_LIMIT	   (BOOT_MAX_MMAP - MMAP_SPLIT_RESERVE)

/* Section 3.6.2: every tag starts with u32 type, u32 size. */
#define TAG_HDR_LEN 8
/* Section 3.6.8: u32 entry_size, u32 entry_version, then entries of u64 base, u64 length, u32 type.
 */
#define MMAP_HDR_LEN   16
#define MMAP_ENTRY_MIN 24
/* Section 3.6.6: u32 mod_start, u32 mod_end, then the NUL-terminated command line. */
#define MODULE_HDR_LEN 16
/* Section 3.6.3: u32 mem_lower, u32 mem_upper, both in KiB. */
#define MEMINFO_LEN 16

/* E820 types (ACPI 6.5, table 15.1). */
#define E820_RAM      1
#define E820_ACPI     3
#define E820_NVS      4
#define E820_UNUSABLE 5

#define MiB (1ULL << 20)

struct mb2_parser {
	struct boot_info *bi;
	mb2_warn_fn warn;
	bool have_mmap;
	bool have_meminfo;
	bool rsdp_is_v2;
	u32 mem_lower_kib, mem_upper_kib;
	u32 modules_seen;
	u32 ranges_dropped;
};

/* The RSDP tags hold a copy of the RSDP inside the unreserved info structure. */
static u8 mb2_rsdp_copy[MB2_RSDP_V2_LEN] __aligned(16);

static u32 rd32(const u8 *p)
{
	u32 v;

	memcpy(&v, p, sizeof(v));
	return v;
}

static u64 rd64(const u8 *p)
{
	u64 v;

	memcpy(&v, p, sizeof(v));
	return v;
}

/* Copies a string field of max bytes; false when it was cut or had no NUL. */
static bool copy_str(char *dst, size_t dst_size, const u8 *src, size_t max)
{
	size_t n = strnlen((const char *)src, max);
	bool whole = n < max && n < dst_size;

	if (n >= dst_size)
		n = dst_size - 1;
	memcpy(dst, src, n);
	dst[n] = '\0';
	return whole;
}

static u32 e820_to_boot(u32 type)
{
	switch (type) {
	case E820_RAM:
		return BOOT_MEM_USABLE;
	case E820_ACPI:
		return BOOT_MEM_ACPI_RECLAIM;
	case E820_NVS:
		return BOOT_MEM_ACPI_NVS;
	case E820_UNUSABLE:
		return BOOT_MEM_UNUSABLE;
	default:
		return BOOT_MEM_RESERVED;
	}
}

static void add_range(struct mb2_parser *p, u64 base, u64 len, u32 type)
{
	struct boot_info *bi = p->bi;

	if (!len)
		return;
	if (base + len < base) {
		p->warn("multiboot2: memory range 0x%llx+0x%llx wraps, ignored",
			(unsigned long long)base, (unsigned long long)len);
		return;
	}
	if (bi->mmap_count >= MMAP_COPY_LIMIT) {
		p->ranges_dropped++;
		return;
	}
	bi->mmap[bi->mmap_count++] = (struct boot_mem_range){base, len, type};
}

static void parse_mmap(struct mb2_parser *p, const u8 *tag, u32 size)
{
	u32 entry_size, version, n;

	if (p->have_mmap) {
		p->warn("multiboot2: second memory map tag ignored");
		return;
	}
	if (size < MMAP_HDR_LEN) {
		p->warn("multiboot2: memory map tag of %u bytes is too short", size);
		return;
	}
	entry_size = rd32(tag + 8);
	version = rd32(tag + 12);
	if (entry_size < MMAP_ENTRY_MIN || entry_size % 8) {
		p->warn("multiboot2: memory map entry size %u is invalid", entry_size);
		return;
	}
	if (version != 0)
		p->warn("multiboot2: memory map entry version %u, reading version 0 fields",
			version);
	if ((size - MMAP_HDR_LEN) % entry_size)
		p->warn("multiboot2: memory map tag has a partial entry, ignored");
	p->have_mmap = true;
	n = (size - MMAP_HDR_LEN) / entry_size;
	for (u32 i = 0; i < n; i++) {
		const u8 *e = tag + MMAP_HDR_LEN + (u64)i * entry_size;

		add_range(p, rd64(e), rd64(e + 8), e820_to_boot(rd32(e + 16)));
	}
}

static void parse_meminfo(struct mb2_parser *p, const u8 *tag, u32 size)
{
	if (size < MEMINFO_LEN) {
		p->warn("multiboot2: basic memory information tag too short");
		return;
	}
	p->have_meminfo = true;
	p->mem_lower_kib = rd32(tag + 8);
	p->mem_upper_kib = rd32(tag + 12);
}

static void parse_cmdline(struct mb2_parser *p, const u8 *tag, u32 size)
{
	if (!copy_str(p->bi->cmdline, sizeof(p->bi->cmdline), tag + TAG_HDR_LEN,
		      size - TAG_HDR_LEN))
		p->warn("multiboot2: command line cut to '%s'", p->bi->cmdline);
}

static void set_config(struct mb2_parser *p, u32 start, u32 end)
{
	struct boot_info *bi = p->bi;

	if (bi->config_found) {
		p->warn("multiboot2: second '" MB2_CONFIG_NAME "' module ignored");
		return;
	}
	bi->config_found = true;
	bi->config_addr = start;
	bi->config_size = end - start;
}

static void parse_module(struct mb2_parser *p, const u8 *tag, u32 size)
{
	struct boot_info *bi = p->bi;
	char name[BOOT_NAME_MAX];
	u32 start, end;

	p->modules_seen++;
	if (size < MODULE_HDR_LEN + 1) {
		p->warn("multiboot2: module tag of %u bytes is too short", size);
		return;
	}
	start = rd32(tag + 8);
	end = rd32(tag + 12);
	if (!copy_str(name, sizeof(name), tag + MODULE_HDR_LEN, size - MODULE_HDR_LEN))
		p->warn("multiboot2: module name cut to '%s'", name);
	if (end < start) {
		p->warn("multiboot2: module '%s' ends (0x%x) before it starts (0x%x), ignored",
			name, end, start);
		return;
	}
	if (!strcmp(name, MB2_CONFIG_NAME))
		set_config(p, start, end);
	if (bi->file_count >= BOOT_MAX_FILES) {
		p->warn("multiboot2: more than %d modules, '%s' ignored", BOOT_MAX_FILES, name);
		return;
	}
	memcpy(bi->files[bi->file_count].name, name, sizeof(name));
	bi->files[bi->file_count].addr = start;
	bi->files[bi->file_count].size = end - start;
	bi->file_count++;
}

/* Sections 3.6.15/3.6.16: the tag carries a copy of the RSDP; the newer one wins. */
static void parse_rsdp(struct mb2_parser *p, const u8 *tag, u32 size, bool v2)
{
	u32 len = v2 ? MB2_RSDP_V2_LEN : MB2_RSDP_V1_LEN;

	if (size < TAG_HDR_LEN + len || memcmp(tag + TAG_HDR_LEN, "RSD PTR ", 8)) {
		p->warn("multiboot2: malformed ACPI %s RSDP tag ignored", v2 ? "new" : "old");
		return;
	}
	if (p->bi->rsdp && p->rsdp_is_v2 && !v2)
		return;
	memset(mb2_rsdp_copy, 0, sizeof(mb2_rsdp_copy));
	memcpy(mb2_rsdp_copy, tag + TAG_HDR_LEN, len);
	p->bi->rsdp = (hpa_t)(uintptr_t)mb2_rsdp_copy;
	p->rsdp_is_v2 = v2;
}

static void parse_rsdp_old(struct mb2_parser *p, const u8 *tag, u32 size)
{
	parse_rsdp(p, tag, size, false);
}

static void parse_rsdp_new(struct mb2_parser *p, const u8 *tag, u32 size)
{
	parse_rsdp(p, tag, size, true);
}

typedef void (*tag_fn)(struct mb2_parser *p, const u8 *tag, u32 size);

/* Tags not listed here (boot loader name, framebuffer, ELF sections, ...) are not needed. */
static const tag_fn tag_handlers[] = {
	[MB2_TAG_CMDLINE] = parse_cmdline,   [MB2_TAG_MODULE] = parse_module,
	[MB2_TAG_MEMINFO] = parse_meminfo,   [MB2_TAG_MMAP] = parse_mmap,
	[MB2_TAG_ACPI_OLD] = parse_rsdp_old, [MB2_TAG_ACPI_NEW] = parse_rsdp_new,
};

/* Section 3.6.1: tags follow the 8-byte header, each 8-byte aligned, up to an end tag. */
static void walk_tags(struct mb2_parser *p, const u8 *info, u32 total)
{
	u64 off = TAG_HDR_LEN;

	while (off + TAG_HDR_LEN <= total) {
		const u8 *tag = info + off;
		u32 type = rd32(tag), size = rd32(tag + 4);

		if (size < TAG_HDR_LEN || size > total - off) {
			p->warn("multiboot2: tag type %u at offset %llu claims %u bytes of %u, "
				"rest ignored",
				type, (unsigned long long)off, size, total);
			return;
		}
		if (type == MB2_TAG_END)
			return;
		if (type < ARRAY_SIZE(tag_handlers) && tag_handlers[type])
			tag_handlers[type](p, tag, size);
		off += ALIGN_UP((u64)size, 8);
	}
	p->warn("multiboot2: boot information has no end tag");
}

/* Section 3.6.3 fallback: lower memory from 0, upper memory from 1 MiB. */
static void meminfo_fallback(struct mb2_parser *p)
{
	p->warn("multiboot2: no memory map tag, using basic memory information");
	add_range(p, 0, (u64)p->mem_lower_kib * 1024, BOOT_MEM_USABLE);
	add_range(p, MiB, (u64)p->mem_upper_kib * 1024, BOOT_MEM_USABLE);
}

/* Replaces mmap[i] with the given pieces (at most three), keeping the order. */
static void replace_range(struct boot_info *bi, u32 i, const struct boot_mem_range *pieces, u32 n)
{
	memmove(&bi->mmap[i + n], &bi->mmap[i + 1], (bi->mmap_count - i - 1) * sizeof(bi->mmap[0]));
	memcpy(&bi->mmap[i], pieces, n * sizeof(pieces[0]));
	bi->mmap_count += n - 1;
}

/* Splits the usable RAM under [base, end) (rounded out to pages) into LOADED pieces. */
static void mark_loaded(struct mb2_parser *p, hpa_t base, hpa_t end)
{
	struct boot_info *bi = p->bi;

	base = ALIGN_DOWN(base, PAGE_SIZE);
	end = ALIGN_UP(end, PAGE_SIZE);
	for (u32 i = 0; i < bi->mmap_count; i++) {
		struct boot_mem_range *r = &bi->mmap[i], pieces[3];
		hpa_t rs = r->base, re = r->base + r->length;
		hpa_t lo = rs > base ? rs : base, hi = re < end ? re : end;
		u32 n = 0;

		if (r->type != BOOT_MEM_USABLE || lo >= hi)
			continue;
		if (rs < lo)
			pieces[n++] = (struct boot_mem_range){rs, lo - rs, BOOT_MEM_USABLE};
		pieces[n++] = (struct boot_mem_range){lo, hi - lo, BOOT_MEM_LOADED};
		if (hi < re)
			pieces[n++] = (struct boot_mem_range){hi, re - hi, BOOT_MEM_USABLE};
		if (bi->mmap_count + n - 1 > BOOT_MAX_MMAP) {
			p->warn("multiboot2: memory map full, range at 0x%llx kept whole as loaded",
				(unsigned long long)rs);
			r->type = BOOT_MEM_LOADED;
			continue;
		}
		replace_range(bi, i, pieces, n);
		i += n - 1;
	}
}

static void mark_all_loaded(struct mb2_parser *p, const struct mb2_input *in)
{
	struct boot_info *bi = p->bi;

	mark_loaded(p, in->image_start, in->image_end);
	for (u32 i = 0; i < bi->file_count; i++)
		mark_loaded(p, bi->files[i].addr, bi->files[i].addr + bi->files[i].size);
	if (bi->config_found)
		mark_loaded(p, bi->config_addr, bi->config_addr + bi->config_size);
}

static bool has_usable(const struct boot_info *bi)
{
	for (u32 i = 0; i < bi->mmap_count; i++)
		if (bi->mmap[i].type == BOOT_MEM_USABLE)
			return true;
	return false;
}

static void init_boot_info(struct boot_info *bi, const struct mb2_input *in)
{
	memset(bi, 0, sizeof(*bi));
	bi->firmware = BOOT_FW_MULTIBOOT2;
	bi->image_base = in->image_start;
	bi->image_size = in->image_end - in->image_start;
	memcpy(bi->config_path, "multiboot2 module '" MB2_CONFIG_NAME "'",
	       sizeof("multiboot2 module '" MB2_CONFIG_NAME "'"));
}

/* Section 3.6.1: u32 total_size (header and end tag included), u32 reserved. */
static int check_header(const struct mb2_input *in, u32 *total)
{
	if (!in->info || (uintptr_t)in->info % 8 || in->avail < 2 * TAG_HDR_LEN) {
		in->warn("multiboot2: boot information at %p is misplaced", in->info);
		return -EINVAL;
	}
	*total = rd32(in->info);
	if (*total < 2 * TAG_HDR_LEN || *total > in->avail) {
		in->warn("multiboot2: boot information total size %u is implausible", *total);
		return -EINVAL;
	}
	return 0;
}

int mb2_parse_info(struct boot_info *bi, const struct mb2_input *in)
{
	struct mb2_parser p = {.bi = bi, .warn = in->warn};
	u32 total;
	int err;

	init_boot_info(bi, in);
	err = check_header(in, &total);
	if (err)
		return err;
	walk_tags(&p, in->info, total);
	if (!p.have_mmap && p.have_meminfo)
		meminfo_fallback(&p);
	if (p.ranges_dropped)
		p.warn("multiboot2: %u memory ranges beyond %d dropped", p.ranges_dropped,
		       MMAP_COPY_LIMIT);
	mark_all_loaded(&p, in);
	if (!has_usable(bi)) {
		p.warn("multiboot2: no usable RAM described");
		return -ENOENT;
	}
	return 0;
}
