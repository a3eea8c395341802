/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The page tables the firmware left in CR3 stay live until the core loads its
 * own, but they sit in boot-services memory, which the map reports as free.
 * Each table page is therefore added to the map as LOADED (the core's map
 * normalisation lets LOADED win over USABLE), so the page allocator never
 * hands one out while the CPU still walks it.
 * 4-level paging only (the core refuses 5-level); SDM Vol. 3A §4.5.
 */
#include <arch/cpu.h>

#include "efi_boot.h"

#define PTE_PRESENT BIT64(0)
#define PTE_LARGE   BIT64(7) /* PS: maps a 1 GiB or 2 MiB page at PDPT/PD level */
#define PTE_ADDR    0x000ffffffffff000ULL

static void add_table_page(struct boot_info *bi, hpa_t pa)
{
	struct boot_mem_range *last = bi->mmap_count ? &bi->mmap[bi->mmap_count - 1] : NULL;

	if (last && last->type == BOOT_MEM_LOADED && last->base + last->length == pa) {
		last->length += PAGE_SIZE;
		return;
	}
	if (bi->mmap_count < BOOT_MAX_MMAP)
		bi->mmap[bi->mmap_count++] = (struct boot_mem_range){
			.base = pa, .length = PAGE_SIZE, .type = BOOT_MEM_LOADED};
}

/* Walks one table level; lower levels are reached by the explicit loop in the caller. */
static const u64 *table_at(hpa_t pa)
{
	return (const u64 *)(uintptr_t)pa;
}

void efi_reserve_firmware_tables(struct boot_info *bi)
{
	hpa_t pml4 = read_cr3() & PTE_ADDR;

	add_table_page(bi, pml4);
	for (unsigned i = 0; i < 512; i++) {
		u64 e4 = table_at(pml4)[i];
		if (!(e4 & PTE_PRESENT))
			continue;
		add_table_page(bi, e4 & PTE_ADDR);
		for (unsigned j = 0; j < 512; j++) {
			u64 e3 = table_at(e4 & PTE_ADDR)[j];
			if (!(e3 & PTE_PRESENT) || (e3 & PTE_LARGE))
				continue;
			add_table_page(bi, e3 & PTE_ADDR);
			for (unsigned k = 0; k < 512; k++) {
				u64 e2 = table_at(e3 & PTE_ADDR)[k];
				if ((e2 & PTE_PRESENT) && !(e2 & PTE_LARGE))
					add_table_page(bi, e2 & PTE_ADDR);
			}
		}
	}
}
