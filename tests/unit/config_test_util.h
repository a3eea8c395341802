/* SPDX-License-Identifier: Apache-2.0 */
/* Helpers shared by the configuration unit tests: a sink that keeps lines. */
#ifndef TESTS_CONFIG_TEST_UTIL_H
#define TESTS_CONFIG_TEST_UTIL_H

#include <stdio.h>
#include <string.h>

#include <hv/config.h>

#define SINK_LINES 64

struct captured {
	unsigned int count;
	char lines[SINK_LINES][512];
};

static inline void capture_emit(void *ctx, enum diag_severity sev, const char *line)
{
	struct captured *c = ctx;

	if (c->count < SINK_LINES)
		snprintf(c->lines[c->count], sizeof(c->lines[0]), "%s", line);
	c->count++;
}

/* True if some captured line carries SEV[rule] ("error" or "warning"). */
static inline bool captured_has(const struct captured *c, const char *sev, const char *rule)
{
	char tag[80];

	snprintf(tag, sizeof(tag), " %s[%s]: ", sev, rule);
	for (unsigned int i = 0; i < c->count && i < SINK_LINES; i++)
		if (strstr(c->lines[i], tag))
			return true;
	return false;
}

static inline void captured_dump(const struct captured *c)
{
	for (unsigned int i = 0; i < c->count && i < SINK_LINES; i++)
		fprintf(stderr, "    | %s\n", c->lines[i]);
}

#endif
