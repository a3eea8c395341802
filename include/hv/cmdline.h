/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Hypervisor command line: space-separated words, each `key` or `key=value`.
 * Pure functions, host-tested.
 */
#ifndef HV_CMDLINE_H
#define HV_CMDLINE_H

#include <hv/types.h>

/* True if the word `key` or `key=...` is present. */
bool cmdline_has(const char *cmdline, const char *key);

/* Copies the value of `key=value` into out (NUL-terminated); false if absent. */
bool cmdline_get(const char *cmdline, const char *key, char *out, size_t size);

/* Parses a decimal or 0x-prefixed number; false on junk or overflow. */
bool parse_u64(const char *s, u64 *out);

#endif
