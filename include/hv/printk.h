/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Hypervisor log. Every line goes into a ring buffer (shown later by the
 * console's `log` command) and to the registered console sinks.
 */
#ifndef HV_PRINTK_H
#define HV_PRINTK_H

#include <stdarg.h>

#include <hv/compiler.h>
#include <hv/types.h>

enum log_level {
	LOG_ERR = 0,
	LOG_WARN = 1,
	LOG_INFO = 2,
	LOG_DEBUG = 3,
};

void printk(int level, const char *fmt, ...) __printf(2, 3);
void vprintk(int level, const char *fmt, va_list ap);

#define pr_err(...)   printk(LOG_ERR, __VA_ARGS__)
#define pr_warn(...)  printk(LOG_WARN, __VA_ARGS__)
#define pr_info(...)  printk(LOG_INFO, __VA_ARGS__)
#define pr_debug(...) printk(LOG_DEBUG, __VA_ARGS__)

/*
 * Freestanding formatter used by printk; host-tested. Supports %d %i %u %x %X
 * %o %c %s %p %% with the h/hh/l/ll/z modifiers, width, precision for %s, and
 * the '0', '-' and '+' flags. Returns the length the full output would have.
 */
int hv_vsnprintf(char *buf, size_t size, const char *fmt, va_list ap);
int hv_snprintf(char *buf, size_t size, const char *fmt, ...) __printf(3, 4);

/* A console sink receives every formatted log line (already with its newline). */
typedef void (*log_sink_fn)(const char *s, size_t len);
void log_add_sink(log_sink_fn sink);

/* Source of the time stamps (microseconds since boot); none until the TSC is known. */
void log_set_clock(u64 (*clock_us)(void));
/* Lines above this level are dropped (default LOG_INFO; `loglevel=N` on the command line). */
void log_set_level(int level);

/* Copies up to size-1 bytes of the ring buffer's oldest-to-newest contents. */
size_t log_read_ring(char *out, size_t size);

#endif
