/* SPDX-License-Identifier: Apache-2.0 */
/* flood: prints numbered lines as fast as its UART takes them, forever (rate-limit tests). */
#include "rt.h"

const char guest_name[] = "flood";

void guest_main(uint32_t magic, const struct mb_info *mbi)
{
	for (uint32_t n = 0;; n++)
		rt_printf("flood: line %u of a guest that never stops printing\n", n);
}
