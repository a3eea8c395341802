/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Loads every file the configuration names (kernels, initrds, multiboot
 * modules), while boot services still can. The configuration is parsed with
 * the core's own parser; its diagnostics are left to the core, which checks
 * the file properly after boot services (and reports a file that could not be
 * loaded here as image-missing).
 *
 * A path in bulkhead.cfg is looked up beside bulkhead.cfg first, then from
 * the volume root (docs/config.md). The loaded file keeps the path exactly as
 * the configuration wrote it, which is how the core finds it again.
 */
#include <hv/config.h>
#include <hv/errno.h>
#include <hv/printk.h>
#include <hv/string.h>

#include "efi_boot.h"

static struct config efi_cfg;

static void ignore_diag(void *ctx, enum diag_severity sev, const char *line)
{
}

/* "\EFI\BOOT\" for "\EFI\BOOT\bulkhead.cfg". */
static void config_dir(const struct boot_info *bi, char *dir, size_t size)
{
	const char *last = NULL;

	for (const char *p = bi->config_path; *p; p++)
		if (*p == '\\' || *p == '/')
			last = p;
	size_t n = last ? (size_t)(last - bi->config_path) + 1 : 0;
	if (n >= size)
		n = 0;
	memcpy(dir, bi->config_path, n);
	dir[n] = '\0';
}

static int load_near_config(const struct boot_info *bi, const char *path, struct boot_file *f)
{
	char full[BOOT_NAME_MAX];
	int err = -ENOENT;

	config_dir(bi, full, sizeof(full));
	if (path[0] != '/' && path[0] != '\\' && strlen(full) + strlen(path) < sizeof(full)) {
		hv_strlcpy(full + strlen(full), path, sizeof(full) - strlen(full));
		err = efi_load_file(full, f);
	}
	if (err == -ENOENT)
		err = efi_load_file(path, f);
	return err;
}

static void load_one(struct boot_info *bi, const char *guest, const char *path)
{
	char line[2 * BOOT_NAME_MAX];
	struct boot_file f;
	int err;

	if (!path || boot_find_file(bi, path))
		return;
	if (bi->file_count >= BOOT_MAX_FILES) {
		hv_snprintf(line, sizeof(line),
			    "bulkhead-efi: guest %s: too many files, %s not loaded\n", guest, path);
		efi_log(line);
		return;
	}
	err = load_near_config(bi, path, &f);
	if (err) {
		hv_snprintf(line, sizeof(line), "bulkhead-efi: guest %s: cannot load %s (%s)\n",
			    guest, path, err == -ENOENT ? "not found" : "read error");
		efi_log(line);
		return;
	}
	hv_strlcpy(f.name, path, sizeof(f.name));
	bi->files[bi->file_count++] = f;
	hv_snprintf(line, sizeof(line), "bulkhead-efi: guest %s: %s (%llu bytes)\n", guest, path,
		    (unsigned long long)f.size);
	efi_log(line);
}

/* `[hypervisor] options` joins the command line: a USB boot passes none (docs/config.md). */
static void add_options(struct boot_info *bi, const char *options)
{
	size_t len = strlen(bi->cmdline);

	if (!options || !*options)
		return;
	if (len + 1 + strlen(options) >= sizeof(bi->cmdline)) {
		efi_log("bulkhead-efi: [hypervisor] options do not fit the command line; "
			"ignored\n");
		return;
	}
	if (len)
		bi->cmdline[len++] = ' ';
	hv_strlcpy(bi->cmdline + len, options, sizeof(bi->cmdline) - len);
}

void efi_load_guest_files(struct boot_info *bi)
{
	struct diag_sink quiet = {.emit = ignore_diag, .file = "bulkhead.cfg"};

	if (!bi->config_found)
		return;
	config_parse(&efi_cfg, "bulkhead.cfg", (const char *)(uintptr_t)bi->config_addr,
		     bi->config_size, &quiet);
	add_options(bi, efi_cfg.options);
	for (u32 i = 0; i < efi_cfg.guest_count; i++) {
		const struct cfg_guest *g = &efi_cfg.guests[i];

		load_one(bi, g->name, g->kernel);
		load_one(bi, g->name, g->initrd);
		for (u32 k = 0; k < g->module_count; k++)
			load_one(bi, g->name, g->modules[k].path);
	}
}
