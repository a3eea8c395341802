/* SPDX-License-Identifier: Apache-2.0 */
/* Console UART specification parsing (pure, host-tested). */
#include <hv/cmdline.h>
#include <hv/string.h>
#include <hv/uart.h>

static const u16 com_ports[] = {0x3f8, 0x2f8, 0x3e8, 0x2e8};

static bool parse_location(const char *s, size_t n, struct uart *u)
{
	char buf[32];
	u64 v;

	if (n == 0 || n >= sizeof(buf))
		return false;
	memcpy(buf, s, n);
	buf[n] = '\0';
	if (n == 4 && !strncmp(buf, "com", 3) && buf[3] >= '1' && buf[3] <= '4') {
		u->mmio = false;
		u->base = com_ports[buf[3] - '1'];
		return true;
	}
	if (!strncmp(buf, "io=", 3) && parse_u64(buf + 3, &v) && v && v <= 0xfff8) {
		u->mmio = false;
		u->base = v;
		return true;
	}
	if (!strncmp(buf, "mmio=", 5) && parse_u64(buf + 5, &v) && v && IS_ALIGNED(v, 4)) {
		u->mmio = true;
		u->base = v;
		return true;
	}
	return false;
}

bool uart_parse_spec(const char *spec, struct uart *u)
{
	const char *comma = strchr(spec, ',');
	size_t n = comma ? (size_t)(comma - spec) : strlen(spec);
	struct uart tmp = {.baud = 115200};
	u64 baud;

	if (!parse_location(spec, n, &tmp))
		return false;
	if (comma) {
		if (!parse_u64(comma + 1, &baud) || baud < 50 || baud > 115200 || 115200 % baud)
			return false;
		tmp.baud = (u32)baud;
	}
	*u = tmp;
	return true;
}
