/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Value syntax shared by every key: numbers, sizes, ranges, PCI addresses and
 * lists. All arithmetic is checked: a number that does not fit 64 bits is
 * -EOVERFLOW, never a silent wrap.
 */
#include <hv/config.h>
#include <hv/ctype.h>
#include <hv/errno.h>
#include <hv/printk.h>
#include <hv/string.h>

#include "cfg_internal.h"

static int parse_hex(const char *s, size_t len, u64 *out)
{
	u64 v = 0;

	if (len == 0)
		return -EINVAL;
	for (size_t i = 0; i < len; i++) {
		int d = hex_digit_value(s[i]);

		if (d < 0)
			return -EINVAL;
		if (v >> 60)
			return -EOVERFLOW;
		v = (v << 4) | (u64)d;
	}
	*out = v;
	return 0;
}

static int parse_dec(const char *s, size_t len, u64 *out)
{
	u64 v = 0;

	if (len == 0)
		return -EINVAL;
	for (size_t i = 0; i < len; i++) {
		u64 d = (u64)(s[i] - '0');

		if (s[i] < '0' || s[i] > '9')
			return -EINVAL;
		if (v > (UINT64_MAX - d) / 10)
			return -EOVERFLOW;
		v = v * 10 + d;
	}
	*out = v;
	return 0;
}

int cfg_parse_u64(const char *s, size_t len, u64 *out)
{
	if (len > 2 && s[0] == '0' && (s[1] == 'x' || s[1] == 'X'))
		return parse_hex(s + 2, len - 2, out);
	return parse_dec(s, len, out);
}

static unsigned int size_shift(char c)
{
	switch (c) {
	case 'k':
	case 'K':
		return 10;
	case 'm':
	case 'M':
		return 20;
	case 'g':
	case 'G':
		return 30;
	case 't':
	case 'T':
		return 40;
	default:
		return 0;
	}
}

int cfg_parse_size(const char *s, size_t len, u64 *out)
{
	unsigned int shift = len ? size_shift(s[len - 1]) : 0;
	u64 v;
	int err;

	if (shift)
		len--;
	err = cfg_parse_u64(s, len, &v);
	if (err)
		return err;
	if (shift && v > (UINT64_MAX >> shift))
		return -EOVERFLOW;
	*out = v << shift;
	return 0;
}

static const char *find_char(const char *s, size_t len, char c)
{
	for (size_t i = 0; i < len; i++)
		if (s[i] == c)
			return s + i;
	return NULL;
}

int cfg_parse_range(const char *s, size_t len, struct cfg_range *out)
{
	const char *sep = find_char(s, len, '-');
	u64 a, b;
	int err;

	if (!sep)
		sep = find_char(s, len, '+');
	err = cfg_parse_u64(s, sep ? (size_t)(sep - s) : len, &a);
	if (err)
		return err;
	if (!sep) {
		out->base = a;
		out->size = 1;
		return 0;
	}
	if (*sep == '-')
		err = cfg_parse_u64(sep + 1, len - (size_t)(sep + 1 - s), &b);
	else
		err = cfg_parse_size(sep + 1, len - (size_t)(sep + 1 - s), &b);
	if (err)
		return err;
	if (*sep == '-') {
		if (b < a || (a == 0 && b == UINT64_MAX))
			return b < a ? -EINVAL : -EOVERFLOW;
		out->size = b - a + 1;
	} else {
		if (b == 0)
			return -EINVAL;
		if (b - 1 > UINT64_MAX - a)
			return -EOVERFLOW;
		out->size = b;
	}
	out->base = a;
	return 0;
}

int cfg_parse_pci(const char *s, size_t len, struct cfg_pci *out)
{
	u64 bus, dev, fn;

	/* BB:DD.F, PCI Local Bus Spec 3.0 section 3.2.2.3.2: 8-bit bus, 5-bit device, 3-bit
	 * function */
	if (len < 6 || len > 7 || s[len - 2] != '.' || s[len - 5] != ':')
		return -EINVAL;
	if (parse_hex(s, len - 5, &bus) || parse_hex(s + len - 4, 2, &dev) ||
	    parse_hex(s + len - 1, 1, &fn))
		return -EINVAL;
	if (bus > 0xff || dev > 31 || fn > 7)
		return -EINVAL;
	out->bus = (u8)bus;
	out->dev = (u8)dev;
	out->fn = (u8)fn;
	return 0;
}

bool cfg_next_token(const char **p, const char *end, const char **tok, size_t *len)
{
	const char *s = *p;

	while (s < end && (*s == ' ' || *s == '\t' || *s == ','))
		s++;
	*tok = s;
	while (s < end && *s != ' ' && *s != '\t' && *s != ',')
		s++;
	*len = (size_t)(s - *tok);
	*p = s;
	return *len != 0;
}

bool cfg_word_eq(const char *s, size_t len, const char *word)
{
	return strlen(word) == len && memcmp(s, word, len) == 0;
}

static bool name_char(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
	       c == '_' || c == '-' || c == '.';
}

bool cfg_valid_name(const char *s, size_t len)
{
	if (len == 0 || len >= CFG_NAME_MAX || !name_char(s[0]) || s[0] == '-' || s[0] == '.' ||
	    s[0] == '_')
		return false;
	for (size_t i = 1; i < len; i++)
		if (!name_char(s[i]))
			return false;
	return true;
}

u16 cfg_com_port(const char *s, size_t len)
{
	/* The conventional PC COM port bases (IBM PC/AT technical reference). */
	static const u16 ports[] = {0x3f8, 0x2f8, 0x3e8, 0x2e8};

	if (len != 4 || memcmp(s, "com", 3) != 0 || s[3] < '1' || s[3] > '4')
		return 0;
	return ports[s[3] - '1'];
}

void cfg_format_size(char *buf, size_t size, u64 bytes)
{
	static const char *const units[] = {"B", "KiB", "MiB", "GiB", "TiB"};
	unsigned int u = 4;

	/* The largest unit that divides exactly and keeps the number short. */
	while (u > 0 && ((bytes & ((1ULL << (10 * u)) - 1)) || (bytes >> (10 * u)) == 0))
		u--;
	if (u > 0 || bytes < 10000) {
		hv_snprintf(buf, size, "%llu %s", (unsigned long long)(bytes >> (10 * u)),
			    units[u]);
		return;
	}
	for (u = 4; u > 1 && bytes >> (10 * u) == 0;)
		u--;
	/* One decimal, truncated; "~" says it is not exact. */
	hv_snprintf(buf, size, "~%llu.%llu %s", (unsigned long long)(bytes >> (10 * u)),
		    (unsigned long long)(((bytes & ((1ULL << (10 * u)) - 1)) * 10) >> (10 * u)),
		    units[u]);
}
