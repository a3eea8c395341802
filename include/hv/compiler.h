/* SPDX-License-Identifier: Apache-2.0 */
#ifndef HV_COMPILER_H
#define HV_COMPILER_H

#define __packed       __attribute__((packed))
#define __aligned(n)   __attribute__((aligned(n)))
#define __noreturn     __attribute__((noreturn))
#define __unused       __attribute__((unused))
#define __printf(a, b) __attribute__((format(printf, a, b)))
/* Boot-only code and data (style.md: seL4 tags boot code into an init section). */
#define __init __attribute__((section(".text.init")))

#define likely(x)   __builtin_expect(!!(x), 1)
#define unlikely(x) __builtin_expect(!!(x), 0)

#define STATIC_ASSERT(c, msg) _Static_assert(c, msg)

#endif
