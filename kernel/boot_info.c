/* SPDX-License-Identifier: Apache-2.0 */
#include <hv/boot_info.h>
#include <hv/string.h>

const struct boot_file *boot_find_file(const struct boot_info *bi, const char *name)
{
	for (u32 i = 0; i < bi->file_count && i < BOOT_MAX_FILES; i++)
		if (!strncmp(bi->files[i].name, name, BOOT_NAME_MAX))
			return &bi->files[i];
	return NULL;
}
