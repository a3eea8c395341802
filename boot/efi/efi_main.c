/* SPDX-License-Identifier: Apache-2.0 */
/*
 * UEFI entry of Bulkhead: gnu-efi's crt0 relocates the image and calls
 * efi_main. Everything the core needs is copied into one static boot_info
 * (static storage lives in the image, which the map reports as LOADED), boot
 * services are left, and the core takes over for good.
 *
 * libefi's InitializeLib is deliberately not used: its object also defines
 * memset/memcpy, which clash with the core's kernel/lib/string.c. The system
 * table is all this path needs.
 */
#include <arch/cpu.h>
#include <hv/cmdline.h>
#include <hv/version.h>

#include "efi_boot.h"

EFI_SYSTEM_TABLE *efi_st;
EFI_BOOT_SERVICES *efi_bs;
EFI_HANDLE efi_image;

static struct boot_info boot_info;

static EFI_LOADED_IMAGE *loaded_image(void)
{
	EFI_GUID guid = LOADED_IMAGE_PROTOCOL;
	EFI_LOADED_IMAGE *li = NULL;

	if (EFI_ERROR(efi_bs->HandleProtocol(efi_image, &guid, (void **)&li)))
		return NULL;
	return li;
}

static void gather(struct boot_info *bi, EFI_LOADED_IMAGE *li)
{
	bi->firmware = BOOT_FW_UEFI;
	bi->image_base = (hpa_t)(uintptr_t)li->ImageBase;
	bi->image_size = li->ImageSize;
	bi->rsdp = efi_find_rsdp(efi_st);
	efi_cmdline(li, bi->cmdline, sizeof(bi->cmdline));
	if (efi_volume_open(li) == 0) {
		efi_load_config(bi, li);
		efi_load_guest_files(bi);
	} else
		efi_log("bulkhead-efi: cannot open the boot volume; no configuration\n");
	if (!bi->rsdp)
		efi_log("bulkhead-efi: no ACPI RSDP in the configuration table\n");
}

/* After ExitBootServices only COM1 is left; the core's console is not up yet. */
static void report_exit(unsigned tries)
{
	char msg[] = "bulkhead-efi: left boot services (try 0)\n";

	msg[sizeof(msg) - 4] = (char)('0' + tries % 10);
	efi_serial_puts(msg);
}

EFI_STATUS efi_main(EFI_HANDLE image, EFI_SYSTEM_TABLE *st)
{
	struct boot_info *bi = &boot_info;
	EFI_LOADED_IMAGE *li;
	EFI_STATUS status;
	unsigned tries;

	bi->tsc_at_entry = rdtsc();
	efi_st = st;
	efi_bs = st->BootServices;
	efi_image = image;
	efi_serial_init();
	efi_log("Bulkhead " BULKHEAD_VERSION " (UEFI)\n");

	li = loaded_image();
	if (!li) {
		efi_log("bulkhead-efi: no LoadedImage protocol\n");
		return EFI_LOAD_ERROR;
	}
	gather(bi, li);

	status = efi_exit_boot_services(cmdline_has(bi->cmdline, "efi_stale_mapkey"), &tries);
	if (EFI_ERROR(status)) {
		/* Boot services may be half gone: no ConOut, no return to firmware. */
		efi_serial_puts("bulkhead-efi: ExitBootServices failed; halting\n");
		cpu_halt_forever();
	}
	report_exit(tries);
	efi_translate_mmap(bi);
	efi_reserve_firmware_tables(bi);
	core_start(bi);
}
