/* SPDX-License-Identifier: Apache-2.0 */
/*
 * bulkhead-check: the offline configuration checker. It runs the very parser,
 * validator, hardware check and planner the hypervisor runs at boot, against
 * a described (--machine FILE) or default machine.
 *
 * Exit status: 0 valid, 1 invalid, 2 usage or I/O error.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <hv/config.h>
#include <hv/plan.h>

#include "machine_file.h"

static struct config cfg;
static struct machine_desc machine;
static struct machine_files machine_files;
static struct plan plan;
static const char *images_dir;

static void usage(void)
{
	fprintf(stderr, "usage: bulkhead-check [--machine FILE] [--images DIR] [--quiet] "
			"bulkhead.cfg\n");
	exit(2);
}

static char *read_file(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	char *buf = NULL;
	size_t cap = 0, n;

	if (!f)
		return NULL;
	*len = 0;
	do {
		if (*len == cap) {
			cap = cap ? cap * 2 : 65536;
			buf = realloc(buf, cap);
			if (!buf)
				exit(2);
		}
		n = fread(buf + *len, 1, cap - *len, f);
		*len += n;
	} while (n);
	if (ferror(f)) {
		free(buf);
		buf = NULL;
	}
	fclose(f);
	return buf ? buf : NULL;
}

static void emit(void *ctx, enum diag_severity sev, const char *line)
{
	fprintf(stderr, "%s\n", line);
}

static void print_line(void *ctx, const char *line)
{
	fprintf(stdout, "%s\n", line);
}

/* machine_file_size_fn: images are files under --images DIR. */
static int images_lookup(void *ctx, const char *name, u64 *size)
{
	char path[4096];
	struct stat st;

	snprintf(path, sizeof(path), "%s/%s", images_dir, name);
	if (stat(path, &st) || !S_ISREG(st.st_mode))
		return -2; /* -ENOENT */
	*size = (u64)st.st_size;
	return 0;
}

static int load_machine(const char *path)
{
	size_t len;
	char *text;
	int err;

	if (!path) {
		machine_default(&machine);
		return 0;
	}
	text = read_file(path, &len);
	if (!text) {
		perror(path);
		return -1;
	}
	err = machine_file_parse(path, text, len, &machine, &machine_files);
	free(text);
	return err;
}

int main(int argc, char **argv)
{
	struct diag_sink sink = {.emit = emit};
	const char *machine_path = NULL, *cfg_path = NULL;
	bool quiet = false;
	size_t len;
	char *text;
	int err;

	for (int i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--machine") && i + 1 < argc)
			machine_path = argv[++i];
		else if (!strcmp(argv[i], "--images") && i + 1 < argc)
			images_dir = argv[++i];
		else if (!strcmp(argv[i], "--quiet"))
			quiet = true;
		else if (argv[i][0] == '-' || cfg_path)
			usage();
		else
			cfg_path = argv[i];
	}
	if (!cfg_path)
		usage();
	if (load_machine(machine_path))
		return 2;
	if (images_dir) {
		machine.file_size = images_lookup;
		machine.file_ctx = NULL;
	}
	text = read_file(cfg_path, &len);
	if (!text) {
		perror(cfg_path);
		return 2;
	}
	sink.file = cfg_path;
	err = config_load(&cfg, cfg_path, text, len, &sink);
	if (!err)
		err = config_check_machine(&cfg, &machine, &sink);
	if (!err)
		err = plan_build(&cfg, &machine, &plan, &sink);
	if (!err && !quiet)
		plan_print(&plan, print_line, NULL);
	free(text);
	if (!quiet || err)
		fprintf(stderr, "%s: %u error(s), %u warning(s)\n", cfg_path, sink.errors,
			sink.warnings);
	return err ? 1 : 0;
}
