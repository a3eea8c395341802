/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Key dispatch: finds the key in its section's table, reports unknown and
 * duplicate keys, and calls the key's parser. Also the [hypervisor] and
 * [shared NAME] keys (the guest keys are in keys_guest.c).
 */
#include <hv/config.h>
#include <hv/errno.h>
#include <hv/string.h>

#include "cfg_internal.h"

const char *cfg_strdup(struct parse_state *st, const char *s, size_t len, u32 line)
{
	struct config *cfg = st->cfg;
	char *d;

	if (len + 1 > CFG_ARENA_SIZE - cfg->arena_used) {
		diag_report(st->diags, DIAG_ERROR, line, "limit",
			    "the file's strings exceed %d bytes in total", CFG_ARENA_SIZE);
		return NULL;
	}
	d = cfg->arena + cfg->arena_used;
	memcpy(d, s, len);
	d[len] = '\0';
	cfg->arena_used += len + 1;
	return d;
}

void cfg_bad_value(struct parse_state *st, const struct cfg_line *l, int err, const char *tok,
		   size_t tok_len, const char *expected)
{
	int n = (int)(tok_len > 40 ? 40 : tok_len);

	if (err == -EOVERFLOW)
		diag_report(st->diags, DIAG_ERROR, l->number, "value-overflow",
			    "'%.*s': '%.*s' does not fit in 64 bits", (int)l->head_len, l->head, n,
			    tok);
	else
		diag_report(st->diags, DIAG_ERROR, l->number, "bad-value",
			    "'%.*s': '%.*s' is not valid; expected %s", (int)l->head_len, l->head,
			    n, tok, expected);
}

/* ---- [hypervisor] ---------------------------------------------------------- */

static bool parse_baud(struct parse_state *st, const struct cfg_line *l, const char *tok,
		       size_t len)
{
	u64 baud;
	int err = cfg_parse_u64(tok, len, &baud);

	/* The 16550 divisor latch divides 115200 (1.8432 MHz / 16) by an integer. */
	if (!err && (baud == 0 || baud > 115200 || 115200 % baud != 0))
		err = -EINVAL;
	if (err) {
		cfg_bad_value(st, l, err, tok, len, "a baud rate that divides 115200");
		return false;
	}
	st->cfg->serial_baud = (u32)baud;
	return true;
}

static void key_serial(struct parse_state *st, const struct cfg_line *l)
{
	static const char expected[] = "com1..com4, io=PORT or mmio=ADDRESS, then a baud rate";
	const char *p = l->value, *end = l->value + l->value_len, *tok;
	struct config *cfg = st->cfg;
	size_t len;
	u64 v;
	int err = -EINVAL;

	if (!cfg_next_token(&p, end, &tok, &len)) {
		cfg_bad_value(st, l, -EINVAL, tok, len, expected);
		return;
	}
	cfg->serial_line = l->number;
	cfg->serial_kind = CFG_SERIAL_IO;
	if (cfg_com_port(tok, len)) {
		cfg->serial_base = cfg_com_port(tok, len);
		err = 0;
	} else if (len > 3 && memcmp(tok, "io=", 3) == 0) {
		err = cfg_parse_u64(tok + 3, len - 3, &v);
		if (!err && v > 0xfff8)
			err = -EINVAL;
		cfg->serial_base = v;
	} else if (len > 5 && memcmp(tok, "mmio=", 5) == 0) {
		err = cfg_parse_u64(tok + 5, len - 5, &v);
		cfg->serial_kind = CFG_SERIAL_MMIO;
		cfg->serial_base = v;
	}
	if (err) {
		cfg_bad_value(st, l, err, tok, len, expected);
		return;
	}
	if (cfg_next_token(&p, end, &tok, &len) && parse_baud(st, l, tok, len) &&
	    cfg_next_token(&p, end, &tok, &len))
		cfg_bad_value(st, l, -EINVAL, tok, len, "nothing after the baud rate");
}

static void key_console_cpu(struct parse_state *st, const struct cfg_line *l)
{
	u64 v;
	int err = cfg_parse_u64(l->value, l->value_len, &v);

	if (err) {
		cfg_bad_value(st, l, err, l->value, l->value_len, "a CPU number");
		return;
	}
	if (v >= CFG_MAX_CPUS) {
		diag_report(st->diags, DIAG_ERROR, l->number, "cpu-range",
			    "console_cpu %llu is beyond the largest CPU number %d",
			    (unsigned long long)v, CFG_MAX_CPUS - 1);
		return;
	}
	st->cfg->has_console_cpu = true;
	st->cfg->console_cpu = (u32)v;
	st->cfg->console_cpu_line = l->number;
}

/* Hypervisor command-line words, for boots that cannot pass a command line (UEFI from USB). */
static void key_options(struct parse_state *st, const struct cfg_line *l)
{
	if (l->value_len >= BOOT_CMDLINE_MAX_OPTIONS) {
		diag_report(st->diags, DIAG_ERROR, l->number, "bad-value",
			    "options is %zu bytes long; at most %d fit the command line",
			    l->value_len, BOOT_CMDLINE_MAX_OPTIONS - 1);
		return;
	}
	st->cfg->options = cfg_strdup(st, l->value, l->value_len, l->number);
}

const struct cfg_key_desc cfg_hv_keys[HK_COUNT] = {
	[HK_SERIAL] = {"serial", key_serial, false, false},
	[HK_CONSOLE_CPU] = {"console_cpu", key_console_cpu, false, false},
	[HK_OPTIONS] = {"options", key_options, false, false},
};

/* ---- [shared NAME] --------------------------------------------------------- */

static void key_shared_size(struct parse_state *st, const struct cfg_line *l)
{
	u64 v;
	int err = cfg_parse_size(l->value, l->value_len, &v);

	if (!err && v == 0)
		err = -EINVAL;
	if (err) {
		cfg_bad_value(st, l, err, l->value, l->value_len, "a size such as 2M");
		return;
	}
	st->shared->size = v;
}

static void key_shared_guests(struct parse_state *st, const struct cfg_line *l)
{
	st->shared->guest_names = cfg_strdup(st, l->value, l->value_len, l->number);
}

const struct cfg_key_desc cfg_shared_keys[SK_COUNT] = {
	[SK_SIZE] = {"size", key_shared_size, false, true},
	[SK_GUESTS] = {"guests", key_shared_guests, false, true},
};

/* ---- dispatch ------------------------------------------------------------- */

static const struct cfg_key_desc *section_keys(struct parse_state *st, size_t *count, u32 **lines)
{
	switch (st->section) {
	case SEC_HYPERVISOR:
		*count = HK_COUNT;
		*lines = st->hv_key_line;
		return cfg_hv_keys;
	case SEC_GUEST:
		*count = GK_COUNT;
		*lines = st->guest->key_line;
		return cfg_guest_keys;
	case SEC_SHARED:
		*count = SK_COUNT;
		*lines = st->shared->key_line;
		return cfg_shared_keys;
	case SEC_NONE:
	case SEC_SKIP:
		break;
	}
	return NULL;
}

static void unknown_key(struct parse_state *st, const struct cfg_line *l,
			const struct cfg_key_desc *keys, size_t count)
{
	const char *words[GK_COUNT];
	const char *hint;

	for (size_t i = 0; i < count; i++)
		words[i] = keys[i].name;
	hint = cfg_did_you_mean(l->head, l->head_len, words, count);
	diag_report(st->diags, DIAG_ERROR, l->number, "unknown-key",
		    "unknown key '%.*s' in this section%s%s%s",
		    (int)(l->head_len > 40 ? 40 : l->head_len), l->head,
		    hint ? " (did you mean '" : "", hint ? hint : "", hint ? "'?)" : "");
}

void cfg_apply_key(struct parse_state *st, const struct cfg_line *l)
{
	const struct cfg_key_desc *keys;
	size_t count, i;
	u32 *lines;

	if (st->section == SEC_SKIP)
		return;
	keys = section_keys(st, &count, &lines);
	if (!keys) {
		diag_report(
			st->diags, DIAG_ERROR, l->number, "syntax",
			"key '%.*s' before any section: start with [hypervisor] or [guest NAME]",
			(int)(l->head_len > 40 ? 40 : l->head_len), l->head);
		return;
	}
	for (i = 0; i < count && !cfg_word_eq(l->head, l->head_len, keys[i].name); i++)
		;
	if (i == count) {
		unknown_key(st, l, keys, count);
		return;
	}
	if (lines[i] && !keys[i].repeatable) {
		diag_report(st->diags, DIAG_ERROR, l->number, "duplicate-key",
			    "'%s' is already set at line %u: keep one", keys[i].name, lines[i]);
		return;
	}
	lines[i] = l->number;
	keys[i].parse(st, l);
}
