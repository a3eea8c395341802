/* SPDX-License-Identifier: Apache-2.0 */
#include <hv/cmdline.h>
#include <hv/ctype.h>
#include <hv/string.h>

/* Finds the word starting with key followed by '=', ' ' or the end; returns it or NULL. */
static const char *find_word(const char *s, const char *key)
{
	size_t klen = strlen(key);

	while (s && *s) {
		while (*s == ' ' || *s == '\t')
			s++;
		if (!strncmp(s, key, klen) &&
		    (s[klen] == '\0' || s[klen] == ' ' || s[klen] == '\t' || s[klen] == '='))
			return s;
		while (*s && *s != ' ' && *s != '\t')
			s++;
	}
	return NULL;
}

bool cmdline_has(const char *cmdline, const char *key)
{
	return *key && find_word(cmdline, key) != NULL;
}

bool cmdline_get(const char *cmdline, const char *key, char *out, size_t size)
{
	const char *w = *key ? find_word(cmdline, key) : NULL;
	size_t n = 0;

	if (!w || w[strlen(key)] != '=' || !size)
		return false;
	w += strlen(key) + 1;
	while (w[n] && w[n] != ' ' && w[n] != '\t' && n < size - 1) {
		out[n] = w[n];
		n++;
	}
	out[n] = '\0';
	return true;
}

bool parse_u64(const char *s, u64 *out)
{
	unsigned base = 10;
	u64 v = 0;

	if (s[0] == '0' && (s[1] == 'x' || s[1] == 'X')) {
		base = 16;
		s += 2;
	}
	if (!*s)
		return false;
	for (; *s; s++) {
		int d = hex_digit_value(*s);
		if (d < 0 || d >= (int)base || v > (UINT64_MAX - (u64)d) / base)
			return false;
		v = v * base + (u64)d;
	}
	*out = v;
	return true;
}
