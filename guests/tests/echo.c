/* SPDX-License-Identifier: Apache-2.0 */
/*
 * echo: an interactive guest for the console tests. It polls its UART
 * (LSR bit 0, data ready) and prints each line it receives back as
 * "echo: NAME got 'LINE'", where NAME is `name=` from its command line.
 * It never ends.
 */
#include "rt.h"

const char guest_name[] = "echo";

#define COM1	 0x3f8
#define UART_RBR 0
#define UART_LSR 5
#define LSR_DR	 0x01
#define LINE_MAX 80

static char line[LINE_MAX + 1];
static size_t len;

static void got_byte(const char *name, size_t name_len, char c)
{
	if (c == '\r' || c == '\n') {
		if (!len)
			return;
		line[len] = '\0';
		rt_printf("echo: %s got '%s'\n", name, line);
		len = 0;
	} else if (len < LINE_MAX && c >= 0x20 && c < 0x7f) {
		line[len++] = c;
	}
}

void guest_main(uint32_t magic, const struct mb_info *mbi)
{
	char name[16] = "?";
	size_t name_len = 0;
	const char *arg = rt_arg("name", &name_len);

	if (arg && name_len < sizeof(name)) {
		for (size_t i = 0; i < name_len; i++)
			name[i] = arg[i];
		name[name_len] = '\0';
	}
	rt_printf("echo: %s ready\n", name);
	for (;;) {
		if (inb(COM1 + UART_LSR) & LSR_DR)
			got_byte(name, name_len, (char)inb(COM1 + UART_RBR));
		else
			cpu_relax();
	}
}
