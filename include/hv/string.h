/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The freestanding string routines of kernel/lib/string.c. Host builds link
 * the C library's versions instead, with the same semantics.
 */
#ifndef HV_STRING_H
#define HV_STRING_H

#include <hv/types.h>

void *memcpy(void *dst, const void *src, size_t n);
void *memmove(void *dst, const void *src, size_t n);
void *memset(void *dst, int c, size_t n);
int memcmp(const void *a, const void *b, size_t n);
size_t strlen(const char *s);
size_t strnlen(const char *s, size_t max);
int strcmp(const char *a, const char *b);
int strncmp(const char *a, const char *b, size_t n);
char *strchr(const char *s, int c);

/* Always NUL-terminates (when size > 0); returns strlen(src). */
size_t hv_strlcpy(char *dst, const char *src, size_t size);

#endif
