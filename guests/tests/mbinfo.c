/* SPDX-License-Identifier: Apache-2.0 */
/*
 * mbinfo: prints what the boot loader handed over (Multiboot Specification
 * 0.6.96, 3.3) so that a test can compare it with the configuration: the
 * command line, mem_lower/mem_upper, the memory map, the boot loader name and
 * each module's string, size and first 16 bytes.
 */
#include "rt.h"

#define DUMP_BYTES 16

const char guest_name[] = "mbinfo";

static void print_mmap(const struct mb_info *mbi)
{
	uint32_t p = mbi->mmap_addr, end = mbi->mmap_addr + mbi->mmap_length;

	while (p < end) {
		const struct mb_mmap_entry *e = (const struct mb_mmap_entry *)p;

		rt_printf("mbinfo: mmap base=0x%llx length=0x%llx type=%u\n", e->base, e->length,
			  e->type);
		p += e->size + 4; /* the size field does not count itself */
	}
}

static void print_module(uint32_t i, const struct mb_module *m)
{
	const uint8_t *b = (const uint8_t *)m->start;
	uint32_t size = m->end - m->start;

	rt_printf("mbinfo: module %u string=\"%s\" start=0x%08x size=%u bytes=", i,
		  (const char *)m->string, m->start, size);
	for (uint32_t j = 0; j < DUMP_BYTES && j < size; j++)
		rt_printf("%02x", b[j]);
	rt_printf("\n");
	if (m->start & 0xfff)
		rt_fail("module %u at 0x%08x is not page-aligned", i, m->start);
}

void guest_main(uint32_t magic, const struct mb_info *mbi)
{
	if (!mbi)
		rt_fail("EAX=0x%08x is not the multiboot magic", magic);
	rt_printf("mbinfo: flags=0x%08x\n", mbi->flags);
	if (mbi->flags & MBI_FLAG_CMDLINE)
		rt_printf("mbinfo: cmdline=\"%s\"\n", (const char *)mbi->cmdline);
	if (mbi->flags & MBI_FLAG_MEM)
		rt_printf("mbinfo: mem_lower=%u KiB mem_upper=%u KiB\n", mbi->mem_lower,
			  mbi->mem_upper);
	if (mbi->flags & MBI_FLAG_MMAP)
		print_mmap(mbi);
	if (mbi->flags & MBI_FLAG_LOADER_NAME)
		rt_printf("mbinfo: loader=\"%s\"\n", (const char *)mbi->boot_loader_name);
	if (mbi->flags & MBI_FLAG_MODS) {
		rt_printf("mbinfo: modules=%u\n", mbi->mods_count);
		for (uint32_t i = 0; i < mbi->mods_count; i++)
			print_module(i, (const struct mb_module *)mbi->mods_addr + i);
	}
	if (!(mbi->flags & MBI_FLAG_MEM) || !(mbi->flags & MBI_FLAG_MMAP))
		rt_fail("no memory information (flags 0x%08x)", mbi->flags);
	rt_pass();
}
