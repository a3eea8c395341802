/* SPDX-License-Identifier: Apache-2.0 */
/* The keys of a [guest NAME] section. */
#include <hv/config.h>
#include <hv/errno.h>
#include <hv/string.h>

#include "cfg_internal.h"

#define FOR_EACH_TOKEN(l, p, end, tok, len)                                                        \
	for (p = (l)->value, end = (l)->value + (l)->value_len;                                    \
	     cfg_next_token(&p, end, &tok, &len);)

static bool has_char(const char *s, size_t len, char c)
{
	for (size_t i = 0; i < len; i++)
		if (s[i] == c)
			return true;
	return false;
}

static void add_cpu(struct parse_state *st, const struct cfg_line *l, u64 cpu)
{
	struct cfg_guest *g = st->guest;

	for (u32 i = 0; i < g->cpu_count; i++) {
		if (g->cpus[i] == cpu) {
			diag_report(st->diags, DIAG_ERROR, l->number, "cpu-duplicate",
				    "CPU %llu is listed twice for guest '%s'",
				    (unsigned long long)cpu, g->name);
			return;
		}
	}
	if (g->cpu_count == CFG_MAX_GUEST_CPUS) {
		diag_report(st->diags, DIAG_ERROR, l->number, "limit",
			    "guest '%s' has more than %d CPUs", g->name, CFG_MAX_GUEST_CPUS);
		return;
	}
	g->cpus[g->cpu_count++] = (u16)cpu;
}

static void key_cpus(struct parse_state *st, const struct cfg_line *l)
{
	const char *p, *end, *tok;
	struct cfg_range r;
	size_t len;
	int err;

	FOR_EACH_TOKEN(l, p, end, tok, len)
	{
		err = cfg_parse_range(tok, len, &r);
		if (err || has_char(tok, len, '+')) {
			cfg_bad_value(st, l, err ? err : -EINVAL, tok, len,
				      "CPU numbers and ranges such as '1-3, 5'");
			continue;
		}
		if (r.base + (r.size - 1) >= CFG_MAX_CPUS) {
			diag_report(st->diags, DIAG_ERROR, l->number, "cpu-range",
				    "CPU %llu is beyond the largest CPU number %d",
				    (unsigned long long)(r.base + (r.size - 1)), CFG_MAX_CPUS - 1);
			continue;
		}
		for (u64 c = r.base; c < r.base + r.size; c++)
			add_cpu(st, l, c);
	}
	if (l->value_len == 0)
		cfg_bad_value(st, l, -EINVAL, l->value, 0, "at least one CPU number");
}

static void key_memory(struct parse_state *st, const struct cfg_line *l)
{
	static const char expected[] = "a size such as 512M, optionally 'at ADDRESS'";
	const char *p = l->value, *end = l->value + l->value_len, *tok;
	struct cfg_guest *g = st->guest;
	size_t len;
	int err;

	cfg_next_token(&p, end, &tok, &len);
	err = cfg_parse_size(tok, len, &g->memory);
	if (!err && g->memory == 0)
		err = -EINVAL;
	if (err) {
		cfg_bad_value(st, l, err, tok, len, expected);
		return;
	}
	if (!cfg_next_token(&p, end, &tok, &len))
		return;
	if (!cfg_word_eq(tok, len, "at") || !cfg_next_token(&p, end, &tok, &len)) {
		cfg_bad_value(st, l, -EINVAL, tok, len, expected);
		return;
	}
	err = cfg_parse_u64(tok, len, &g->memory_at);
	if (!err && g->memory - 1 > UINT64_MAX - g->memory_at)
		err = -EOVERFLOW;
	if (!err && cfg_next_token(&p, end, &tok, &len))
		err = -EINVAL;
	if (err) {
		cfg_bad_value(st, l, err, tok, len, expected);
		return;
	}
	g->memory_pinned = true;
}

static void key_format(struct parse_state *st, const struct cfg_line *l)
{
	static const char *const names[] = {
		[CFG_FORMAT_LINUX] = "linux",
		[CFG_FORMAT_MULTIBOOT] = "multiboot",
		[CFG_FORMAT_ELF] = "elf",
		[CFG_FORMAT_RAW] = "raw",
	};

	for (u32 i = CFG_FORMAT_LINUX; i < ARRAY_SIZE(names); i++) {
		if (cfg_word_eq(l->value, l->value_len, names[i])) {
			st->guest->format = (enum cfg_format)i;
			return;
		}
	}
	cfg_bad_value(st, l, -EINVAL, l->value, l->value_len, "linux, multiboot, elf or raw");
}

static const char *parse_path(struct parse_state *st, const struct cfg_line *l)
{
	if (l->value_len == 0 || l->value_len >= CFG_PATH_MAX) {
		cfg_bad_value(st, l, -EINVAL, l->value, l->value_len,
			      "a file path of 1 to 127 characters");
		return NULL;
	}
	return cfg_strdup(st, l->value, l->value_len, l->number);
}

static void key_kernel(struct parse_state *st, const struct cfg_line *l)
{
	st->guest->kernel = parse_path(st, l);
}

static void key_initrd(struct parse_state *st, const struct cfg_line *l)
{
	st->guest->initrd = parse_path(st, l);
}

static bool is_blank(char c)
{
	return c == ' ' || c == '\t';
}

/*
 * module = PATH [STRING]: the path is the value's first blank-separated word
 * (after quotes are decoded); the rest, without its leading blanks, is the
 * string the guest sees, the path itself when there is none.
 */
static void key_module(struct parse_state *st, const struct cfg_line *l)
{
	struct cfg_guest *g = st->guest;
	struct cfg_module m = {.line = l->number};
	size_t n = 0, rest;

	while (n < l->value_len && !is_blank(l->value[n]))
		n++;
	if (n == 0 || n >= CFG_PATH_MAX) {
		cfg_bad_value(st, l, -EINVAL, l->value, l->value_len,
			      "a file path of 1 to 127 characters, then optionally its string");
		return;
	}
	if (g->module_count == CFG_MAX_MODULES) {
		diag_report(st->diags, DIAG_ERROR, l->number, "limit",
			    "guest '%s' has more than %d modules", g->name, CFG_MAX_MODULES);
		return;
	}
	rest = n;
	while (rest < l->value_len && is_blank(l->value[rest]))
		rest++;
	m.path = cfg_strdup(st, l->value, n, l->number);
	m.string = rest == l->value_len
			   ? m.path
			   : cfg_strdup(st, l->value + rest, l->value_len - rest, l->number);
	if (m.path && m.string)
		g->modules[g->module_count++] = m;
}

static void key_cmdline(struct parse_state *st, const struct cfg_line *l)
{
	st->guest->cmdline = cfg_strdup(st, l->value, l->value_len, l->number);
}

static void key_entry(struct parse_state *st, const struct cfg_line *l)
{
	int err = cfg_parse_u64(l->value, l->value_len, &st->guest->entry);

	if (err)
		cfg_bad_value(st, l, err, l->value, l->value_len, "an address such as 0x100000");
	else
		st->guest->has_entry = true;
}

static void key_uart(struct parse_state *st, const struct cfg_line *l)
{
	u16 port = cfg_com_port(l->value, l->value_len);

	if (port || cfg_word_eq(l->value, l->value_len, "none"))
		st->guest->uart_port = port;
	else
		cfg_bad_value(st, l, -EINVAL, l->value, l->value_len, "com1..com4 or none");
}

static void key_pci(struct parse_state *st, const struct cfg_line *l)
{
	const char *p, *end, *tok;
	struct cfg_guest *g = st->guest;
	struct cfg_pci pci;
	size_t len;

	FOR_EACH_TOKEN(l, p, end, tok, len)
	{
		if (cfg_parse_pci(tok, len, &pci)) {
			cfg_bad_value(st, l, -EINVAL, tok, len, "BUS:DEV.FN in hex, e.g. 00:03.0");
		} else if (g->pci_count == CFG_MAX_PASS) {
			diag_report(st->diags, DIAG_ERROR, l->number, "limit",
				    "guest '%s' has more than %d PCI functions", g->name,
				    CFG_MAX_PASS);
			return;
		} else {
			pci.line = l->number;
			g->pci[g->pci_count++] = pci;
		}
	}
	if (l->value_len == 0)
		cfg_bad_value(st, l, -EINVAL, l->value, 0, "BUS:DEV.FN in hex, e.g. 00:03.0");
}

/* ioports and mmio: lists of ranges, bounded by limit (exclusive end). */
static void parse_ranges(struct parse_state *st, const struct cfg_line *l, struct cfg_range *out,
			 u32 *count, u64 limit, const char *expected)
{
	const char *p, *end, *tok;
	struct cfg_range r;
	size_t len;
	int err;

	FOR_EACH_TOKEN(l, p, end, tok, len)
	{
		err = cfg_parse_range(tok, len, &r);
		if (!err && limit && (r.base >= limit || r.size > limit - r.base))
			err = -EINVAL;
		if (err) {
			cfg_bad_value(st, l, err, tok, len, expected);
			continue;
		}
		if (*count == CFG_MAX_PASS) {
			diag_report(st->diags, DIAG_ERROR, l->number, "limit",
				    "guest '%s' has more than %d ranges of this kind",
				    st->guest->name, CFG_MAX_PASS);
			return;
		}
		r.line = l->number;
		out[(*count)++] = r;
	}
	if (l->value_len == 0)
		cfg_bad_value(st, l, -EINVAL, l->value, 0, expected);
}

static void key_ioports(struct parse_state *st, const struct cfg_line *l)
{
	parse_ranges(st, l, st->guest->ioports, &st->guest->ioport_count, 0x10000,
		     "port ranges within 0-0xffff such as 0x2f8-0x2ff");
}

static void key_mmio(struct parse_state *st, const struct cfg_line *l)
{
	parse_ranges(st, l, st->guest->mmio, &st->guest->mmio_count, 0,
		     "address ranges such as 0xfed00000+0x1000");
}

static void key_on_fault(struct parse_state *st, const struct cfg_line *l)
{
	if (cfg_word_eq(l->value, l->value_len, "stop"))
		st->guest->on_fault = CFG_FAULT_STOP;
	else if (cfg_word_eq(l->value, l->value_len, "restart"))
		st->guest->on_fault = CFG_FAULT_RESTART;
	else
		cfg_bad_value(st, l, -EINVAL, l->value, l->value_len, "stop or restart");
}

static void key_autostart(struct parse_state *st, const struct cfg_line *l)
{
	if (cfg_word_eq(l->value, l->value_len, "yes"))
		st->guest->autostart = true;
	else if (cfg_word_eq(l->value, l->value_len, "no"))
		st->guest->autostart = false;
	else
		cfg_bad_value(st, l, -EINVAL, l->value, l->value_len, "yes or no");
}

const struct cfg_key_desc cfg_guest_keys[GK_COUNT] = {
	[GK_CPUS] = {"cpus", key_cpus, false, true},
	[GK_MEMORY] = {"memory", key_memory, false, true},
	[GK_FORMAT] = {"format", key_format, false, true},
	[GK_KERNEL] = {"kernel", key_kernel, false, true},
	[GK_INITRD] = {"initrd", key_initrd, false, false},
	[GK_MODULE] = {"module", key_module, true, false},
	[GK_CMDLINE] = {"cmdline", key_cmdline, false, false},
	[GK_ENTRY] = {"entry", key_entry, false, false},
	[GK_UART] = {"uart", key_uart, false, false},
	[GK_PCI] = {"pci", key_pci, true, false},
	[GK_IOPORTS] = {"ioports", key_ioports, true, false},
	[GK_MMIO] = {"mmio", key_mmio, true, false},
	[GK_ON_FAULT] = {"on_fault", key_on_fault, false, false},
	[GK_AUTOSTART] = {"autostart", key_autostart, false, false},
};
