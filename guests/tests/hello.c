/* SPDX-License-Identifier: Apache-2.0 */
/* hello: prints a line and passes; the smallest check that a guest runs and reports. */
#include "rt.h"

const char guest_name[] = "hello";

void guest_main(uint32_t magic, const struct mb_info *mbi)
{
	rt_printf("hello: hello from a Bulkhead test guest\n");
	if (magic != MB_BOOTLOADER_MAGIC)
		rt_fail("EAX=0x%08x is not the multiboot magic", magic);
	rt_pass();
}
