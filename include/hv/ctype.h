/* SPDX-License-Identifier: Apache-2.0 */
/* Character classes the parsers share (ASCII only, locale-free). */
#ifndef HV_CTYPE_H
#define HV_CTYPE_H

/* The value of a hexadecimal digit, or -1 for any other character. */
static inline int hex_digit_value(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

#endif
