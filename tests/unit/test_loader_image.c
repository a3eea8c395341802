/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The image loaders on hand-built images: multiboot (ELF32, ELF64, a.out
 * kludge), plain ELF and raw, good and malformed, and the multiboot
 * information structure for a given layout and module list.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include <hv/errno.h>
#include <hv/loader.h>

#define MB_MAGIC   0x1BADB002u
#define MB_HDR_OFF 0x180 /* where the builder puts the multiboot header */
#define DATA_OFF   0x200 /* where the builder puts segment bytes */
#define LOW_END	   0x9fc00ULL
#define MEM_END	   (16ULL << 20)
#define FILL	   0xaa

/* Guest memory: [0, 640 KiB) and [1 MiB, 16 MiB), like a small PC. */
static uint8_t *low, *high;
static struct guest_mem mem;
static const struct loader_map_entry pc_map[] = {
	{0, LOW_END, LOADER_MEM_RAM},
	{LOW_END, 0xa0000 - LOW_END, LOADER_MEM_RESERVED},
	{0xf0000, 0x10000, LOADER_MEM_RESERVED},
	{0x100000, MEM_END - 0x100000, LOADER_MEM_RAM},
};

static uint8_t image[0x4000];
static struct loader_image img;
static struct loader_start st;
static char err[LOADER_ERR_MAX];

struct tseg {
	uint64_t paddr, vaddr, filesz, memsz;
};

static int setup(void **state)
{
	low = malloc(0xa0000);
	high = malloc(MEM_END - 0x100000);
	memset(low, FILL, 0xa0000);
	memset(high, FILL, MEM_END - 0x100000);
	guest_mem_init(&mem);
	guest_mem_add(&mem, 0, low, 0xa0000);
	guest_mem_add(&mem, 0x100000, high, MEM_END - 0x100000);
	memset(image, 0, sizeof(image));
	memset(&img, 0, sizeof(img));
	img.data = image;
	img.path = "/guests/k.elf";
	img.map = pc_map;
	img.map_count = 4;
	return 0;
}

static int teardown(void **state)
{
	free(low);
	free(high);
	return 0;
}

static uint8_t *gmem(uint64_t gpa)
{
	return gpa >= 0x100000 ? high + (gpa - 0x100000) : low + gpa;
}

static uint32_t g32(uint64_t gpa)
{
	uint32_t v;

	memcpy(&v, gmem(gpa), 4);
	return v;
}

static void put16(size_t off, uint16_t v)
{
	memcpy(image + off, &v, 2);
}

static void put32(size_t off, uint32_t v)
{
	memcpy(image + off, &v, 4);
}

static void put64(size_t off, uint64_t v)
{
	memcpy(image + off, &v, 8);
}

static void put_mb_header(size_t off, uint32_t flags)
{
	put32(off, MB_MAGIC);
	put32(off + 4, flags);
	put32(off + 8, -(MB_MAGIC + flags));
}

/* An executable with n PT_LOAD segments; segment i's bytes are (i + 1) * 0x10 + j. */
static void build_elf(int is64, uint64_t entry, const struct tseg *s, int n)
{
	size_t phsz = is64 ? 56 : 32, ph = is64 ? 64 : 52, data = DATA_OFF;

	memcpy(image, "\177ELF", 4);
	image[4] = is64 ? 2 : 1;
	image[5] = 1;
	image[6] = 1;
	put16(16, 2);
	put16(18, is64 ? 62 : 3);
	put32(20, 1);
	if (is64) {
		put64(24, entry);
		put64(32, ph);
		put16(52, 64);
		put16(54, 56);
		put16(56, (uint16_t)n);
	} else {
		put32(24, (uint32_t)entry);
		put32(28, (uint32_t)ph);
		put16(40, 52);
		put16(42, 32);
		put16(44, (uint16_t)n);
	}
	for (int i = 0; i < n; i++, ph += phsz) {
		put32(ph, 1);
		if (is64) {
			put64(ph + 8, data);
			put64(ph + 16, s[i].vaddr);
			put64(ph + 24, s[i].paddr);
			put64(ph + 32, s[i].filesz);
			put64(ph + 40, s[i].memsz);
		} else {
			put32(ph + 4, (uint32_t)data);
			put32(ph + 8, (uint32_t)s[i].vaddr);
			put32(ph + 12, (uint32_t)s[i].paddr);
			put32(ph + 16, (uint32_t)s[i].filesz);
			put32(ph + 20, (uint32_t)s[i].memsz);
		}
		for (uint64_t j = 0; j < s[i].filesz && data + j < sizeof(image); j++)
			image[data + j] = (uint8_t)((i + 1) * 0x10 + j);
		data += s[i].filesz;
	}
	img.size = data > DATA_OFF ? data : DATA_OFF;
}

static const struct tseg one_seg[] = {{0x100000, 0x100000, 0x300, 0x2000}};

static void build_mb_elf32(void)
{
	build_elf(0, 0x100010, one_seg, 1);
	put_mb_header(MB_HDR_OFF, 0x3);
}

static int load_mb(void)
{
	return loader_load(LOADER_FORMAT_MULTIBOOT, &img, &mem, &st, err);
}

/* ---- multiboot: good images -------------------------------------------------- */

static void test_mb_elf32_loads(void **state)
{
	build_mb_elf32();
	assert_int_equal(load_mb(), 0);
	assert_string_equal(err, "");
	assert_int_equal(st.mode, LOADER_MODE_PROT32);
	assert_int_equal(st.eip, 0x100010);
	assert_int_equal(st.eax, 0x2BADB002);
	assert_int_equal(st.ebx, st.info_addr);
	assert_int_equal(st.image_start, 0x100000);
	assert_int_equal(st.image_end, 0x102000);
	assert_int_equal(gmem(0x100000)[0], 0x10);
	assert_int_equal(gmem(0x1002ff)[0], (uint8_t)(0x10 + 0x2ff));
	for (uint64_t a = 0x100300; a < 0x102000; a++)
		assert_int_equal(gmem(a)[0], 0); /* bss zeroed */
	assert_int_equal(gmem(0x0)[0], FILL);	 /* low memory untouched */
	assert_true(st.info_addr >= 0x102000);
	assert_int_equal(st.info_addr % 4096, 0);
}

static void test_mb_info_fields(void **state)
{
	uint32_t mbi, mmap;

	build_mb_elf32();
	img.cmdline = "a=1 b";
	assert_int_equal(load_mb(), 0);
	mbi = st.info_addr;
	assert_int_equal(g32(mbi), (1u << 0) | (1u << 2) | (1u << 3) | (1u << 6) | (1u << 9));
	assert_int_equal(g32(mbi + 4), 639);			/* mem_lower, KiB */
	assert_int_equal(g32(mbi + 8), (MEM_END >> 10) - 1024); /* mem_upper, KiB */
	assert_string_equal((char *)gmem(g32(mbi + 16)), "/guests/k.elf a=1 b");
	assert_int_equal(g32(mbi + 20), 0);
	assert_string_equal((char *)gmem(g32(mbi + 64)), "Bulkhead");
	assert_int_equal(g32(mbi + 44), 4 * 24);
	mmap = g32(mbi + 48);
	for (int i = 0; i < 4; i++, mmap += 24) {
		uint64_t base, len;

		memcpy(&base, gmem(mmap + 4), 8);
		memcpy(&len, gmem(mmap + 12), 8);
		assert_int_equal(g32(mmap), 20);
		assert_int_equal(base, pc_map[i].base);
		assert_int_equal(len, pc_map[i].size);
		assert_int_equal(g32(mmap + 20), pc_map[i].type);
	}
	assert_int_equal(g32(mbi + 12), 0); /* boot_device not given */
	assert_int_equal(g32(mbi + 28), 0); /* no symbols */
}

/* QEMU builds "path cmdline", so an empty command line still leaves the space. */
static void test_mb_cmdline_without_args(void **state)
{
	build_mb_elf32();
	assert_int_equal(load_mb(), 0);
	assert_string_equal((char *)gmem(g32(st.info_addr + 16)), "/guests/k.elf ");
}

static void test_mb_modules(void **state)
{
	static const uint8_t m1[5000] = {1, 2, 3}, m2[3] = {9, 8, 7};
	const struct loader_module mods[] = {
		{m1, sizeof(m1), "m1 args"},
		{m2, sizeof(m2), NULL},
		{NULL, 0, "empty"},
	};
	uint32_t list, prev_end;

	build_mb_elf32();
	img.modules = mods;
	img.module_count = 3;
	assert_int_equal(load_mb(), 0);
	assert_int_equal(g32(st.info_addr + 20), 3);
	list = g32(st.info_addr + 24);
	prev_end = (uint32_t)st.image_end;
	for (int i = 0; i < 3; i++, list += 16) {
		uint32_t start = g32(list), end = g32(list + 4);

		assert_int_equal(start % 4096, 0);
		assert_int_equal(end - start, mods[i].size);
		assert_true(start >= prev_end); /* in order, after the kernel */
		assert_true(start >= st.info_addr + 4096 || start + 1 <= st.info_addr);
		assert_memory_equal(gmem(start), mods[i].data ? mods[i].data : (const void *)"",
				    mods[i].size);
		prev_end = end > start ? end : start + 1;
		assert_true(end <= st.used_end);
	}
	list = g32(st.info_addr + 24);
	assert_string_equal((char *)gmem(g32(list + 8)), "m1 args");
	assert_string_equal((char *)gmem(g32(list + 24)), "");
	assert_string_equal((char *)gmem(g32(list + 40)), "empty");
	assert_int_equal(st.used_end % 4096, 0);
}

/* Modules skip a hole in the map and never land in reserved memory. */
static void test_mb_modules_skip_hole(void **state)
{
	static uint8_t big[0x300000];
	const struct loader_map_entry map[] = {
		{0, LOW_END, LOADER_MEM_RAM},
		{0x100000, 0x200000, LOADER_MEM_RAM},
		{0x300000, 0x100000, LOADER_MEM_RESERVED},
		{0x400000, MEM_END - 0x400000, LOADER_MEM_RAM},
	};
	const struct loader_module mods[] = {{big, sizeof(big), "big"}};

	big[0] = 0x42;
	build_mb_elf32();
	img.map = map;
	img.map_count = 4;
	img.modules = mods;
	img.module_count = 1;
	assert_int_equal(load_mb(), 0);
	assert_int_equal(g32(g32(st.info_addr + 24)), 0x400000);
	assert_int_equal(gmem(0x400000)[0], 0x42);
	assert_int_equal(g32(st.info_addr + 8), 2048); /* mem_upper stops at the hole */
}

static void test_mb_module_too_big(void **state)
{
	static uint8_t big[1];
	const struct loader_module mods[] = {{big, MEM_END, "huge"}};

	build_mb_elf32();
	img.modules = mods;
	img.module_count = 1;
	assert_int_equal(load_mb(), -ENOMEM);
	assert_non_null(strstr(err, "module 0"));
}

static void test_mb_absurd_module_and_map_counts(void **state)
{
	build_mb_elf32();
	img.module_count = LOADER_MAX_MODULES + 1;
	img.modules = (const struct loader_module *)image; /* never read */
	assert_int_equal(load_mb(), -E2BIG);
	img.module_count = 0;
	img.map_count = LOADER_MAX_MAP + 1;
	assert_int_equal(load_mb(), -E2BIG);
	img.map_count = 0;
	assert_int_equal(load_mb(), -E2BIG);
}

/* A higher-half ELF64 kernel: loaded at p_paddr, entry translated to physical. */
static void test_mb_elf64_translates_entry(void **state)
{
	const struct tseg s[] = {
		{0x200000, 0xffffffff80200000ULL, 0x100, 0x100},
		{0x201000, 0xffffffff80201000ULL, 0x80, 0x1000},
	};

	build_elf(1, 0xffffffff80200040ULL, s, 2);
	put_mb_header(MB_HDR_OFF, 0x2);
	assert_int_equal(load_mb(), 0);
	assert_int_equal(st.eip, 0x200040);
	assert_int_equal(gmem(0x201000)[0], 0x20);
	assert_int_equal(st.image_end, 0x202000);
}

/* The a.out kludge: a flat binary that names its own addresses (flags bit 16). */
static void test_mb_aout_kludge(void **state)
{
	size_t h = 0x40;

	memset(image, 0x90, 0x1000);
	put_mb_header(h, 0x10003);
	put32(h + 12, 0x100040); /* header_addr */
	put32(h + 16, 0x100000); /* load_addr */
	put32(h + 20, 0x100800); /* load_end_addr */
	put32(h + 24, 0x104000); /* bss_end_addr */
	put32(h + 28, 0x100080); /* entry_addr */
	img.size = 0x1000;
	assert_int_equal(load_mb(), 0);
	assert_int_equal(st.eip, 0x100080);
	assert_int_equal(gmem(0x1007ff)[0], 0x90);
	assert_int_equal(gmem(0x100800)[0], 0);
	assert_int_equal(gmem(0x103fff)[0], 0);
	assert_int_equal(st.image_end, 0x104000);
	assert_true(st.info_addr >= 0x104000);
}

static void test_mb_aout_to_end_of_file(void **state)
{
	size_t h = 0x10;

	memset(image, 0xcc, 0x600);
	put_mb_header(h, 0x10000);
	put32(h + 12, 0x100010);
	put32(h + 16, 0x100000);
	put32(h + 20, 0);
	put32(h + 24, 0);
	put32(h + 28, 0x100000);
	img.size = 0x600;
	assert_int_equal(load_mb(), 0);
	assert_int_equal(st.image_end, 0x100600);
	assert_int_equal(gmem(0x1005ff)[0], 0xcc);
}

/* ---- multiboot: malformed images ------------------------------------------------ */

#define EXPECT_FAIL(rc_expected, substring)                                                        \
	do {                                                                                       \
		assert_int_equal(load_mb(), (rc_expected));                                        \
		assert_non_null(strstr(err, (substring)));                                         \
	} while (0)

static void test_mb_no_header(void **state)
{
	build_elf(0, 0x100010, one_seg, 1);
	EXPECT_FAIL(-EINVAL, "no multiboot header");
	put32(MB_HDR_OFF, MB_MAGIC); /* bad checksum */
	EXPECT_FAIL(-EINVAL, "no multiboot header");
}

static void test_mb_header_beyond_8k(void **state)
{
	build_elf(0, 0x100010, one_seg, 1);
	put_mb_header(0x2000, 0);
	img.size = 0x3000;
	EXPECT_FAIL(-EINVAL, "no multiboot header");
	put_mb_header(0x1ff4, 0); /* the last place it may be */
	assert_int_equal(loader_multiboot_find(image, img.size), 0x1ff4);
}

static void test_mb_unknown_requirement(void **state)
{
	build_mb_elf32();
	put_mb_header(MB_HDR_OFF, 0x23);
	EXPECT_FAIL(-ENOTSUP, "unknown features 0x20");
}

static void test_mb_truncated_elf_header(void **state)
{
	build_mb_elf32();
	memmove(image + 0x20, image + MB_HDR_OFF, 12);
	img.size = 0x2c; /* the multiboot header, but not a whole ELF header */
	EXPECT_FAIL(-EINVAL, "truncated ELF header");
}

static void test_mb_truncated_phdrs(void **state)
{
	build_mb_elf32();
	put32(28, 0x3ff0); /* e_phoff near the end */
	EXPECT_FAIL(-EINVAL, "truncated");
	build_mb_elf32();
	put16(42, 16); /* e_phentsize too small */
	EXPECT_FAIL(-EINVAL, "program header size");
}

static void test_mb_absurd_phnum(void **state)
{
	build_mb_elf32();
	put16(44, 0xffff);
	EXPECT_FAIL(-E2BIG, "absurd program header count");
	put16(44, 0);
	EXPECT_FAIL(-EINVAL, "no program headers");
}

static void test_mb_too_many_segments(void **state)
{
	struct tseg s[LOADER_MAX_SEGMENTS + 1];

	for (int i = 0; i < LOADER_MAX_SEGMENTS + 1; i++)
		s[i] = (struct tseg){0x100000 + i * 0x1000, 0x100000 + i * 0x1000, 0, 0x10};
	build_elf(0, 0x100000, s, LOADER_MAX_SEGMENTS + 1);
	put_mb_header(MB_HDR_OFF + 0x300, 0);
	img.size = 0x1000; /* the table runs past DATA_OFF */
	EXPECT_FAIL(-E2BIG, "loadable segments");
}

static void test_mb_segment_beyond_file(void **state)
{
	build_mb_elf32();
	put32(52 + 16, 0x10000); /* p_filesz past the end of the file */
	put32(52 + 20, 0x10000);
	EXPECT_FAIL(-EINVAL, "beyond the end of the file");
	build_mb_elf32();
	put32(52 + 4, 0xfffffff0); /* p_offset past the end */
	EXPECT_FAIL(-EINVAL, "beyond the end of the file");
}

static void test_mb_filesz_above_memsz(void **state)
{
	build_mb_elf32();
	put32(52 + 20, 0x10);
	EXPECT_FAIL(-EINVAL, "file size");
}

static void test_mb_overlapping_segments(void **state)
{
	const struct tseg s[] = {
		{0x100000, 0x100000, 0x100, 0x2000},
		{0x101000, 0x101000, 0x100, 0x100},
	};

	build_elf(0, 0x100000, s, 2);
	put_mb_header(MB_HDR_OFF, 0);
	EXPECT_FAIL(-EINVAL, "overlap");
	assert_int_equal(gmem(0x100000)[0], FILL); /* nothing written */
}

static void test_mb_segment_beyond_memory(void **state)
{
	const struct tseg beyond[] = {{MEM_END - 0x100, MEM_END - 0x100, 0x80, 0x200}};
	const struct tseg hole[] = {{0xa0000, 0xa0000, 0x10, 0x10}};
	const struct tseg high4g[] = {{0x100000000ULL, 0x100000000ULL, 0x10, 0x10}};

	build_elf(0, MEM_END - 0x100, beyond, 1);
	put_mb_header(MB_HDR_OFF, 0);
	EXPECT_FAIL(-ENOMEM, "beyond the guest's memory");
	assert_int_equal(gmem(MEM_END - 0x100)[0], FILL);
	build_elf(0, 0xa0000, hole, 1);
	put_mb_header(MB_HDR_OFF, 0);
	EXPECT_FAIL(-ENOMEM, "beyond the guest's memory");
	build_elf(1, 0x100000000ULL, high4g, 1);
	put_mb_header(MB_HDR_OFF, 0);
	EXPECT_FAIL(-ENOMEM, "beyond the guest's memory");
}

static void test_mb_wrapping_segment(void **state)
{
	const struct tseg s[] = {{0xfffffffffffff000ULL, 0, 0x10, 0x2000}};

	build_elf(1, 0x100000, s, 1);
	put_mb_header(MB_HDR_OFF, 0);
	EXPECT_FAIL(-EINVAL, "wraps");
}

static void test_mb_entry_outside(void **state)
{
	build_elf(0, 0x300000, one_seg, 1);
	put_mb_header(MB_HDR_OFF, 0);
	EXPECT_FAIL(-EINVAL, "entry point 0x300000");
}

static void test_mb_wrong_machine_and_type(void **state)
{
	build_mb_elf32();
	put16(18, 40); /* EM_ARM */
	EXPECT_FAIL(-EINVAL, "not x86");
	build_mb_elf32();
	put16(16, 3); /* ET_DYN */
	EXPECT_FAIL(-EINVAL, "not an executable");
	build_mb_elf32();
	image[4] = 7;
	EXPECT_FAIL(-EINVAL, "ELF class");
}

static void test_mb_not_elf_without_aout(void **state)
{
	memset(image, 0, 0x100);
	put_mb_header(0x20, 0x3);
	img.size = 0x100;
	EXPECT_FAIL(-EINVAL, "not ELF");
}

static void test_mb_aout_malformed(void **state)
{
	memset(image, 0, 0x100);
	put_mb_header(0xe8, 0x10000); /* the address fields run past the end */
	img.size = 0x100;
	EXPECT_FAIL(-EINVAL, "truncated");
	put_mb_header(0x20, 0x10000);
	put32(0x20 + 12, 0x100020);
	put32(0x20 + 16, 0x100040); /* load_addr above header_addr */
	EXPECT_FAIL(-EINVAL, "load_addr");
	put32(0x20 + 16, 0xf0000); /* would start before the file */
	EXPECT_FAIL(-EINVAL, "load_addr");
	put32(0x20 + 16, 0x100000);
	put32(0x20 + 20, 0x101000); /* load_end past the file */
	EXPECT_FAIL(-EINVAL, "beyond the end of the file");
	put32(0x20 + 20, 0x100080);
	put32(0x20 + 24, 0x100040); /* bss_end below load_end */
	EXPECT_FAIL(-EINVAL, "bss_end_addr");
}

/* ---- plain ELF and raw ------------------------------------------------------------ */

static void test_elf32_plain(void **state)
{
	build_elf(0, 0x100010, one_seg, 1);
	assert_int_equal(loader_load(LOADER_FORMAT_ELF, &img, &mem, &st, err), 0);
	assert_int_equal(st.mode, LOADER_MODE_PROT32);
	assert_int_equal(st.eip, 0x100010);
	assert_int_equal(st.eax, 0);
	assert_int_equal(st.ebx, 0);
	assert_int_equal(st.info_addr, 0);
	assert_int_equal(gmem(0x100001)[0], 0x11);
	assert_int_equal(st.used_end, 0x102000);
}

static void test_elf64_plain_refused(void **state)
{
	build_elf(1, 0x100010, one_seg, 1);
	assert_int_equal(loader_load(LOADER_FORMAT_ELF, &img, &mem, &st, err), -ENOTSUP);
	assert_non_null(strstr(err, "ELF64"));
	assert_int_equal(gmem(0x100000)[0], FILL);
}

static void test_elf_plain_malformed(void **state)
{
	memset(image, 0, 64);
	img.size = 64;
	assert_int_equal(loader_load(LOADER_FORMAT_ELF, &img, &mem, &st, err), -EINVAL);
	assert_non_null(strstr(err, "not an ELF"));
}

static void test_raw(void **state)
{
	memset(image, 0xf4, 0x123);
	img.size = 0x123;
	img.load_addr = 0x7c00;
	assert_int_equal(loader_load(LOADER_FORMAT_RAW, &img, &mem, &st, err), 0);
	assert_int_equal(st.eip, 0x7c00);
	assert_int_equal(st.eax, 0);
	assert_int_equal(st.ebx, 0);
	assert_int_equal(gmem(0x7c00 + 0x122)[0], 0xf4);
	assert_int_equal(gmem(0x7c00 + 0x123)[0], FILL);
	assert_int_equal(st.image_end, 0x7c00 + 0x123);
	img.load_addr = MEM_END - 0x100;
	assert_int_equal(loader_load(LOADER_FORMAT_RAW, &img, &mem, &st, err), -ENOMEM);
	img.size = 0;
	assert_int_equal(loader_load(LOADER_FORMAT_RAW, &img, &mem, &st, err), -EINVAL);
	assert_non_null(strstr(err, "empty"));
}

static void test_unknown_format(void **state)
{
	assert_int_equal(loader_load((enum loader_format)99, &img, &mem, &st, err), -EINVAL);
	assert_non_null(strstr(err, "unknown image format"));
}

#define T(f) cmocka_unit_test_setup_teardown(f, setup, teardown)

int main(void)
{
	const struct CMUnitTest tests[] = {
		T(test_mb_elf32_loads),
		T(test_mb_info_fields),
		T(test_mb_cmdline_without_args),
		T(test_mb_modules),
		T(test_mb_modules_skip_hole),
		T(test_mb_module_too_big),
		T(test_mb_absurd_module_and_map_counts),
		T(test_mb_elf64_translates_entry),
		T(test_mb_aout_kludge),
		T(test_mb_aout_to_end_of_file),
		T(test_mb_no_header),
		T(test_mb_header_beyond_8k),
		T(test_mb_unknown_requirement),
		T(test_mb_truncated_elf_header),
		T(test_mb_truncated_phdrs),
		T(test_mb_absurd_phnum),
		T(test_mb_too_many_segments),
		T(test_mb_segment_beyond_file),
		T(test_mb_filesz_above_memsz),
		T(test_mb_overlapping_segments),
		T(test_mb_segment_beyond_memory),
		T(test_mb_wrapping_segment),
		T(test_mb_entry_outside),
		T(test_mb_wrong_machine_and_type),
		T(test_mb_not_elf_without_aout),
		T(test_mb_aout_malformed),
		T(test_elf32_plain),
		T(test_elf64_plain_refused),
		T(test_elf_plain_malformed),
		T(test_raw),
		T(test_unknown_format),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
