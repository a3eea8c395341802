/* SPDX-License-Identifier: Apache-2.0 */
/* What the firmware hands the image: configuration tables and load options. */
#include <hv/string.h>

#include "efi_boot.h"

/*
 * The RSDP from the system table's configuration tables (UEFI 2.10, 4.6;
 * ACPI 6.5, 5.2.5.2): the ACPI 2.0+ entry (XSDT) is preferred over 1.0.
 */
hpa_t efi_find_rsdp(const EFI_SYSTEM_TABLE *st)
{
	EFI_GUID acpi20 = ACPI_20_TABLE_GUID, acpi10 = ACPI_TABLE_GUID;
	hpa_t rsdp1 = 0;
	UINTN i;

	for (i = 0; i < st->NumberOfTableEntries; i++) {
		const EFI_CONFIGURATION_TABLE *t = &st->ConfigurationTable[i];

		if (!memcmp(&t->VendorGuid, &acpi20, sizeof(EFI_GUID)))
			return (hpa_t)(uintptr_t)t->VendorTable;
		if (!memcmp(&t->VendorGuid, &acpi10, sizeof(EFI_GUID)))
			rsdp1 = (hpa_t)(uintptr_t)t->VendorTable;
	}
	return rsdp1;
}

static bool ends_with_efi(const char *w, size_t len)
{
	static const char ext[] = ".efi";
	size_t i, n = sizeof(ext) - 1;

	if (len < n)
		return false;
	for (i = 0; i < n; i++)
		if ((w[len - n + i] | 0x20) != ext[i])
			return false;
	return true;
}

/*
 * The shell passes the whole command line including the program's own path
 * as LoadOptions; a boot entry passes only its optional data. Drop a first
 * word that names an .efi file.
 */
static void drop_program_name(char *s)
{
	size_t w = 0, skip;

	while (s[w] && s[w] != ' ')
		w++;
	if (!ends_with_efi(s, w))
		return;
	skip = w;
	while (s[skip] == ' ')
		skip++;
	memmove(s, s + skip, strlen(s + skip) + 1);
}

/*
 * LoadOptions are UCS-2 text when set by the shell or a boot entry made for
 * us, but boot entries created by the firmware carry binary data (OVMF puts a
 * GUID there): anything that is not printable ASCII yields an empty line.
 */
void efi_cmdline(const EFI_LOADED_IMAGE *li, char *out, size_t size)
{
	const CHAR16 *in = li->LoadOptions;
	size_t n = li->LoadOptionsSize / sizeof(CHAR16), i, len = 0;

	out[0] = '\0';
	if (!in)
		return;
	for (i = 0; i < n && in[i]; i++) {
		CHAR16 c = in[i] == L'\t' ? L' ' : in[i];

		if (c < 0x20 || c > 0x7e) {
			out[0] = '\0';
			return;
		}
		if (len + 1 < size && !(c == L' ' && (len == 0 || out[len - 1] == ' ')))
			out[len++] = (char)c;
	}
	while (len && out[len - 1] == ' ')
		len--;
	out[len] = '\0';
	drop_program_name(out);
}
