/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Diagnostics: one line per finding, "FILE:LINE: error[rule-id]: message",
 * handed to the caller's sink. Also the "did you mean" helper.
 */
#include <stdarg.h>

#include <hv/config.h>
#include <hv/printk.h>
#include <hv/string.h>

#include "cfg_internal.h"

#define DIAG_LINE_MAX 512

void diag_report(struct diag_sink *sink, enum diag_severity sev, u32 line, const char *rule,
		 const char *fmt, ...)
{
	char msg[DIAG_LINE_MAX - 64];
	char out[DIAG_LINE_MAX];
	va_list ap;

	if (sev == DIAG_ERROR)
		sink->errors++;
	else
		sink->warnings++;
	if (!sink->emit)
		return;
	va_start(ap, fmt);
	hv_vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	hv_snprintf(out, sizeof(out), "%s:%u: %s[%s]: %s", sink->file ? sink->file : "config",
		    line ? line : 1, sev == DIAG_ERROR ? "error" : "warning", rule, msg);
	sink->emit(sink->ctx, sev, out);
}

#define DYM_MAX 24 /* longer words are never "close" to a key */

/* Levenshtein distance with two rows; both lengths are at most DYM_MAX. */
static unsigned int edit_distance(const char *a, size_t al, const char *b, size_t bl)
{
	unsigned int row[2][DYM_MAX + 1];

	for (size_t j = 0; j <= bl; j++)
		row[0][j] = (unsigned int)j;
	for (size_t i = 1; i <= al; i++) {
		unsigned int *cur = row[i & 1], *prev = row[(i - 1) & 1];

		cur[0] = (unsigned int)i;
		for (size_t j = 1; j <= bl; j++) {
			unsigned int best = prev[j - 1] + (a[i - 1] != b[j - 1]);

			if (prev[j] + 1 < best)
				best = prev[j] + 1;
			if (cur[j - 1] + 1 < best)
				best = cur[j - 1] + 1;
			cur[j] = best;
		}
	}
	return row[al & 1][bl];
}

const char *cfg_did_you_mean(const char *s, size_t len, const char *const *words, size_t count)
{
	const char *best = NULL;
	unsigned int best_d = 3;

	if (len == 0 || len > DYM_MAX)
		return NULL;
	for (size_t i = 0; i < count; i++) {
		size_t wl = strlen(words[i]);
		unsigned int d;

		if (wl > DYM_MAX)
			continue;
		d = edit_distance(s, len, words[i], wl);
		if (d < best_d) {
			best_d = d;
			best = words[i];
		}
	}
	return best;
}
