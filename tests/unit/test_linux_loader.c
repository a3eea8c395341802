/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The Linux loader (x86 boot protocol): the zero page, e820 map, command
 * line, initrd placement and entry state for synthetic bzImages; every
 * refusal (not a bzImage, protocol too old, truncated, absurd sizes, too
 * large for the guest); and Debian's real kernel when build/linux/vmlinuz
 * exists (LINUX_VMLINUZ overrides the path).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include <hv/errno.h>
#include <hv/loader.h>

#define MIB    (1ULL << 20)
#define FILL   0xaa
#define ZP     0x7000 /* where the loader puts the zero page */
#define RSDP   0xe0000
#define SYS    0x1000 /* synthetic protected-mode kernel size */
#define SETUP  4      /* synthetic setup_sects */
#define PM_OFF ((SETUP + 1) * 512)

static uint8_t *ram; /* guest memory [0, ram_size) */
static uint64_t ram_size;
static struct guest_mem mem;
static struct loader_map_entry map[4];
static uint8_t image[PM_OFF + SYS];
static uint8_t initrd[3 * 4096 + 5];
static struct loader_image img;
static struct loader_start st;
static char err[LOADER_ERR_MAX];

static void p16(uint8_t *p, uint16_t v)
{
	p[0] = (uint8_t)v;
	p[1] = (uint8_t)(v >> 8);
}

static void p32(uint8_t *p, uint32_t v)
{
	p16(p, (uint16_t)v);
	p16(p + 2, (uint16_t)(v >> 16));
}

static uint32_t g32(uint64_t gpa)
{
	uint32_t v;

	memcpy(&v, ram + gpa, 4);
	return v;
}

static uint64_t g64(uint64_t gpa)
{
	return g32(gpa) | (uint64_t)g32(gpa + 4) << 32;
}

/* Guest memory of size bytes with the plan's layout: RAM, the legacy hole, RAM. */
static void guest(uint64_t size)
{
	free(ram);
	ram_size = size;
	ram = malloc(size);
	memset(ram, FILL, size);
	guest_mem_init(&mem);
	assert_int_equal(guest_mem_add(&mem, 0, ram, size), 0);
	map[0] = (struct loader_map_entry){0, 0xa0000, LOADER_MEM_RAM};
	map[1] = (struct loader_map_entry){0xa0000, 0x60000, LOADER_MEM_RESERVED};
	map[2] = (struct loader_map_entry){0x100000, size - 0x100000, LOADER_MEM_RAM};
	img.map = map;
	img.map_count = 3;
}

/* A bzImage header as a 2.15 x86-64 kernel has it (values like Debian's). */
static void bzimage(void)
{
	memset(image, 0, sizeof(image));
	image[0x1f1] = SETUP;
	p32(image + 0x1f4, SYS / 16);
	p16(image + 0x1fe, 0xaa55);
	image[0x200] = 0xeb;
	image[0x201] = 0x6a; /* header ends at 0x26c */
	memcpy(image + 0x202, "HdrS", 4);
	p16(image + 0x206, 0x020f);
	image[0x211] = 0x81; /* LOADED_HIGH | CAN_USE_HEAP */
	p32(image + 0x214, 0x100000);
	p32(image + 0x22c, 0x7fffffff);
	p32(image + 0x230, 0x200000);
	image[0x234] = 1;
	p16(image + 0x236, 0x7f);
	p32(image + 0x238, 2047);
	p32(image + 0x258, 16 * MIB);
	p32(image + 0x260, 4 * MIB);
	for (unsigned i = 0; i < SYS; i++)
		image[PM_OFF + i] = (uint8_t)(i * 7 + 1);
	img.data = image;
	img.size = sizeof(image);
}

static int setup(void **state)
{
	memset(&img, 0, sizeof(img));
	guest(64 * MIB);
	bzimage();
	img.cmdline = "console=ttyS0 check.cpus=2";
	img.acpi_rsdp = RSDP;
	for (unsigned i = 0; i < sizeof(initrd); i++)
		initrd[i] = (uint8_t)(i ^ 0x5a);
	return 0;
}

static int teardown(void **state)
{
	free(ram);
	ram = NULL;
	return 0;
}

static int load(void)
{
	memset(err, 0, sizeof(err));
	return loader_load_linux(&img, &mem, &st, err);
}

/* A refused image leaves guest memory untouched (validate, then act). */
static void refused(int code, const char *why)
{
	assert_int_equal(load(), code);
	if (!strstr(err, why))
		fail_msg("error \"%s\" does not say \"%s\"", err, why);
	for (uint64_t i = 0; i < ram_size; i += 4096)
		assert_int_equal(ram[i], FILL);
}

static void test_entry_state(void **state)
{
	assert_int_equal(load(), 0);
	assert_int_equal(st.mode, LOADER_MODE_PROT32);
	assert_int_equal(st.eip, 16 * MIB); /* pref_address: startup_32 */
	assert_int_equal(st.esi, ZP);
	assert_int_equal(st.image_start, 16 * MIB);
	assert_int_equal(st.image_end, 20 * MIB); /* init_size */
	assert_memory_equal(ram + 16 * MIB, image + PM_OFF, SYS);
	assert_int_equal(ram[16 * MIB + SYS], 0); /* up to init_size: zeroed */
	assert_int_equal(ram[20 * MIB - 1], 0);
}

static void test_zero_page(void **state)
{
	assert_int_equal(load(), 0);
	assert_int_equal(ram[ZP], 0); /* screen_info zero: no VGA console */
	assert_memory_equal(ram + ZP + 0x1f1, image + 0x1f1, 0x210 - 0x1f1);
	assert_int_equal(g32(ZP + 0x202), 0x53726448);
	assert_int_equal(ram[ZP + 0x210], 0xff);     /* type_of_loader */
	assert_int_equal(ram[ZP + 0x211], 0x01);     /* no heap: no real-mode setup */
	assert_int_equal(g32(ZP + 0x214), 16 * MIB); /* code32_start */
	assert_int_equal(g64(ZP + 0x258), 16 * MIB); /* pref_address kept */
	assert_int_equal(g64(ZP + 0x70), RSDP);	     /* acpi_rsdp_addr */
	assert_int_equal(ram[ZP + 0x26c], 0);	     /* past the header: zero */
	assert_int_equal(g32(ZP + 0x218), 0);	     /* no initrd */
	assert_int_equal(g32(ZP + 0x228), 0x8000);   /* cmd_line_ptr */
	assert_string_equal((char *)ram + 0x8000, img.cmdline);
}

static void test_e820(void **state)
{
	assert_int_equal(load(), 0);
	assert_int_equal(ram[ZP + 0x1e8], 3);
	for (unsigned i = 0; i < 3; i++) {
		uint64_t e = ZP + 0x2d0 + i * 20;

		assert_int_equal(g64(e), map[i].base);
		assert_int_equal(g64(e + 8), map[i].size);
		assert_int_equal(g32(e + 16), map[i].type);
	}
	assert_int_equal(g32(ZP + 0x2d0 + 3 * 20 + 16), 0);
}

/* The initrd goes to the highest page below the end of RAM. */
static void test_initrd_top(void **state)
{
	uint64_t at;

	img.initrd = initrd;
	img.initrd_size = sizeof(initrd);
	assert_int_equal(load(), 0);
	at = g32(ZP + 0x218);
	assert_int_equal(at, 64 * MIB - 4 * 4096);
	assert_int_equal(g32(ZP + 0x21c), sizeof(initrd));
	assert_int_equal(g32(ZP + 0xc0), 0);
	assert_memory_equal(ram + at, initrd, sizeof(initrd));
	assert_int_equal(st.used_end, 64 * MIB);
}

/* initrd_addr_max caps it; then the kernel's decompression span pushes it below the kernel. */
static void test_initrd_limits(void **state)
{
	img.initrd = initrd;
	img.initrd_size = sizeof(initrd);
	p32(image + 0x22c, 18 * MIB - 1);
	assert_int_equal(load(), 0);
	assert_int_equal(g32(ZP + 0x218), 16 * MIB - 4 * 4096); /* 18 MiB is inside the kernel */
	p32(image + 0x22c, 0x7fffffff);
	p32(image + 0x260, 48 * MIB - 1); /* kernel to 64 MiB - 1 */
	guest(64 * MIB);
	assert_int_equal(load(), 0);
	assert_int_equal(g32(ZP + 0x218), 16 * MIB - 4 * 4096);
	assert_true(g32(ZP + 0x218) + sizeof(initrd) <= 16 * MIB);
}

static void test_initrd_too_large(void **state)
{
	img.initrd = initrd;
	img.initrd_size = 60 * MIB; /* bigger than any free run */
	refused(-ENOMEM, "initrd");
}

/* Too little RAM at pref_address: a relocatable kernel goes low, aligned. */
static void test_relocated_low(void **state)
{
	guest(18 * MIB);
	assert_int_equal(load(), 0);
	assert_int_equal(st.eip, 2 * MIB); /* 1 MiB aligned up to kernel_alignment */
	assert_int_equal(g32(ZP + 0x214), 2 * MIB);
}

static void test_not_relocatable(void **state)
{
	guest(18 * MIB);
	image[0x234] = 0;
	refused(-ENOMEM, "not relocatable");
}

static void test_too_large(void **state)
{
	p32(image + 0x260, 200 * MIB);
	refused(-ENOMEM, "raise 'memory'");
}

static void test_not_linux(void **state)
{
	p16(image + 0x1fe, 0);
	refused(-EINVAL, "not a Linux kernel");
	bzimage();
	memcpy(image + 0x202, "HdrX", 4);
	refused(-EINVAL, "not a bzImage");
	bzimage();
	image[0x211] = 0;
	refused(-ENOTSUP, "zImage");
}

static void test_old_protocol(void **state)
{
	p16(image + 0x206, 0x020b);
	refused(-ENOTSUP, "2.11 is too old");
}

static void test_truncated(void **state)
{
	img.size = sizeof(image) - 1;
	refused(-EINVAL, "truncated");
	img.size = 0x100;
	refused(-EINVAL, "not a Linux kernel");
	img.size = 0x208;
	refused(-EINVAL, "truncated");
	img.size = PM_OFF;
	refused(-EINVAL, "truncated");
}

static void test_absurd_sizes(void **state)
{
	image[0x1f1] = 200;
	refused(-EINVAL, "setup_sects 200 is absurd");
	bzimage();
	p32(image + 0x1f4, 0);
	refused(-EINVAL, "syssize");
	bzimage();
	p32(image + 0x1f4, 0x10000000);
	refused(-EINVAL, "truncated");
	bzimage();
	p32(image + 0x230, 0x3000);
	refused(-EINVAL, "kernel_alignment");
	bzimage();
	p32(image + 0x260, 0x100);
	refused(-EINVAL, "init_size");
	bzimage();
	image[0x201] = 0x10; /* header ends before init_size */
	refused(-EINVAL, "setup header");
	bzimage();
	p32(image + 0x258, 0x1234);
	refused(-EINVAL, "pref_address");
}

static void test_cmdline_too_long(void **state)
{
	static char longline[3000];

	memset(longline, 'x', sizeof(longline) - 1);
	img.cmdline = longline;
	refused(-EINVAL, "command line");
	img.cmdline = NULL;
	assert_int_equal(load(), 0);
	assert_int_equal(ram[0x8000], 0);
}

/* What the hypervisor adds to a Linux command line, and what it leaves to the user. */
static void test_cmdline_compose(void **state)
{
	char out[64];

	assert_int_equal(linux_cmdline_compose(out, sizeof(out), "console=ttyS0", 2596130), 0);
	assert_string_equal(out, "console=ttyS0 tsc_early_khz=2596130");
	assert_int_equal(linux_cmdline_compose(out, sizeof(out), NULL, 0), 0);
	assert_string_equal(out, "");
	assert_int_equal(linux_cmdline_compose(out, sizeof(out), NULL, 42), 0);
	assert_string_equal(out, "tsc_early_khz=42");
	assert_int_equal(linux_cmdline_compose(out, sizeof(out), "quiet tsc_early_khz=7", 9), 0);
	assert_string_equal(out, "quiet tsc_early_khz=7");
	assert_int_equal(linux_cmdline_compose(out, sizeof(out), "xtsc_early_khz=7", 9), 0);
	assert_string_equal(out, "xtsc_early_khz=7 tsc_early_khz=9");
	assert_int_equal(linux_cmdline_compose(out, 20, "console=ttyS0", 1000), -ENOSPC);
}

/* Debian's stock kernel (guests/linux/build.sh), as the integration test boots it. */
static void test_debian_kernel(void **state)
{
	const char *path =
		getenv("LINUX_VMLINUZ") ? getenv("LINUX_VMLINUZ") : "build/linux/vmlinuz";
	struct loader_linux_header h;
	FILE *f = fopen(path, "rb");
	uint8_t *k;
	long n;

	if (!f) {
		print_message("%s not found (run guests/linux/build.sh): skipped\n", path);
		skip();
	}
	fseek(f, 0, SEEK_END);
	n = ftell(f);
	rewind(f);
	k = malloc(n);
	assert_int_equal(fread(k, 1, n, f), n);
	fclose(f);
	assert_int_equal(loader_linux_parse(k, n, &h, err), 0);
	assert_true(h.version >= 0x020c && h.relocatable);
	assert_true(h.loadflags & 1);
	assert_true(h.init_size >= h.pm_size && h.pm_offset + h.pm_size <= (uint64_t)n);
	guest(256 * MIB);
	img.data = k;
	img.size = n;
	img.initrd = initrd;
	img.initrd_size = sizeof(initrd);
	assert_int_equal(load(), 0);
	assert_int_equal(st.eip, h.pref_address);
	assert_memory_equal(ram + st.eip, k + h.pm_offset, 4096);
	assert_memory_equal(ram + ZP + 0x202, "HdrS", 4);
	assert_int_equal(g32(ZP + 0x218) + 4 * 4096, 256 * MIB);
	for (int s = 1; s < 64; s++) /* every shorter file is refused as truncated */
		assert_int_equal(loader_linux_parse(k, (uint64_t)n * s / 64 & ~1ULL, &h, err) != 0,
				 (uint64_t)n * s / 64 < h.pm_offset + h.pm_size);
	free(k);
}

#define T(f) cmocka_unit_test_setup_teardown(f, setup, teardown)

int main(void)
{
	const struct CMUnitTest tests[] = {
		T(test_entry_state),   T(test_zero_page),	 T(test_e820),
		T(test_initrd_top),    T(test_initrd_limits),	 T(test_initrd_too_large),
		T(test_relocated_low), T(test_not_relocatable),	 T(test_too_large),
		T(test_not_linux),     T(test_old_protocol),	 T(test_truncated),
		T(test_absurd_sizes),  T(test_cmdline_too_long), T(test_cmdline_compose),
		T(test_debian_kernel),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
