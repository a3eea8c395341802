/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Error tiers (style.md, practice 6): -errno for recoverable errors, ASSERT for
 * invariants, panic() for hypervisor bugs. Guest-caused failures never panic.
 */
#ifndef HV_PANIC_H
#define HV_PANIC_H

#include <hv/compiler.h>

void panic(const char *fmt, ...) __noreturn __printf(1, 2);

#ifdef NDEBUG
/* Still type-checks the expression, evaluates nothing. */
#define ASSERT(c) ((void)sizeof(!(c)))
#else
#define ASSERT(c)                                                                                  \
	do {                                                                                       \
		if (unlikely(!(c)))                                                                \
			panic("assertion '%s' failed at %s:%d", #c, __FILE__, __LINE__);           \
	} while (0)
#endif

#endif
