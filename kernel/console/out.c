/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Command output: plain text, or JSON with one object per line (RFC 8259;
 * strings escaped so that nothing a guest named or printed can break the
 * object or reach the terminal as a control character).
 */
#include <stdarg.h>

#include <hv/console.h>
#include <hv/printk.h>
#include <hv/string.h>

void con_write(struct con_out *o, const char *s, size_t len)
{
	if (len)
		o->write(o->ctx, s, len);
}

void con_puts(struct con_out *o, const char *s)
{
	con_write(o, s, strlen(s));
}

static void con_vprintf(struct con_out *o, const char *fmt, va_list ap)
{
	char buf[512];
	int n = hv_vsnprintf(buf, sizeof(buf), fmt, ap);

	con_write(o, buf, n < (int)sizeof(buf) ? (size_t)n : sizeof(buf) - 1);
}

void con_printf(struct con_out *o, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	con_vprintf(o, fmt, ap);
	va_end(ap);
}

void con_error(struct con_out *o, const char *fmt, ...)
{
	char msg[256];
	va_list ap;

	va_start(ap, fmt);
	hv_vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	if (o->json) {
		json_begin(o);
		json_str(o, "error", msg);
		json_end(o);
	} else {
		con_printf(o, "error: %s\n", msg);
	}
}

/* ---- JSON ------------------------------------------------------------------------ */

static void quoted(struct con_out *o, const char *s, size_t len)
{
	static const char hex[] = "0123456789abcdef";

	con_write(o, "\"", 1);
	for (size_t i = 0; i < len; i++) {
		u8 c = (u8)s[i];
		char esc[6] = {'\\', 'u', '0', '0', hex[c >> 4], hex[c & 15]};

		if (c == '"' || c == '\\') {
			char two[2] = {'\\', (char)c};
			con_write(o, two, 2);
		} else if (c < 0x20 || c >= 0x7f) {
			con_write(o, esc, sizeof(esc));
		} else {
			con_write(o, (const char *)&c, 1);
		}
	}
	con_write(o, "\"", 1);
}

/* The comma before a member and its "key": part. */
static void member(struct con_out *o, const char *key)
{
	u32 d = o->depth < CON_JSON_DEPTH ? o->depth : CON_JSON_DEPTH - 1;

	if (o->comma[d])
		con_write(o, ",", 1);
	o->comma[d] = true;
	if (key) {
		quoted(o, key, strlen(key));
		con_write(o, ":", 1);
	}
}

static void json_open(struct con_out *o, const char *key, const char *bracket)
{
	member(o, key);
	con_puts(o, bracket);
	if (o->depth + 1 < CON_JSON_DEPTH)
		o->comma[o->depth + 1] = false;
	o->depth++;
}

static void json_close(struct con_out *o, const char *bracket)
{
	if (o->depth)
		o->depth--;
	con_puts(o, bracket);
}

void json_begin(struct con_out *o)
{
	o->depth = 0;
	o->comma[0] = false;
	json_open(o, NULL, "{");
}

void json_end(struct con_out *o)
{
	while (o->depth > 1)
		json_close(o, "]"); /* never reached by balanced callers */
	json_close(o, "}\n");
}

void json_obj(struct con_out *o, const char *key)
{
	json_open(o, key, "{");
}

void json_obj_end(struct con_out *o)
{
	json_close(o, "}");
}

void json_arr(struct con_out *o, const char *key)
{
	json_open(o, key, "[");
}

void json_arr_end(struct con_out *o)
{
	json_close(o, "]");
}

void json_strn(struct con_out *o, const char *key, const char *val, size_t len)
{
	member(o, key);
	quoted(o, val, len);
}

void json_str(struct con_out *o, const char *key, const char *val)
{
	if (!val) {
		member(o, key);
		con_puts(o, "null");
		return;
	}
	json_strn(o, key, val, strlen(val));
}

void json_u64(struct con_out *o, const char *key, u64 val)
{
	member(o, key);
	con_printf(o, "%llu", (unsigned long long)val);
}

void json_hex(struct con_out *o, const char *key, u64 val)
{
	member(o, key);
	con_printf(o, "\"%#llx\"", (unsigned long long)val);
}

void json_bool(struct con_out *o, const char *key, bool val)
{
	member(o, key);
	con_puts(o, val ? "true" : "false");
}
