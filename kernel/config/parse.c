/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Parser driver: walks the text line by line (no recursion, no allocation),
 * opens sections and hands key lines to keys.c. It reports syntax errors and
 * keeps going, so one run shows every error in the file.
 */
#include <hv/config.h>
#include <hv/errno.h>
#include <hv/string.h>

#include "cfg_internal.h"

static const char *const section_words[] = {"hypervisor", "guest", "shared"};

/* Splits "guest web" into its type word and its name (possibly empty). */
static void split_header(const struct cfg_line *l, const char **name, size_t *name_len,
			 size_t *type_len)
{
	const char *p = l->head, *end = l->head + l->head_len;

	while (p < end && *p != ' ' && *p != '\t')
		p++;
	*type_len = (size_t)(p - l->head);
	while (p < end && (*p == ' ' || *p == '\t'))
		p++;
	*name = p;
	*name_len = (size_t)(end - p);
}

static bool check_name(struct parse_state *st, const struct cfg_line *l, const char *kind,
		       const char *name, size_t len)
{
	if (cfg_valid_name(name, len))
		return true;
	if (len == 0)
		diag_report(st->diags, DIAG_ERROR, l->number, "bad-name",
			    "a %s section needs a name: write [%s NAME]", kind, kind);
	else
		diag_report(st->diags, DIAG_ERROR, l->number, "bad-name",
			    "'%.*s' is not a valid %s name: use up to %d letters, digits, '_', '-' "
			    "or '.', starting with a letter or digit",
			    (int)(len > 40 ? 40 : len), name, kind, CFG_NAME_MAX - 1);
	return false;
}

static void open_guest(struct parse_state *st, const struct cfg_line *l, const char *name,
		       size_t len)
{
	struct config *cfg = st->cfg;

	if (!check_name(st, l, "guest", name, len))
		return;
	for (u32 i = 0; i < cfg->guest_count; i++) {
		if (cfg_word_eq(name, len, cfg->guests[i].name)) {
			diag_report(st->diags, DIAG_ERROR, l->number, "duplicate-guest",
				    "guest '%s' is already defined at line %u: rename one",
				    cfg->guests[i].name, cfg->guests[i].line);
			return;
		}
	}
	if (cfg->guest_count == CFG_MAX_GUESTS) {
		if (!st->guest_limit_told)
			diag_report(st->diags, DIAG_ERROR, l->number, "limit",
				    "more than %d guests; this and later guests are ignored",
				    CFG_MAX_GUESTS);
		st->guest_limit_told = true;
		return;
	}
	st->guest = &cfg->guests[cfg->guest_count++];
	memcpy(st->guest->name, name, len);
	st->guest->line = l->number;
	st->guest->uart_port = 0x3f8;
	st->guest->autostart = true;
	st->section = SEC_GUEST;
}

static void open_shared(struct parse_state *st, const struct cfg_line *l, const char *name,
			size_t len)
{
	struct config *cfg = st->cfg;

	if (!check_name(st, l, "shared", name, len))
		return;
	for (u32 i = 0; i < cfg->shared_count; i++) {
		if (cfg_word_eq(name, len, cfg->shared[i].name)) {
			diag_report(st->diags, DIAG_ERROR, l->number, "duplicate-shared",
				    "shared region '%s' is already defined at line %u: rename one",
				    cfg->shared[i].name, cfg->shared[i].line);
			return;
		}
	}
	if (cfg->shared_count == CFG_MAX_SHARED) {
		if (!st->shared_limit_told)
			diag_report(st->diags, DIAG_ERROR, l->number, "limit",
				    "more than %d shared regions; this and later ones are ignored",
				    CFG_MAX_SHARED);
		st->shared_limit_told = true;
		return;
	}
	st->shared = &cfg->shared[cfg->shared_count++];
	memcpy(st->shared->name, name, len);
	st->shared->line = l->number;
	st->section = SEC_SHARED;
}

static void open_hypervisor(struct parse_state *st, const struct cfg_line *l, size_t name_len)
{
	if (name_len) {
		diag_report(st->diags, DIAG_ERROR, l->number, "syntax",
			    "[hypervisor] takes no name");
		return;
	}
	if (st->hv_line) {
		diag_report(st->diags, DIAG_ERROR, l->number, "duplicate-section",
			    "[hypervisor] is already at line %u: merge the two", st->hv_line);
		return;
	}
	st->hv_line = l->number;
	st->section = SEC_HYPERVISOR;
}

static void open_section(struct parse_state *st, const struct cfg_line *l)
{
	const char *name, *hint;
	size_t name_len, type_len;

	split_header(l, &name, &name_len, &type_len);
	st->section = SEC_SKIP;
	if (cfg_word_eq(l->head, type_len, "hypervisor")) {
		open_hypervisor(st, l, name_len);
	} else if (cfg_word_eq(l->head, type_len, "guest")) {
		open_guest(st, l, name, name_len);
	} else if (cfg_word_eq(l->head, type_len, "shared")) {
		open_shared(st, l, name, name_len);
	} else {
		hint = cfg_did_you_mean(l->head, type_len, section_words,
					ARRAY_SIZE(section_words));
		diag_report(st->diags, DIAG_ERROR, l->number, "unknown-section",
			    "unknown section '[%.*s]'%s%s%s; sections are [hypervisor], "
			    "[guest NAME] and [shared NAME]",
			    (int)(type_len > 40 ? 40 : type_len), l->head,
			    hint ? " (did you mean '" : "", hint ? hint : "", hint ? "'?)" : "");
	}
}

/* Bytes before the next '\n' (hv/string.h has no memchr). */
static size_t line_length(const char *p, size_t max)
{
	size_t n = 0;

	while (n < max && p[n] != '\n')
		n++;
	return n;
}

static void set_defaults(struct config *cfg)
{
	cfg->serial_kind = CFG_SERIAL_IO;
	cfg->serial_base = 0x3f8;
	cfg->serial_baud = 115200;
}

int config_parse(struct config *cfg, const char *file_name, const char *text, size_t len,
		 struct diag_sink *diags)
{
	struct parse_state st = {.cfg = cfg, .diags = diags, .section = SEC_NONE};
	struct cfg_line line;
	u32 errors = diags->errors;
	size_t pos = 0;

	memset(cfg, 0, sizeof(*cfg));
	cfg->file = file_name;
	if (!diags->file)
		diags->file = file_name;
	set_defaults(cfg);
	while (pos < len) {
		const char *p = text + pos;
		size_t n = line_length(p, len - pos);

		line.number = ++cfg->line_count;
		cfg_lex_line(p, n, &line, diags);
		if (line.kind == LINE_SECTION)
			open_section(&st, &line);
		else if (line.kind == LINE_KEY)
			cfg_apply_key(&st, &line);
		pos += n + (n < len - pos ? 1 : 0);
	}
	return diags->errors == errors ? 0 : -EINVAL;
}

int config_load(struct config *cfg, const char *file_name, const char *text, size_t len,
		struct diag_sink *diags)
{
	int err = config_parse(cfg, file_name, text, len, diags);
	int verr = config_validate(cfg, diags);

	return err ? err : verr;
}
