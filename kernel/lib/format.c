/* SPDX-License-Identifier: Apache-2.0 */
/*
 * A small vsnprintf for the hypervisor log and console. No floating point.
 * Output is truncated to the buffer; the return value is the full length.
 */
#include <hv/printk.h>
#include <hv/string.h>

struct out {
	char *buf;
	size_t size;
	size_t len;
};

struct spec {
	bool left;
	bool zero;
	bool plus;
	bool alt;
	int width;
	int prec;
	int length; /* -2 hh, -1 h, 0 int, 1 long, 2 long long / size_t */
};

static void put(struct out *o, char c)
{
	if (o->len + 1 < o->size)
		o->buf[o->len] = c;
	o->len++;
}

static void put_pad(struct out *o, char c, int n)
{
	while (n-- > 0)
		put(o, c);
}

static void put_field(struct out *o, const struct spec *sp, const char *s, int n)
{
	int pad = sp->width > n ? sp->width - n : 0;

	if (!sp->left)
		put_pad(o, ' ', pad);
	while (n--)
		put(o, *s++);
	if (sp->left)
		put_pad(o, ' ', pad);
}

/* Writes digits of v into the end of tmp; returns the number written. */
static int utoa_rev(char *tmp, u64 v, unsigned base, bool upper)
{
	const char *digits = upper ? "0123456789ABCDEF" : "0123456789abcdef";
	int n = 0;

	do {
		tmp[23 - n++] = digits[v % base];
		v /= base;
	} while (v);
	return n;
}

static void put_number(struct out *o, const struct spec *sp, u64 v, bool neg, unsigned base,
		       bool upper)
{
	char tmp[24];
	int n = utoa_rev(tmp, v, base, upper);
	char sign = neg ? '-' : (sp->plus ? '+' : 0);
	const char *prefix = (sp->alt && base == 16 && v) ? (upper ? "0X" : "0x") : "";
	int extra = (sign ? 1 : 0) + (int)strlen(prefix);
	int pad = sp->width > n + extra ? sp->width - n - extra : 0;

	if (!sp->left && !sp->zero)
		put_pad(o, ' ', pad);
	if (sign)
		put(o, sign);
	while (*prefix)
		put(o, *prefix++);
	if (!sp->left && sp->zero)
		put_pad(o, '0', pad);
	for (int i = 24 - n; i < 24; i++)
		put(o, tmp[i]);
	if (sp->left)
		put_pad(o, ' ', pad);
}

static const char *parse_spec(const char *f, struct spec *sp, va_list *ap)
{
	memset(sp, 0, sizeof(*sp));
	sp->prec = -1;
	for (;; f++) {
		if (*f == '-')
			sp->left = true;
		else if (*f == '0')
			sp->zero = true;
		else if (*f == '+')
			sp->plus = true;
		else if (*f == '#')
			sp->alt = true;
		else
			break;
	}
	if (*f == '*') {
		sp->width = va_arg(*ap, int);
		f++;
	}
	while (*f >= '0' && *f <= '9')
		sp->width = sp->width * 10 + (*f++ - '0');
	if (*f == '.') {
		sp->prec = 0;
		if (*++f == '*') {
			sp->prec = va_arg(*ap, int);
			f++;
		}
		while (*f >= '0' && *f <= '9')
			sp->prec = sp->prec * 10 + (*f++ - '0');
	}
	for (;; f++) {
		if (*f == 'h')
			sp->length--;
		else if (*f == 'l')
			sp->length++;
		else if (*f == 'z')
			sp->length = 2;
		else
			break;
	}
	return f;
}

static u64 fetch_unsigned(const struct spec *sp, va_list *ap)
{
	if (sp->length >= 1)
		return sp->length >= 2 ? va_arg(*ap, unsigned long long)
				       : va_arg(*ap, unsigned long);
	unsigned int v = va_arg(*ap, unsigned int);
	if (sp->length == -1)
		return (u16)v;
	if (sp->length <= -2)
		return (u8)v;
	return v;
}

static s64 fetch_signed(const struct spec *sp, va_list *ap)
{
	if (sp->length >= 1)
		return sp->length >= 2 ? va_arg(*ap, long long) : va_arg(*ap, long);
	int v = va_arg(*ap, int);
	if (sp->length == -1)
		return (s16)v;
	if (sp->length <= -2)
		return (s8)v;
	return v;
}

static void format_one(struct out *o, char conv, struct spec *sp, va_list *ap)
{
	switch (conv) {
	case 'd':
	case 'i': {
		s64 v = fetch_signed(sp, ap);
		put_number(o, sp, v < 0 ? -(u64)v : (u64)v, v < 0, 10, false);
		break;
	}
	case 'u':
		put_number(o, sp, fetch_unsigned(sp, ap), false, 10, false);
		break;
	case 'x':
	case 'X':
		put_number(o, sp, fetch_unsigned(sp, ap), false, 16, conv == 'X');
		break;
	case 'o':
		put_number(o, sp, fetch_unsigned(sp, ap), false, 8, false);
		break;
	case 'p':
		sp->alt = true;
		put_number(o, sp, (u64)(uintptr_t)va_arg(*ap, void *), false, 16, false);
		break;
	case 'c': {
		char c = (char)va_arg(*ap, int);
		put_field(o, sp, &c, 1);
		break;
	}
	case 's': {
		const char *s = va_arg(*ap, const char *);
		if (!s)
			s = "(null)";
		size_t n = sp->prec >= 0 ? strnlen(s, (size_t)sp->prec) : strlen(s);
		put_field(o, sp, s, (int)n);
		break;
	}
	case '%':
		put(o, '%');
		break;
	default:
		/* Unknown conversion: show it rather than consume an argument. */
		put(o, '%');
		put(o, conv);
		break;
	}
}

int hv_vsnprintf(char *buf, size_t size, const char *fmt, va_list ap)
{
	struct out o = {.buf = buf, .size = size, .len = 0};
	struct spec sp;
	va_list args;

	va_copy(args, ap);
	while (*fmt) {
		if (*fmt != '%') {
			put(&o, *fmt++);
			continue;
		}
		fmt = parse_spec(fmt + 1, &sp, &args);
		if (!*fmt)
			break;
		format_one(&o, *fmt++, &sp, &args);
	}
	va_end(args);
	if (size)
		buf[o.len < size ? o.len : size - 1] = '\0';
	return (int)o.len;
}

int hv_snprintf(char *buf, size_t size, const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = hv_vsnprintf(buf, size, fmt, ap);
	va_end(ap);
	return n;
}
