/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The multiboot2 boot-information parser (boot/multiboot2/mb2_tags.c) on
 * hand-built information structures, laid out as in the Multiboot2
 * Specification 2.0, section 3.6.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>

#include <hv/errno.h>

#include "../../boot/multiboot2/mb2.h"

#define IMAGE_START 0x200000ULL
#define IMAGE_END   0x214000ULL

/* ---- building boot information ------------------------------------------- */

struct mbi {
	u64 words[8192]; /* u64 keeps the structure 8-byte aligned */
	u32 len;
};

static u8 *mbi_bytes(struct mbi *m)
{
	return (u8 *)m->words;
}

static void mbi_init(struct mbi *m)
{
	memset(m, 0, sizeof(*m));
	m->len = 8;
}

static void put32(struct mbi *m, u32 off, u32 v)
{
	memcpy(mbi_bytes(m) + off, &v, 4);
}

/* Appends a tag of the given payload; size says what its size field claims (0: the real one). */
static void add_tag_sized(struct mbi *m, u32 type, const void *payload, u32 plen, u32 size)
{
	put32(m, m->len, type);
	put32(m, m->len + 4, size ? size : 8 + plen);
	if (plen)
		memcpy(mbi_bytes(m) + m->len + 8, payload, plen);
	m->len += (8 + plen + 7) & ~7U;
}

static void add_tag(struct mbi *m, u32 type, const void *payload, u32 plen)
{
	add_tag_sized(m, type, payload, plen, 0);
}

static void mbi_finish_no_end(struct mbi *m)
{
	put32(m, 0, m->len);
}

static void mbi_finish(struct mbi *m)
{
	add_tag(m, MB2_TAG_END, NULL, 0);
	mbi_finish_no_end(m);
}

struct e820 {
	u64 base, len;
	u32 type;
};

static void add_mmap(struct mbi *m, const struct e820 *e, u32 n)
{
	static u8 p[8 + 24 * 600];
	u32 esz = 24, ver = 0;

	memset(p, 0, sizeof(p));
	memcpy(p, &esz, 4);
	memcpy(p + 4, &ver, 4);
	for (u32 i = 0; i < n; i++) {
		memcpy(p + 8 + 24 * i, &e[i].base, 8);
		memcpy(p + 8 + 24 * i + 8, &e[i].len, 8);
		memcpy(p + 8 + 24 * i + 16, &e[i].type, 4);
	}
	add_tag(m, MB2_TAG_MMAP, p, 8 + 24 * n);
}

static void add_module(struct mbi *m, u32 start, u32 end, const char *name)
{
	u8 p[512];
	size_t n = strlen(name) + 1;

	memcpy(p, &start, 4);
	memcpy(p + 4, &end, 4);
	memcpy(p + 8, name, n);
	add_tag(m, MB2_TAG_MODULE, p, 8 + (u32)n);
}

static void add_string(struct mbi *m, u32 type, const char *s)
{
	add_tag(m, type, s, (u32)strlen(s) + 1);
}

/* An RSDP of the given revision: signature, checksum (unchecked here), OEM id, revision. */
static void make_rsdp(u8 *r, u8 rev)
{
	memset(r, 0, MB2_RSDP_V2_LEN);
	memcpy(r, "RSD PTR ", 8);
	memcpy(r + 9, "BXPC  ", 6);
	r[15] = rev;
	r[16] = rev == 0 ? 0x10 : 0x20; /* RSDT address, to tell the copies apart */
}

/* ---- running the parser ---------------------------------------------------- */

static int n_warnings;
static char last_warning[512];

static void record_warning(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(last_warning, sizeof(last_warning), fmt, ap);
	va_end(ap);
	n_warnings++;
}

static struct boot_info bi;

static int parse_avail(const void *info, u64 avail)
{
	const struct mb2_input in = {
		.info = info,
		.avail = avail,
		.image_start = IMAGE_START,
		.image_end = IMAGE_END,
		.warn = record_warning,
	};

	n_warnings = 0;
	last_warning[0] = '\0';
	return mb2_parse_info(&bi, &in);
}

static int parse(struct mbi *m)
{
	return parse_avail(m->words, sizeof(m->words));
}

static void expect_range(u32 i, u64 base, u64 len, u32 type)
{
	assert_true(i < bi.mmap_count);
	assert_int_equal(bi.mmap[i].base, base);
	assert_int_equal(bi.mmap[i].length, len);
	assert_int_equal(bi.mmap[i].type, type);
}

static u64 bytes_of(u32 type)
{
	u64 sum = 0;

	for (u32 i = 0; i < bi.mmap_count; i++)
		if (bi.mmap[i].type == type)
			sum += bi.mmap[i].length;
	return sum;
}

static const struct e820 simple_map[] = {
	{0x0, 0x9fc00, 1},
	{0x100000, 0x1ff00000, 1},
};

/* ---- tests ---------------------------------------------------------------- */

static void test_all_tags(void **state)
{
	static const struct e820 map[] = {
		{0x0, 0x9fc00, 1},	   {0x9fc00, 0x400, 2},	      {0xf0000, 0x10000, 2},
		{0x100000, 0x1fee0000, 1}, {0x1ffe0000, 0x10000, 3},  {0x1fff0000, 0x8000, 4},
		{0x1fff8000, 0x8000, 5},   {0xfffc0000, 0x40000, 12},
	};
	u8 v1[MB2_RSDP_V2_LEN], v2[MB2_RSDP_V2_LEN];
	u32 meminfo[2] = {639, 523200};
	struct mbi m;

	make_rsdp(v1, 0);
	make_rsdp(v2, 2);
	mbi_init(&m);
	add_string(&m, MB2_TAG_CMDLINE, "test_exit loglevel=3");
	add_string(&m, 2, "GRUB 2.06"); /* boot loader name: not needed, skipped */
	add_tag(&m, MB2_TAG_MEMINFO, meminfo, sizeof(meminfo));
	add_tag(&m, MB2_TAG_ACPI_NEW, v2, MB2_RSDP_V2_LEN);
	add_module(&m, 0x300000, 0x300100, "bulkhead.cfg");
	add_module(&m, 0x301000, 0x309000, "guests/hello.elf");
	add_mmap(&m, map, ARRAY_SIZE(map));
	add_tag(&m, MB2_TAG_ACPI_OLD, v1, MB2_RSDP_V1_LEN); /* after the new one: must not win */
	mbi_finish(&m);

	assert_int_equal(parse(&m), 0);
	assert_int_equal(n_warnings, 0);
	assert_int_equal(bi.firmware, BOOT_FW_MULTIBOOT2);
	assert_string_equal(bi.cmdline, "test_exit loglevel=3");
	assert_int_equal(bi.image_base, IMAGE_START);
	assert_int_equal(bi.image_size, IMAGE_END - IMAGE_START);

	/* The RSDP is a copy outside the info structure, of the new one. */
	assert_true(bi.rsdp != 0);
	assert_true((u8 *)(uintptr_t)bi.rsdp < mbi_bytes(&m) ||
		    (u8 *)(uintptr_t)bi.rsdp >= mbi_bytes(&m) + sizeof(m.words));
	assert_memory_equal((void *)(uintptr_t)bi.rsdp, v2, MB2_RSDP_V2_LEN);

	assert_int_equal(bi.file_count, 2);
	assert_string_equal(bi.files[0].name, "bulkhead.cfg");
	assert_string_equal(bi.files[1].name, "guests/hello.elf");
	assert_int_equal(bi.files[1].addr, 0x301000);
	assert_int_equal(bi.files[1].size, 0x8000);
	assert_true(bi.config_found);
	assert_int_equal(bi.config_addr, 0x300000);
	assert_int_equal(bi.config_size, 0x100);
	assert_string_equal(bi.config_path, "multiboot2 module 'bulkhead.cfg'");

	/* E820 types translated; the image and modules carved out of usable RAM. */
	expect_range(0, 0x0, 0x9fc00, BOOT_MEM_USABLE);
	expect_range(1, 0x9fc00, 0x400, BOOT_MEM_RESERVED);
	expect_range(2, 0xf0000, 0x10000, BOOT_MEM_RESERVED);
	expect_range(3, 0x100000, 0x100000, BOOT_MEM_USABLE);
	expect_range(4, IMAGE_START, IMAGE_END - IMAGE_START, BOOT_MEM_LOADED);
	expect_range(5, IMAGE_END, 0x300000 - IMAGE_END, BOOT_MEM_USABLE);
	expect_range(6, 0x300000, 0x1000, BOOT_MEM_LOADED);
	expect_range(7, 0x301000, 0x8000, BOOT_MEM_LOADED);
	expect_range(8, 0x309000, 0x1ffe0000 - 0x309000, BOOT_MEM_USABLE);
	expect_range(9, 0x1ffe0000, 0x10000, BOOT_MEM_ACPI_RECLAIM);
	expect_range(10, 0x1fff0000, 0x8000, BOOT_MEM_ACPI_NVS);
	expect_range(11, 0x1fff8000, 0x8000, BOOT_MEM_UNUSABLE);
	expect_range(12, 0xfffc0000, 0x40000, BOOT_MEM_RESERVED);
	assert_int_equal(bi.mmap_count, 13);
}

static void test_old_rsdp_only(void **state)
{
	u8 v1[MB2_RSDP_V2_LEN];
	struct mbi m;

	make_rsdp(v1, 0);
	mbi_init(&m);
	add_mmap(&m, simple_map, ARRAY_SIZE(simple_map));
	add_tag(&m, MB2_TAG_ACPI_OLD, v1, MB2_RSDP_V1_LEN);
	mbi_finish(&m);
	assert_int_equal(parse(&m), 0);
	assert_memory_equal((void *)(uintptr_t)bi.rsdp, v1, MB2_RSDP_V1_LEN);
	assert_string_equal(bi.cmdline, "");
}

static void test_bad_rsdp_ignored(void **state)
{
	u8 v2[MB2_RSDP_V2_LEN];
	struct mbi m;

	make_rsdp(v2, 2);
	v2[0] = 'X';
	mbi_init(&m);
	add_mmap(&m, simple_map, ARRAY_SIZE(simple_map));
	add_tag(&m, MB2_TAG_ACPI_NEW, v2, MB2_RSDP_V2_LEN);
	add_tag(&m, MB2_TAG_ACPI_NEW, v2, 20); /* too short for a revision 2 RSDP */
	mbi_finish(&m);
	assert_int_equal(parse(&m), 0);
	assert_int_equal(bi.rsdp, 0);
	assert_int_equal(n_warnings, 2);
}

static void test_bad_header(void **state)
{
	struct mbi m;

	mbi_init(&m);
	add_mmap(&m, simple_map, ARRAY_SIZE(simple_map));
	mbi_finish(&m);

	/* total_size beyond what may be read */
	assert_int_equal(parse_avail(m.words, m.len - 8), -EINVAL);
	assert_int_equal(n_warnings, 1);
	/* misaligned structure */
	assert_int_equal(parse_avail(mbi_bytes(&m) + 4, sizeof(m.words) - 4), -EINVAL);
	/* no structure at all */
	assert_int_equal(parse_avail(NULL, 4096), -EINVAL);
	/* total_size too small to hold an end tag */
	put32(&m, 0, 8);
	assert_int_equal(parse(&m), -EINVAL);
	/* the boot_info is still sane: image and config path known, nothing else */
	assert_int_equal(bi.firmware, BOOT_FW_MULTIBOOT2);
	assert_int_equal(bi.mmap_count, 0);
	assert_false(bi.config_found);
}

static void test_truncated_tag(void **state)
{
	struct mbi m;

	mbi_init(&m);
	add_mmap(&m, simple_map, ARRAY_SIZE(simple_map));
	add_string(&m, MB2_TAG_CMDLINE, "loglevel=3");
	/* claims 4 KiB, but the structure ends right after its 16 bytes */
	add_tag_sized(&m, MB2_TAG_MODULE, "\0\0\x30\0\0\0\x31\0", 8, 4096);
	mbi_finish_no_end(&m);

	assert_int_equal(parse(&m), 0);
	assert_int_equal(n_warnings, 1);
	assert_non_null(strstr(last_warning, "claims 4096 bytes"));
	assert_int_equal(bi.file_count, 0);
	assert_string_equal(bi.cmdline, "loglevel=3"); /* the tags before it count */
}

static void test_tag_smaller_than_header(void **state)
{
	struct mbi m;

	mbi_init(&m);
	add_mmap(&m, simple_map, ARRAY_SIZE(simple_map));
	add_tag_sized(&m, MB2_TAG_CMDLINE, "abcdefgh", 8, 4); /* size 4 < 8 */
	add_string(&m, MB2_TAG_CMDLINE, "never read");
	mbi_finish(&m);

	assert_int_equal(parse(&m), 0);
	assert_int_equal(n_warnings, 1);
	assert_string_equal(bi.cmdline, "");
}

static void test_missing_end_tag(void **state)
{
	struct mbi m;

	mbi_init(&m);
	add_mmap(&m, simple_map, ARRAY_SIZE(simple_map));
	mbi_finish_no_end(&m);
	assert_int_equal(parse(&m), 0);
	assert_int_equal(n_warnings, 1);
	assert_non_null(strstr(last_warning, "no end tag"));
}

static void test_oversized_strings(void **state)
{
	char long_cmd[400], long_name[300];
	struct mbi m;

	memset(long_cmd, 'c', sizeof(long_cmd) - 1);
	long_cmd[sizeof(long_cmd) - 1] = '\0';
	memset(long_name, 'n', sizeof(long_name) - 1);
	long_name[sizeof(long_name) - 1] = '\0';
	mbi_init(&m);
	add_mmap(&m, simple_map, ARRAY_SIZE(simple_map));
	add_string(&m, MB2_TAG_CMDLINE, long_cmd);
	add_module(&m, 0x400000, 0x401000, long_name);
	/* a command line without its NUL: the tag ends first */
	add_tag(&m, MB2_TAG_CMDLINE, "unterminated", 12);
	mbi_finish(&m);

	assert_int_equal(parse(&m), 0);
	assert_int_equal(n_warnings, 3);
	assert_string_equal(bi.cmdline, "unterminated");
	assert_int_equal(strlen(bi.files[0].name), BOOT_NAME_MAX - 1);
	assert_int_equal(bi.file_count, 1);
}

static void test_no_mmap_uses_meminfo(void **state)
{
	u32 meminfo[2] = {639, 130048}; /* KiB below 640 KiB and above 1 MiB */
	struct mbi m;

	mbi_init(&m);
	add_tag(&m, MB2_TAG_MEMINFO, meminfo, sizeof(meminfo));
	mbi_finish(&m);

	assert_int_equal(parse(&m), 0);
	assert_int_equal(n_warnings, 1);
	expect_range(0, 0, 639 * 1024, BOOT_MEM_USABLE);
	expect_range(1, 0x100000, IMAGE_START - 0x100000, BOOT_MEM_USABLE);
	expect_range(2, IMAGE_START, IMAGE_END - IMAGE_START, BOOT_MEM_LOADED);
	expect_range(3, IMAGE_END, 0x100000 + 130048 * 1024ULL - IMAGE_END, BOOT_MEM_USABLE);
	assert_int_equal(bi.mmap_count, 4);
}

static void test_no_memory_information(void **state)
{
	struct mbi m;

	mbi_init(&m);
	add_string(&m, MB2_TAG_CMDLINE, "x");
	mbi_finish(&m);
	assert_int_equal(parse(&m), -ENOENT);
	assert_non_null(strstr(last_warning, "no usable RAM"));
}

static void test_bad_mmap_entry_size(void **state)
{
	u32 p[2 + 6] = {20, 0}; /* entry size 20 < 24 */
	struct mbi m;

	mbi_init(&m);
	add_tag(&m, MB2_TAG_MMAP, p, sizeof(p));
	mbi_finish(&m);
	assert_int_equal(parse(&m), -ENOENT);
	assert_int_equal(n_warnings, 2);
}

static void test_mmap_skips_empty_and_wrapping(void **state)
{
	static const struct e820 map[] = {
		{0x100000, 0x1000000, 1},
		{0x5000000, 0, 1},
		{0xfffffffffffff000ULL, 0x2000, 2},
	};
	struct mbi m;

	mbi_init(&m);
	add_mmap(&m, map, ARRAY_SIZE(map));
	mbi_finish(&m);
	assert_int_equal(parse(&m), 0);
	assert_int_equal(n_warnings, 1);
	assert_int_equal(bi.mmap_count, 3); /* the first one, split around the image */
}

static void test_config_module(void **state)
{
	struct mbi m;

	mbi_init(&m);
	add_mmap(&m, simple_map, ARRAY_SIZE(simple_map));
	add_module(&m, 0x400000, 0x401000, "guests/a.elf");
	add_module(&m, 0x402000, 0x402040, "bulkhead.cfg");
	add_module(&m, 0x403000, 0x403040, "bulkhead.cfg");
	add_module(&m, 0x404000, 0x404040, "bulkhead.cfg.old");
	mbi_finish(&m);

	assert_int_equal(parse(&m), 0);
	assert_int_equal(n_warnings, 1); /* the second bulkhead.cfg */
	assert_true(bi.config_found);
	assert_int_equal(bi.config_addr, 0x402000);
	assert_int_equal(bi.config_size, 0x40);
	assert_int_equal(bi.file_count, 4);
}

static void test_no_config_module(void **state)
{
	struct mbi m;

	mbi_init(&m);
	add_mmap(&m, simple_map, ARRAY_SIZE(simple_map));
	add_module(&m, 0x400000, 0x401000, "guests/a.elf");
	mbi_finish(&m);

	assert_int_equal(parse(&m), 0);
	assert_false(bi.config_found);
	assert_string_equal(bi.config_path, "multiboot2 module 'bulkhead.cfg'");
}

static void test_module_end_before_start(void **state)
{
	struct mbi m;

	mbi_init(&m);
	add_mmap(&m, simple_map, ARRAY_SIZE(simple_map));
	add_module(&m, 0x401000, 0x400000, "bulkhead.cfg");
	mbi_finish(&m);

	assert_int_equal(parse(&m), 0);
	assert_int_equal(n_warnings, 1);
	assert_int_equal(bi.file_count, 0);
	assert_false(bi.config_found);
}

static void test_too_many_modules(void **state)
{
	const u32 n = BOOT_MAX_FILES + 8;
	struct mbi m;
	char name[32];

	mbi_init(&m);
	add_mmap(&m, simple_map, ARRAY_SIZE(simple_map));
	for (u32 i = 0; i < n; i++) {
		snprintf(name, sizeof(name), "guests/m%u", i);
		add_module(&m, 0x1000000 + i * 0x2000, 0x1000000 + i * 0x2000 + 0x1000, name);
	}
	/* the configuration comes last: found even though files[] is full */
	add_module(&m, 0x2000000, 0x2000010, "bulkhead.cfg");
	mbi_finish(&m);

	assert_int_equal(parse(&m), 0);
	assert_int_equal(bi.file_count, BOOT_MAX_FILES);
	assert_int_equal(n_warnings, n + 1 - BOOT_MAX_FILES);
	assert_string_equal(bi.files[BOOT_MAX_FILES - 1].name, "guests/m31");
	assert_true(bi.config_found);
	assert_int_equal(bi.config_addr, 0x2000000);
	/* the image, 32 kept modules and the configuration are loaded; dropped ones are free */
	assert_int_equal(bytes_of(BOOT_MEM_LOADED),
			 (IMAGE_END - IMAGE_START) + BOOT_MAX_FILES * 0x1000ULL + 0x1000);
}

static void test_overlapping_modules_split(void **state)
{
	static const struct e820 map[] = {
		{0x0, 0x9f000, 1},
		{0x100000, 0x1ff00000, 1}, /* usable up to 512 MiB */
		{0x20000000, 0x100000, 2},
	};
	u64 usable_before = 0x9f000 + 0x1ff00000;
	struct mbi m;

	mbi_init(&m);
	add_mmap(&m, map, ARRAY_SIZE(map));
	/* two modules sharing one page, one inside the image, one across the end of RAM */
	add_module(&m, 0x400000, 0x400800, "a");
	add_module(&m, 0x400800, 0x401000, "b");
	add_module(&m, 0x204000, 0x205000, "inside-image");
	add_module(&m, 0x1ffff000, 0x20001000, "across-end");
	add_module(&m, 0x500000, 0x500000, "empty");
	mbi_finish(&m);

	assert_int_equal(parse(&m), 0);
	assert_int_equal(n_warnings, 0);
	expect_range(0, 0x0, 0x9f000, BOOT_MEM_USABLE);
	expect_range(1, 0x100000, 0x100000, BOOT_MEM_USABLE);
	expect_range(2, IMAGE_START, IMAGE_END - IMAGE_START, BOOT_MEM_LOADED);
	expect_range(3, IMAGE_END, 0x400000 - IMAGE_END, BOOT_MEM_USABLE);
	expect_range(4, 0x400000, 0x1000, BOOT_MEM_LOADED);
	expect_range(5, 0x401000, 0x1ffff000 - 0x401000, BOOT_MEM_USABLE);
	expect_range(6, 0x1ffff000, 0x1000, BOOT_MEM_LOADED);
	expect_range(7, 0x20000000, 0x100000, BOOT_MEM_RESERVED);
	assert_int_equal(bi.mmap_count, 8);
	/* nothing lost or invented: every usable byte is now usable or loaded */
	assert_int_equal(bytes_of(BOOT_MEM_USABLE) + bytes_of(BOOT_MEM_LOADED), usable_before);
}

static void test_huge_memory_map(void **state)
{
	static struct e820 map[600];
	struct mbi m;

	for (u32 i = 0; i < ARRAY_SIZE(map); i++)
		map[i] = (struct e820){0x100000ULL * (i + 1), 0x80000, i % 2 ? 2 : 1};
	mbi_init(&m);
	add_mmap(&m, map, ARRAY_SIZE(map));
	add_module(&m, 0x300000, 0x301000, "bulkhead.cfg");
	mbi_finish(&m);

	assert_int_equal(parse(&m), 0);
	assert_int_equal(n_warnings, 1); /* ranges dropped */
	assert_true(bi.mmap_count <= BOOT_MAX_MMAP);
	/* the image lies in a reserved range here; the configuration's page is carved out */
	assert_int_equal(bytes_of(BOOT_MEM_LOADED), 0x1000);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_all_tags),
		cmocka_unit_test(test_old_rsdp_only),
		cmocka_unit_test(test_bad_rsdp_ignored),
		cmocka_unit_test(test_bad_header),
		cmocka_unit_test(test_truncated_tag),
		cmocka_unit_test(test_tag_smaller_than_header),
		cmocka_unit_test(test_missing_end_tag),
		cmocka_unit_test(test_oversized_strings),
		cmocka_unit_test(test_no_mmap_uses_meminfo),
		cmocka_unit_test(test_no_memory_information),
		cmocka_unit_test(test_bad_mmap_entry_size),
		cmocka_unit_test(test_mmap_skips_empty_and_wrapping),
		cmocka_unit_test(test_config_module),
		cmocka_unit_test(test_no_config_module),
		cmocka_unit_test(test_module_end_before_start),
		cmocka_unit_test(test_too_many_modules),
		cmocka_unit_test(test_overlapping_modules_split),
		cmocka_unit_test(test_huge_memory_map),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
