/* SPDX-License-Identifier: Apache-2.0 */
/*
 * ELF32 and ELF64 executables (System V ABI, "ELF header" and "Program
 * header"): PT_LOAD segments are loaded at their physical address (p_paddr),
 * as multiboot loaders do, and an entry point given as a virtual address
 * inside a segment is translated the same way.
 */
#include <hv/errno.h>
#include <hv/string.h>

#include "loader_priv.h"

#define EI_CLASS    4
#define EI_DATA	    5
#define ELFCLASS32  1
#define ELFCLASS64  2
#define ELFDATA2LSB 1
#define ET_EXEC	    2
#define EM_386	    3
#define EM_X86_64   62
#define PT_LOAD	    1
#define EHDR32_SIZE 52
#define EHDR64_SIZE 64
#define PHDR32_SIZE 32
#define PHDR64_SIZE 56

/* The fields of the ELF header that differ in offset between the classes. */
struct elf_hdr {
	bool is64;
	u64 entry;
	u64 phoff;
	u16 phentsize;
	u16 phnum;
};

struct elf_phdr {
	u32 type;
	u64 offset;
	u64 vaddr;
	u64 paddr;
	u64 filesz;
	u64 memsz;
};

bool elf_is_elf(const void *data, u64 size)
{
	return size >= 4 && memcmp(data, "\177ELF", 4) == 0;
}

static int read_ehdr(const struct loader_ctx *ctx, struct elf_hdr *h)
{
	const u8 *p = ctx->img->data;
	u64 size = ctx->img->size;

	if (!elf_is_elf(p, size) || size < EHDR32_SIZE)
		return loader_fail(ctx, -EINVAL, "not an ELF file or truncated ELF header");
	if (p[EI_CLASS] != ELFCLASS32 && p[EI_CLASS] != ELFCLASS64)
		return loader_fail(ctx, -EINVAL, "unknown ELF class %u", p[EI_CLASS]);
	h->is64 = p[EI_CLASS] == ELFCLASS64;
	if (h->is64 && size < EHDR64_SIZE)
		return loader_fail(ctx, -EINVAL, "truncated ELF64 header (%lu bytes)", size);
	if (p[EI_DATA] != ELFDATA2LSB)
		return loader_fail(ctx, -EINVAL, "ELF image is not little-endian");
	if (rd16(p + 16) != ET_EXEC)
		return loader_fail(ctx, -EINVAL, "ELF type %u is not an executable", rd16(p + 16));
	if (rd16(p + 18) != (h->is64 ? EM_X86_64 : EM_386))
		return loader_fail(ctx, -EINVAL, "ELF machine %u is not x86", rd16(p + 18));
	h->entry = h->is64 ? rd64(p + 24) : rd32(p + 24);
	h->phoff = h->is64 ? rd64(p + 32) : rd32(p + 28);
	h->phentsize = rd16(p + (h->is64 ? 54 : 42));
	h->phnum = rd16(p + (h->is64 ? 56 : 44));
	return 0;
}

static int check_phdr_table(const struct loader_ctx *ctx, const struct elf_hdr *h)
{
	u64 need = h->is64 ? PHDR64_SIZE : PHDR32_SIZE;

	if (h->phnum == 0)
		return loader_fail(ctx, -EINVAL, "ELF image has no program headers");
	if (h->phnum > LOADER_MAX_PHDRS)
		return loader_fail(ctx, -E2BIG, "absurd program header count %u (limit %d)",
				   h->phnum, LOADER_MAX_PHDRS);
	if (h->phentsize < need)
		return loader_fail(ctx, -EINVAL, "program header size %u is below %lu",
				   h->phentsize, need);
	if (h->phoff > ctx->img->size || (u64)h->phnum * h->phentsize > ctx->img->size - h->phoff)
		return loader_fail(ctx, -EINVAL, "program headers at 0x%lx are truncated",
				   h->phoff);
	return 0;
}

static void read_phdr(const u8 *p, bool is64, struct elf_phdr *ph)
{
	ph->type = rd32(p);
	if (is64) {
		ph->offset = rd64(p + 8);
		ph->vaddr = rd64(p + 16);
		ph->paddr = rd64(p + 24);
		ph->filesz = rd64(p + 32);
		ph->memsz = rd64(p + 40);
	} else {
		ph->offset = rd32(p + 4);
		ph->vaddr = rd32(p + 8);
		ph->paddr = rd32(p + 12);
		ph->filesz = rd32(p + 16);
		ph->memsz = rd32(p + 20);
	}
}

/* A virtual entry point inside a segment becomes its physical address. */
static u64 translate_entry(u64 entry, const struct elf_phdr *ph)
{
	if (ph->vaddr != ph->paddr && entry >= ph->vaddr && entry - ph->vaddr < ph->memsz)
		return ph->paddr + (entry - ph->vaddr);
	return entry;
}

int elf_parse(const struct loader_ctx *ctx, struct load_plan *plan, bool *is64)
{
	const u8 *file = ctx->img->data;
	struct elf_hdr h = {0};
	int rc = read_ehdr(ctx, &h);

	if (!rc)
		rc = check_phdr_table(ctx, &h);
	if (rc)
		return rc;
	memset(plan, 0, sizeof(*plan));
	plan->entry = h.entry;
	for (u32 i = 0; i < h.phnum; i++) {
		struct elf_phdr ph;
		struct load_seg seg;

		read_phdr(file + h.phoff + (u64)i * h.phentsize, h.is64, &ph);
		if (ph.type != PT_LOAD)
			continue;
		seg = (struct load_seg){ph.paddr, ph.offset, ph.filesz, ph.memsz};
		rc = load_plan_add(ctx, plan, &seg);
		if (rc)
			return rc;
		if (plan->entry == h.entry)
			plan->entry = translate_entry(h.entry, &ph);
	}
	*is64 = h.is64;
	return 0;
}
