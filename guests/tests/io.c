/* SPDX-License-Identifier: Apache-2.0 */
/*
 * io: a port nobody emulates or passes through reads as all ones at every
 * width, and a write to it is dropped without a fault. The default port is
 * one that QEMU's pc and q35 machines also leave unassigned; port=N picks
 * another.
 */
#include "rt.h"

#define DEFAULT_PORT 0x0e0

const char guest_name[] = "io";

void guest_main(uint32_t magic, const struct mb_info *mbi)
{
	uint64_t port = DEFAULT_PORT;
	size_t len;
	const char *arg = rt_arg("port", &len);
	uint32_t b, w, l;

	if (arg && (!rt_parse_u64(arg, len, &port) || port > 0xfffc))
		rt_fail("bad port= argument");
	outb((uint16_t)port, 0x5a);
	b = inb((uint16_t)port);
	w = inw((uint16_t)port);
	l = inl((uint16_t)port);
	rt_printf("io: port 0x%x reads 0x%02x 0x%04x 0x%08x\n", (uint32_t)port, b, w, l);
	if (b != 0xff || w != 0xffff || l != 0xffffffffu)
		rt_fail("port 0x%x is not all ones", (uint32_t)port);
	rt_pass();
}
