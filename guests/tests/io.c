/* SPDX-License-Identifier: Apache-2.0 */
/*
 * io: a port nobody emulates or passes through reads as all ones at every
 * width, and a write to it is dropped without a fault. The default port is
 * one that QEMU's pc and q35 machines also leave unassigned; port=N picks
 * another. Then string I/O (SDM Vol. 2 INS, OUTS, REP): REP OUTSB of a line
 * to the UART, forwards and, with DF set, backwards from a reversed copy;
 * REP INSB of a CMOS register, which must read what IN reads.
 */
#include "rt.h"

#define DEFAULT_PORT 0x0e0
#define COM1_THR     0x3f8
#define CMOS_INDEX   0x70
#define CMOS_DATA    0x71
#define CMOS_BASEMEM 0x15 /* base memory size in KiB, low byte */

const char guest_name[] = "io";

static void rep_outsb(uint16_t port, const char *from, uint32_t count, bool down)
{
	if (down)
		__asm__ volatile("std; rep outsb; cld"
				 : "+S"(from), "+c"(count)
				 : "d"(port)
				 : "memory");
	else
		__asm__ volatile("rep outsb" : "+S"(from), "+c"(count) : "d"(port) : "memory");
	if (count)
		rt_fail("rep outsb left ecx = %u", count);
}

/* One line forwards; one from its reversed copy, read from the end down (DF = 1). */
static void string_out(void)
{
	static const char line[] = "io: rep outsb reached the UART\n";
	static const char backwards[] = "\nsdrawkcab BSTUO per :oi";

	rep_outsb(COM1_THR, line, sizeof(line) - 1, false);
	rep_outsb(COM1_THR, backwards + sizeof(backwards) - 2, sizeof(backwards) - 1, true);
}

static void string_in(void)
{
	uint8_t buf[8] = {0};
	uint8_t *to = buf;
	uint32_t count = 4, one;

	outb(CMOS_INDEX, CMOS_BASEMEM);
	one = inb(CMOS_DATA);
	__asm__ volatile("rep insb" : "+D"(to), "+c"(count) : "d"(CMOS_DATA) : "memory");
	if (count || to != buf + 4)
		rt_fail("rep insb left ecx = %u, edi %u bytes on", count, (uint32_t)(to - buf));
	for (int i = 0; i < 4; i++)
		if (buf[i] != one)
			rt_fail("rep insb byte %d is 0x%02x, in reads 0x%02x", i, buf[i], one);
	if (buf[4])
		rt_fail("rep insb wrote past its count");
	rt_printf("io: rep insb read 4 bytes, each 0x%02x as in reads\n", one);
}

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
	string_out();
	string_in();
	rt_pass();
}
