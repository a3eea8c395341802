/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Line lexer: turns one physical line (without its '\n') into a section
 * header or a key and its decoded value. Comments start at '#' outside double
 * quotes; inside quotes, \" and \\ are the only escapes. Bytes above 0x7f are
 * allowed in comments and values only; other control bytes (NUL included)
 * make the whole line an error.
 */
#include <hv/config.h>
#include <hv/string.h>

#include "cfg_internal.h"

static bool is_space(char c)
{
	return c == ' ' || c == '\t';
}

static bool is_key_char(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
	       c == '_';
}

/* Reports the first control byte of the line; false if there is one. */
static bool check_bytes(const char *p, size_t len, struct cfg_line *out, struct diag_sink *diags)
{
	for (size_t i = 0; i < len; i++) {
		unsigned char c = (unsigned char)p[i];

		if (c >= 0x20 && c != 0x7f)
			continue;
		if (c == '\t' || (c == '\r' && i == len - 1))
			continue;
		diag_report(diags, DIAG_ERROR, out->number, "bad-char",
			    "%s byte 0x%02x in column %zu; the line is ignored",
			    c == 0 ? "NUL" : "control", c, i + 1);
		return false;
	}
	return true;
}

static void trim(const char **p, const char **end)
{
	while (*p < *end && is_space(**p))
		(*p)++;
	while (*end > *p && is_space((*end)[-1]))
		(*end)--;
}

/* Decodes the value text [p, end) into out->value, stopping at a comment. */
static bool decode_value(const char *p, const char *end, struct cfg_line *out,
			 struct diag_sink *diags)
{
	size_t n = 0, keep = 0;
	bool in_quote = false;

	out->quoted = false;
	for (; p < end; p++) {
		char c = *p;

		if (!in_quote && c == '#')
			break;
		if (c == '"') {
			in_quote = !in_quote;
			out->quoted = true;
			keep = n;
			continue;
		}
		if (in_quote && c == '\\' && p + 1 < end && (p[1] == '"' || p[1] == '\\'))
			c = *++p;
		if (n + 1 >= CFG_VALUE_MAX) {
			diag_report(diags, DIAG_ERROR, out->number, "bad-value",
				    "value longer than %d characters", CFG_VALUE_MAX - 1);
			return false;
		}
		out->value[n++] = c;
	}
	if (in_quote) {
		diag_report(diags, DIAG_ERROR, out->number, "syntax",
			    "unterminated quoted string: add the closing '\"'");
		return false;
	}
	/* Blanks before a comment are not part of the value; quoted blanks are. */
	while (n > keep && is_space(out->value[n - 1]))
		n--;
	out->value[n] = '\0';
	out->value_len = n;
	return true;
}

static void lex_section(const char *p, const char *end, struct cfg_line *out,
			struct diag_sink *diags)
{
	const char *close = p;

	while (close < end && *close != ']')
		close++;
	if (close == end) {
		diag_report(diags, DIAG_ERROR, out->number, "syntax",
			    "section header without ']': write [guest NAME]");
		out->kind = LINE_BAD;
		return;
	}
	for (const char *q = close + 1; q < end && *q != '#'; q++) {
		if (!is_space(*q)) {
			diag_report(diags, DIAG_ERROR, out->number, "syntax",
				    "text after the section header's ']'");
			out->kind = LINE_BAD;
			return;
		}
	}
	p++;
	trim(&p, &close);
	out->kind = LINE_SECTION;
	out->head = p;
	out->head_len = (size_t)(close - p);
}

static void lex_key(const char *p, const char *end, struct cfg_line *out, struct diag_sink *diags)
{
	const char *k = p;

	while (p < end && is_key_char(*p))
		p++;
	out->head = k;
	out->head_len = (size_t)(p - k);
	while (p < end && is_space(*p))
		p++;
	if (out->head_len == 0 || p == end || *p != '=') {
		diag_report(diags, DIAG_ERROR, out->number, "syntax",
			    "expected 'key = value' or '[section]'");
		out->kind = LINE_BAD;
		return;
	}
	p++;
	while (p < end && is_space(*p))
		p++;
	out->kind = decode_value(p, end, out, diags) ? LINE_KEY : LINE_BAD;
}

void cfg_lex_line(const char *p, size_t len, struct cfg_line *out, struct diag_sink *diags)
{
	const char *end;

	out->kind = LINE_EMPTY;
	out->value_len = 0;
	out->value[0] = '\0';
	if (!check_bytes(p, len, out, diags)) {
		out->kind = LINE_BAD;
		return;
	}
	end = p + len;
	if (end > p && end[-1] == '\r')
		end--;
	trim(&p, &end);
	if (p == end || *p == '#')
		return;
	if (*p == '[')
		lex_section(p, end, out, diags);
	else
		lex_key(p, end, out, diags);
}
