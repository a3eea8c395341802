/* SPDX-License-Identifier: Apache-2.0 */
/*
 * libFuzzer target: arbitrary bytes through the parser, the validator, the
 * hardware check against the default machine and, when those pass, the
 * planner and the plan printer. Any crash, sanitizer report or timeout is a
 * bug: the same code parses untrusted files at boot.
 */
#include <stdlib.h>
#include <string.h>

#include <hv/config.h>
#include <hv/plan.h>

int LLVMFuzzerTestOneInput(const unsigned char *data, size_t size);

static struct config cfg;
static struct machine_desc machine;
static struct plan plan;
static size_t sink_bytes;

static void emit(void *ctx, enum diag_severity sev, const char *line)
{
	sink_bytes += strlen(line);
}

static void print_line(void *ctx, const char *line)
{
	sink_bytes += strlen(line);
}

/* Every image exists and weighs 64 KiB per character of its name. */
static int file_size(void *ctx, const char *name, u64 *size)
{
	*size = (u64)strlen(name) << 16;
	return name[0] == 'x' ? -2 : 0;
}

int LLVMFuzzerTestOneInput(const unsigned char *data, size_t size)
{
	struct diag_sink sink = {.emit = emit, .file = "fuzz.cfg"};
	char *text = malloc(size ? size : 1); /* exact size: ASan sees any over-read */

	if (!text)
		return 0;
	memcpy(text, data, size);
	machine_default(&machine);
	machine.file_size = file_size;
	if (config_load(&cfg, "fuzz.cfg", text, size, &sink) == 0 &&
	    config_check_machine(&cfg, &machine, &sink) == 0 &&
	    plan_build(&cfg, &machine, &plan, &sink) == 0)
		plan_print(&plan, print_line, NULL);
	free(text);
	return 0;
}
