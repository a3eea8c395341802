/* SPDX-License-Identifier: Apache-2.0 */
/* The checker's --machine FILE description (format: docs/config.md). */
#ifndef TOOLS_CHECK_MACHINE_FILE_H
#define TOOLS_CHECK_MACHINE_FILE_H

#include <hv/config.h>

#define MACHINE_FILE_MAX 64

/* Image sizes named by `file = NAME SIZE` lines. */
struct machine_files {
	unsigned int count;
	char name[MACHINE_FILE_MAX][CFG_PATH_MAX];
	u64 size[MACHINE_FILE_MAX];
};

/* Parses text into *m and *files; prints errors on stderr; returns 0 or -1. */
int machine_file_parse(const char *path, const char *text, size_t len, struct machine_desc *m,
		       struct machine_files *files);

/* machine_file_size_fn over a struct machine_files. */
int machine_files_lookup(void *ctx, const char *name, u64 *size);

#endif
