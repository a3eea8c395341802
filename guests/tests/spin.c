/* SPDX-License-Identifier: Apache-2.0 */
/* spin: one line, then a tight loop with interrupts off, forever (its CPU is never given back). */
#include "rt.h"

const char guest_name[] = "spin";

void guest_main(uint32_t magic, const struct mb_info *mbi)
{
	rt_printf("spin: spinning forever with interrupts off\n");
	__asm__ volatile("cli\n1: jmp 1b");
	__builtin_unreachable();
}
