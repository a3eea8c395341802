/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Leaving boot services (UEFI 2.10, 7.4 ExitBootServices): the map key must
 * match the latest GetMemoryMap, so nothing may allocate in between (no
 * console output either: ConOut may allocate). On EFI_INVALID_PARAMETER the
 * map changed; only GetMemoryMap and ExitBootServices may be called then, so
 * the retry loop does nothing else. The raw map lives in the image (static
 * storage, LoaderCode/Data), never in boot-services memory, because it is
 * read after boot services are gone.
 */
#include <hv/string.h>

#include "efi_boot.h"

#define EXIT_TRIES    8
#define RAW_MAP_BYTES (64 * 1024)

/* OVMF reports about 100 descriptors of 48 bytes; room for many more. */
static u64 raw_map[RAW_MAP_BYTES / sizeof(u64)];
static UINTN raw_map_size, raw_desc_size;

EFI_STATUS efi_exit_boot_services(bool stale_key_test, unsigned *tries)
{
	EFI_STATUS st = EFI_INVALID_PARAMETER;
	UINTN key;
	UINT32 version;

	for (*tries = 1; *tries <= EXIT_TRIES; (*tries)++) {
		raw_map_size = sizeof(raw_map);
		st = efi_bs->GetMemoryMap(&raw_map_size, (EFI_MEMORY_DESCRIPTOR *)raw_map, &key,
					  &raw_desc_size, &version);
		if (EFI_ERROR(st))
			return st;
		if (stale_key_test && *tries == 1) {
			/* Test hook: change the map so that the first key is stale. */
			EFI_PHYSICAL_ADDRESS page;

			efi_bs->AllocatePages(AllocateAnyPages, EfiLoaderData, 1, &page);
		}
		st = efi_bs->ExitBootServices(efi_image, key);
		if (st != EFI_INVALID_PARAMETER)
			return st;
	}
	return st;
}

/* UEFI memory types (UEFI 2.10, 7.2 Table 7-6) to the core's classes. */
static u32 translate_type(u32 efi_type)
{
	switch (efi_type) {
	case EfiConventionalMemory:
	case EfiBootServicesCode:
	case EfiBootServicesData:
		return BOOT_MEM_USABLE;
	case EfiLoaderCode:
	case EfiLoaderData:
		return BOOT_MEM_LOADED; /* this image, its files, its allocations */
	case EfiRuntimeServicesCode:
	case EfiRuntimeServicesData:
		return BOOT_MEM_FIRMWARE;
	case EfiACPIReclaimMemory:
		return BOOT_MEM_ACPI_RECLAIM;
	case EfiACPIMemoryNVS:
		return BOOT_MEM_ACPI_NVS;
	case EfiUnusableMemory:
		return BOOT_MEM_UNUSABLE;
	default:
		return BOOT_MEM_RESERVED; /* MMIO, port space, PAL, persistent, unaccepted */
	}
}

/* Insertion sort by base: the specification does not promise an order. */
static void sort_ranges(struct boot_mem_range *r, u32 n)
{
	u32 i, j;

	for (i = 1; i < n; i++) {
		struct boot_mem_range t = r[i];

		for (j = i; j > 0 && r[j - 1].base > t.base; j--)
			r[j] = r[j - 1];
		r[j] = t;
	}
}

static u32 merge_ranges(struct boot_mem_range *r, u32 n)
{
	u32 i, out = 0;

	for (i = 0; i < n; i++) {
		struct boot_mem_range *last = out ? &r[out - 1] : NULL;

		if (last && last->type == r[i].type && last->base + last->length == r[i].base)
			last->length += r[i].length;
		else
			r[out++] = r[i];
	}
	return out;
}

/* Room for every raw descriptor: merging usually shrinks the map a lot. */
static struct boot_mem_range scratch[RAW_MAP_BYTES / sizeof(EFI_MEMORY_DESCRIPTOR)];

/* Runs after ExitBootServices: pure computation on the static copy. */
void efi_translate_mmap(struct boot_info *bi)
{
	const u8 *p = (const u8 *)raw_map;
	UINTN off;
	u32 n = 0;

	for (off = 0; off + raw_desc_size <= raw_map_size && n < ARRAY_SIZE(scratch);
	     off += raw_desc_size) {
		const EFI_MEMORY_DESCRIPTOR *d = (const void *)(p + off);

		if (d->NumberOfPages == 0)
			continue;
		scratch[n].base = d->PhysicalStart;
		scratch[n].length = d->NumberOfPages << EFI_PAGE_SHIFT;
		scratch[n].type = translate_type(d->Type);
		n++;
	}
	sort_ranges(scratch, n);
	n = merge_ranges(scratch, n);
	if (n > BOOT_MAX_MMAP) {
		efi_serial_puts("bulkhead-efi: memory map truncated; later ranges dropped\n");
		n = BOOT_MAX_MMAP;
	}
	memcpy(bi->mmap, scratch, n * sizeof(scratch[0]));
	bi->mmap_count = n;
}
