/* SPDX-License-Identifier: Apache-2.0 */
/*
 * bulkhead.cfg is looked up beside the image (e.g. \EFI\BOOT\bulkhead.cfg for
 * a removable-media boot), then at the volume root. Only its bytes are carried
 * here; the core parses it. A missing file is not an error.
 */
#include <hv/errno.h>
#include <hv/printk.h>
#include <hv/string.h>

#include "efi_boot.h"

#define CONFIG_NAME "bulkhead.cfg"

static void record_config(struct boot_info *bi, const struct boot_file *f, const char *path)
{
	struct boot_file *slot = &bi->files[bi->file_count++];

	*slot = *f;
	hv_strlcpy(slot->name, CONFIG_NAME, sizeof(slot->name));
	bi->config_found = true;
	bi->config_addr = f->addr;
	bi->config_size = f->size;
	hv_strlcpy(bi->config_path, path, sizeof(bi->config_path));
}

/* One call per line: ConOut and COM1 share the wire under OVMF. */
static void report(const struct boot_info *bi, int err)
{
	char line[BOOT_NAME_MAX + 64];

	if (bi->config_found)
		hv_snprintf(line, sizeof(line), "bulkhead-efi: config %s (%llu bytes)\n",
			    bi->config_path, (unsigned long long)bi->config_size);
	else
		hv_snprintf(line, sizeof(line), "bulkhead-efi: config %s %s\n", bi->config_path,
			    err == -ENOENT ? "not found" : "unreadable");
	efi_log(line);
}

void efi_load_config(struct boot_info *bi, const EFI_LOADED_IMAGE *li)
{
	char beside[BOOT_NAME_MAX];
	struct boot_file f;
	int err;

	efi_image_dir(li, beside, sizeof(beside) - sizeof(CONFIG_NAME));
	hv_strlcpy(beside + strlen(beside), CONFIG_NAME, sizeof(CONFIG_NAME));
	hv_strlcpy(bi->config_path, beside, sizeof(bi->config_path));

	err = efi_load_file(beside, &f);
	if (err == -ENOENT && strcmp(beside, "\\" CONFIG_NAME) != 0) {
		err = efi_load_file("\\" CONFIG_NAME, &f);
		if (!err)
			hv_strlcpy(beside, "\\" CONFIG_NAME, sizeof(beside));
	}
	if (!err && bi->file_count < BOOT_MAX_FILES)
		record_config(bi, &f, beside);
	report(bi, err);
}
