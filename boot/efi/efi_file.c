/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Files on the volume the image was loaded from (UEFI 2.10, 13.4 Simple File
 * System Protocol and 13.5 File Protocol). Contents go into EfiLoaderData
 * pages, which the memory map then reports as BOOT_MEM_LOADED, so the core
 * keeps them.
 */
#include <hv/errno.h>
#include <hv/string.h>

#include "efi_boot.h"

static EFI_FILE_HANDLE volume_root;

/* Opens the root directory of the file system on the image's device. */
int efi_volume_open(EFI_LOADED_IMAGE *li)
{
	EFI_GUID sfs_guid = SIMPLE_FILE_SYSTEM_PROTOCOL;
	EFI_FILE_IO_INTERFACE *sfs;
	EFI_STATUS st;

	st = efi_bs->HandleProtocol(li->DeviceHandle, &sfs_guid, (void **)&sfs);
	if (EFI_ERROR(st))
		return -ENODEV;
	st = sfs->OpenVolume(sfs, &volume_root);
	if (EFI_ERROR(st)) {
		volume_root = NULL;
		return -EIO;
	}
	return 0;
}

static void append_char(char *dst, size_t size, size_t *len, char c)
{
	if (*len + 1 < size)
		dst[(*len)++] = c;
	dst[*len] = '\0';
}

/*
 * The directory part of the image's own path, with a trailing '\'. The
 * loaded image's FilePath holds one or more media file path nodes (UEFI
 * 2.10, 10.3.5.4) whose names concatenate to the full path; "\" if none.
 */
void efi_image_dir(const EFI_LOADED_IMAGE *li, char *dir, size_t size)
{
	const EFI_DEVICE_PATH *dp = li->FilePath;
	size_t len = 0, cut = 0, i;

	dir[0] = '\0';
	while (dp && !IsDevicePathEnd(dp) && DevicePathNodeLength(dp) >= 4) {
		if (DevicePathType(dp) == MEDIA_DEVICE_PATH &&
		    DevicePathSubType(dp) == MEDIA_FILEPATH_DP) {
			const FILEPATH_DEVICE_PATH *fp = (const void *)dp;
			size_t n = (DevicePathNodeLength(dp) - 4) / sizeof(CHAR16);

			if (len == 0 || dir[len - 1] != '\\')
				append_char(dir, size, &len, '\\');
			for (i = 0; i < n && fp->PathName[i]; i++) {
				if (fp->PathName[i] == L'\\' && len && dir[len - 1] == '\\')
					continue;
				append_char(dir, size, &len, (char)fp->PathName[i]);
			}
		}
		dp = NextDevicePathNode(dp);
	}
	for (i = 0; i < len; i++)
		if (dir[i] == '\\' || dir[i] == '/')
			cut = i + 1;
	if (cut == 0)
		append_char(dir, size, &cut, '\\');
	dir[cut] = '\0';
}

/* ASCII path relative to the root -> absolute UCS-2 path with '\' separators. */
static int to_efi_path(const char *path, CHAR16 *out, size_t size)
{
	size_t n = 0;

	if (!path || !*path)
		return -EINVAL;
	if (*path != '/' && *path != '\\')
		out[n++] = L'\\';
	for (; *path; path++) {
		if (n + 1 >= size || (u8)*path < 0x20 || (u8)*path > 0x7e)
			return -EINVAL;
		out[n++] = (*path == '/') ? L'\\' : (CHAR16)*path;
	}
	out[n] = 0;
	return 0;
}

static int efi_errno(EFI_STATUS st)
{
	switch (st) {
	case EFI_NOT_FOUND:
		return -ENOENT;
	case EFI_OUT_OF_RESOURCES:
	case EFI_VOLUME_FULL:
		return -ENOMEM;
	case EFI_INVALID_PARAMETER:
		return -EINVAL;
	default:
		return -EIO;
	}
}

static int file_size(EFI_FILE_HANDLE fh, u64 *size)
{
	EFI_GUID info_guid = EFI_FILE_INFO_ID;
	/* EFI_FILE_INFO and a name of up to BOOT_NAME_MAX UCS-2 characters. */
	static u64 buf[(sizeof(EFI_FILE_INFO) + 2 * BOOT_NAME_MAX + 7) / 8 + 1];
	UINTN len = sizeof(buf);
	const EFI_FILE_INFO *info = (const void *)buf;
	EFI_STATUS st;

	st = fh->GetInfo(fh, &info_guid, &len, buf);
	if (EFI_ERROR(st))
		return efi_errno(st);
	if (info->Attribute & EFI_FILE_DIRECTORY)
		return -EINVAL;
	*size = info->FileSize;
	return 0;
}

/* Reads the whole file; FAT returns short counts only at end of file. */
static int read_all(EFI_FILE_HANDLE fh, u8 *buf, u64 size)
{
	u64 done = 0;

	while (done < size) {
		UINTN chunk = size - done;
		EFI_STATUS st = fh->Read(fh, &chunk, buf + done);

		if (EFI_ERROR(st))
			return efi_errno(st);
		if (chunk == 0)
			return -EIO; /* file shrank under us */
		done += chunk;
	}
	return 0;
}

static int load_open_file(EFI_FILE_HANDLE fh, struct boot_file *out)
{
	EFI_PHYSICAL_ADDRESS addr = 0;
	UINTN pages;
	u64 size = 0;
	int ret;

	ret = file_size(fh, &size);
	if (ret)
		return ret;
	/* One more byte for a terminating zero, which text parsers like. */
	pages = EFI_SIZE_TO_PAGES(size + 1);
	if (EFI_ERROR(efi_bs->AllocatePages(AllocateAnyPages, EfiLoaderData, pages, &addr)))
		return -ENOMEM;
	ret = read_all(fh, (u8 *)(uintptr_t)addr, size);
	if (ret) {
		efi_bs->FreePages(addr, pages);
		return ret;
	}
	((u8 *)(uintptr_t)addr)[size] = 0;
	out->addr = addr;
	out->size = size;
	return 0;
}

int efi_load_file(const char *path, struct boot_file *out)
{
	CHAR16 wpath[BOOT_NAME_MAX + 1];
	EFI_FILE_HANDLE fh;
	EFI_STATUS st;
	int ret;

	if (!volume_root)
		return -ENODEV;
	if (strlen(path) >= sizeof(out->name))
		return -EINVAL;
	ret = to_efi_path(path, wpath, ARRAY_SIZE(wpath));
	if (ret)
		return ret;
	st = volume_root->Open(volume_root, &fh, wpath, EFI_FILE_MODE_READ, 0);
	if (EFI_ERROR(st))
		return efi_errno(st);
	ret = load_open_file(fh, out);
	fh->Close(fh);
	if (!ret)
		hv_strlcpy(out->name, path, sizeof(out->name));
	return ret;
}
