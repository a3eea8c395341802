/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Basic types shared by the core, the boot paths and the host build.
 * Only freestanding compiler headers are used, so this compiles both in the
 * hypervisor and in host unit tests.
 */
#ifndef HV_TYPES_H
#define HV_TYPES_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef uint8_t u8;
typedef uint16_t u16;
typedef uint32_t u32;
typedef uint64_t u64;
typedef int8_t s8;
typedef int16_t s16;
typedef int32_t s32;
typedef int64_t s64;

/* Distinct names for the three address spaces (style.md, practice 5). */
typedef u64 hpa_t; /* host-physical address */
typedef u64 gpa_t; /* guest-physical address */
typedef u64 hva_t; /* host-virtual address (identity-mapped in Bulkhead) */

#define PAGE_SHIFT 12
#define PAGE_SIZE  (1ULL << PAGE_SHIFT)
#define PAGE_MASK  (~(PAGE_SIZE - 1))
#define SIZE_2M	   (1ULL << 21)
#define SIZE_1G	   (1ULL << 30)

#define BIT(n)	 (1U << (n))
#define BIT64(n) (1ULL << (n))

#define ALIGN_UP(x, a)	 (((x) + ((a)-1)) & ~((__typeof__(x))(a)-1))
#define ALIGN_DOWN(x, a) ((x) & ~((__typeof__(x))(a)-1))
#define IS_ALIGNED(x, a) (((x) & ((__typeof__(x))(a)-1)) == 0)
#define ARRAY_SIZE(a)	 (sizeof(a) / sizeof((a)[0]))

#endif
