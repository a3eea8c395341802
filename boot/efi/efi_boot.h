/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The UEFI boot path (boot/efi). It runs as a UEFI application while boot
 * services are alive, gathers everything into one struct boot_info, leaves
 * boot services and enters the core. Nothing here survives into the core
 * except the boot_info copy and the pages allocated as EfiLoaderData.
 */
#ifndef BOOT_EFI_BOOT_H
#define BOOT_EFI_BOOT_H

#include <efi.h>

#include <hv/boot_info.h>
#include <hv/types.h>

/* Firmware handles, valid until ExitBootServices (set by efi_main). */
extern EFI_SYSTEM_TABLE *efi_st;
extern EFI_BOOT_SERVICES *efi_bs;
extern EFI_HANDLE efi_image;

/* efi_console.c: early output on the firmware console and on COM1. */
void efi_serial_init(void);
void efi_serial_puts(const char *s);
void efi_log(const char *s);

/* efi_file.c: files on the volume the image was loaded from. */
int efi_volume_open(EFI_LOADED_IMAGE *li);
void efi_image_dir(const EFI_LOADED_IMAGE *li, char *dir, size_t size);
/*
 * Loads a file from the boot volume into fresh EfiLoaderData pages (reported
 * as BOOT_MEM_LOADED in the memory map) and describes it in *out, whose name
 * is the path as given. The path is relative to the volume root; '/' and '\'
 * both separate components. One zero byte follows the contents in memory (not
 * counted in size). Only callable before ExitBootServices. Returns 0 or
 * -ENOENT, -ENOMEM, -EINVAL (bad path, directory), -EIO.
 */
int efi_load_file(const char *path, struct boot_file *out);

/* efi_config.c: bulkhead.cfg beside the image, else at the volume root. */
void efi_load_config(struct boot_info *bi, const EFI_LOADED_IMAGE *li);

/* efi_guests.c: the files bulkhead.cfg names (kernel, initrd, modules), before ExitBootServices. */
void efi_load_guest_files(struct boot_info *bi);

/* efi_fwtables.c: keeps the firmware's live page-table pages out of the free memory. */
void efi_reserve_firmware_tables(struct boot_info *bi);

/* efi_tables.c: firmware tables and the image's load options. */
hpa_t efi_find_rsdp(const EFI_SYSTEM_TABLE *st);
void efi_cmdline(const EFI_LOADED_IMAGE *li, char *out, size_t size);

/* efi_exit.c: the final memory map and ExitBootServices. */
EFI_STATUS efi_exit_boot_services(bool stale_key_test, unsigned *tries);
void efi_translate_mmap(struct boot_info *bi);

#endif
