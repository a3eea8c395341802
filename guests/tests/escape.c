/* SPDX-License-Identifier: Apache-2.0 */
/*
 * escape: tries to read memory it does not own, in three attempts:
 *   1. the first guest-physical address past its highest RAM (from the memory map),
 *   2. other=ADDR from the command line (another guest's memory),
 *   3. hv=ADDR (the hypervisor's memory).
 * first=N starts at attempt N. The hypervisor must stop the guest at the
 * first attempt; it prints "escape: read succeeded" whenever a read returns.
 * Addresses at or above 4 GiB are read through a PAE paging window.
 */
#include "rt.h"

#define PTE_P	  (1ull << 0) /* present */
#define PTE_RW	  (1ull << 1)
#define PDE_PS	  (1ull << 7) /* 2 MiB page (SDM Vol. 3A, 4.4.2) */
#define CR0_PG	  (1u << 31)
#define CR4_PAE	  (1u << 5)
#define SIZE_2M	  0x200000ull
#define WINDOW_VA 0xffe00000u /* the last 2 MiB: nothing this guest uses */
#define SIZE_4G	  0x100000000ull
#define MEM_RAM	  1

const char guest_name[] = "escape";

static uint64_t pdpt[4] __attribute__((aligned(32)));
static uint64_t pd[4][512] __attribute__((aligned(4096)));
static bool paging_on;

/* Identity-maps 4 GiB with 2 MiB pages, then turns on PAE paging. */
static void paging_init(void)
{
	uint32_t cr0, cr4;

	for (uint32_t i = 0; i < 4; i++) {
		for (uint32_t j = 0; j < 512; j++)
			pd[i][j] = ((uint64_t)(i * 512 + j) << 21) | PTE_P | PTE_RW | PDE_PS;
		pdpt[i] = (uint32_t)pd[i] | PTE_P;
	}
	__asm__ volatile("mov %%cr4, %0" : "=r"(cr4));
	__asm__ volatile("mov %0, %%cr4" : : "r"(cr4 | CR4_PAE));
	__asm__ volatile("mov %0, %%cr3" : : "r"((uint32_t)pdpt));
	__asm__ volatile("mov %%cr0, %0" : "=r"(cr0));
	__asm__ volatile("mov %0, %%cr0" : : "r"(cr0 | CR0_PG) : "memory");
	paging_on = true;
}

static uint32_t phys_read32(uint64_t pa)
{
	if (pa + 4 <= SIZE_4G)
		return *(volatile uint32_t *)(uint32_t)pa;
	if (!paging_on)
		paging_init();
	pd[3][511] = (pa & ~(SIZE_2M - 1)) | PTE_P | PTE_RW | PDE_PS;
	__asm__ volatile("invlpg (%0)" : : "r"(WINDOW_VA) : "memory");
	return *(volatile uint32_t *)(WINDOW_VA + (uint32_t)(pa & (SIZE_2M - 4)));
}

/* The end of the highest RAM range in the memory map (or from mem_upper). */
static uint64_t beyond_ram(const struct mb_info *mbi)
{
	uint64_t end = 0;

	if (mbi && (mbi->flags & MBI_FLAG_MMAP)) {
		uint32_t p = mbi->mmap_addr;

		while (p < mbi->mmap_addr + mbi->mmap_length) {
			const struct mb_mmap_entry *e = (const struct mb_mmap_entry *)p;

			if (e->type == MEM_RAM && e->base + e->length > end)
				end = e->base + e->length;
			p += e->size + 4;
		}
	} else if (mbi && (mbi->flags & MBI_FLAG_MEM)) {
		end = ((uint64_t)mbi->mem_upper + 1024) << 10;
	}
	return (end + 0xfff) & ~0xfffull;
}

static void attempt(uint32_t n, bool have, uint64_t pa, const char *what)
{
	uint32_t v;

	if (!have) {
		rt_printf("escape: attempt %u skipped (no %s given)\n", n, what);
		return;
	}
	rt_printf("escape: attempt %u at 0x%llx (%s)\n", n, pa, what);
	v = phys_read32(pa);
	rt_printf("escape: read succeeded at 0x%llx value=0x%08x\n", pa, v);
}

static bool arg_u64(const char *key, uint64_t *v)
{
	size_t len;
	const char *s = rt_arg(key, &len);

	if (!s)
		return false;
	if (!rt_parse_u64(s, len, v))
		rt_fail("bad %s= argument", key);
	return true;
}

void guest_main(uint32_t magic, const struct mb_info *mbi)
{
	uint64_t first = 1, other = 0, hv = 0, end = beyond_ram(mbi);
	bool have_other = arg_u64("other", &other), have_hv = arg_u64("hv", &hv);

	arg_u64("first", &first);
	if (first <= 1)
		attempt(1, end != 0, end, "the end of its RAM");
	if (first <= 2)
		attempt(2, have_other, other, "other=");
	if (first <= 3)
		attempt(3, have_hv, hv, "hv=");
	rt_fail("no attempt was stopped");
}
