/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The hypervisor log: each line is stamped with the time since boot, kept in a
 * ring buffer for the console's `log` command, and written to every sink.
 */
#include <hv/printk.h>
#include <hv/spinlock.h>
#include <hv/string.h>

#define LOG_RING_SIZE  (64 * 1024)
#define LOG_LINE_MAX   512
#define LOG_MAX_SINKS  4
#define LOG_LOCK_SPINS 50000000

static char ring[LOG_RING_SIZE];
static size_t ring_head; /* total bytes ever written */
static log_sink_fn sinks[LOG_MAX_SINKS];
static unsigned sink_count;
static u64 (*clock_us)(void);
static int max_level = LOG_INFO;
static spinlock_t log_lock = SPINLOCK_INIT;

/*
 * A new sink first receives what the ring already holds, so that lines logged
 * before the console existed (boot-path warnings) are not lost.
 */
void log_add_sink(log_sink_fn sink)
{
	size_t avail, start;

	if (sink_count >= LOG_MAX_SINKS)
		return;
	avail = ring_head < LOG_RING_SIZE ? ring_head : LOG_RING_SIZE;
	start = ring_head - avail;
	for (size_t done = 0; done < avail;) {
		size_t at = (start + done) % LOG_RING_SIZE;
		size_t n = avail - done < LOG_RING_SIZE - at ? avail - done : LOG_RING_SIZE - at;
		sink(ring + at, n);
		done += n;
	}
	sinks[sink_count++] = sink;
}

void log_set_clock(u64 (*fn)(void))
{
	clock_us = fn;
}

void log_set_level(int level)
{
	max_level = level;
}

static void ring_write(const char *s, size_t len)
{
	for (size_t i = 0; i < len; i++)
		ring[(ring_head + i) % LOG_RING_SIZE] = s[i];
	ring_head += len;
}

size_t log_read_ring(char *out, size_t size)
{
	size_t avail, start, n;

	if (!size)
		return 0;
	spin_lock(&log_lock);
	avail = ring_head < LOG_RING_SIZE ? ring_head : LOG_RING_SIZE;
	n = avail < size - 1 ? avail : size - 1;
	start = ring_head - n;
	for (size_t i = 0; i < n; i++)
		out[i] = ring[(start + i) % LOG_RING_SIZE];
	out[n] = '\0';
	spin_unlock(&log_lock);
	return n;
}

/* "[   12.345678] " when a clock is known, else "[        ?   ] " keeps columns. */
static size_t format_stamp(char *buf, size_t size)
{
	if (!clock_us)
		return (size_t)hv_snprintf(buf, size, "[      ?     ] ");
	u64 us = clock_us();
	return (size_t)hv_snprintf(buf, size, "[%5llu.%06llu] ", (unsigned long long)(us / 1000000),
				   (unsigned long long)(us % 1000000));
}

static bool log_lock_bounded(void)
{
	for (unsigned i = 0; i < LOG_LOCK_SPINS; i++) {
		if (spin_trylock(&log_lock))
			return true;
		__builtin_ia32_pause();
	}
	return false;
}

void vprintk(int level, const char *fmt, va_list ap)
{
	char line[LOG_LINE_MAX];
	size_t len;
	bool locked;

	if (level > max_level)
		return;
	/*
	 * A CPU that faults while printing must still be able to report it, so
	 * the lock is only tried for a bounded time; after that the line goes
	 * out unlocked (possibly interleaved) rather than never. The stamp is
	 * taken under the lock so that the log's times never go backwards.
	 */
	locked = log_lock_bounded();
	len = format_stamp(line, sizeof(line));
	len += (size_t)hv_vsnprintf(line + len, sizeof(line) - len, fmt, ap);
	if (len > sizeof(line) - 2)
		len = sizeof(line) - 2;
	if (len == 0 || line[len - 1] != '\n')
		line[len++] = '\n';
	line[len] = '\0';
	ring_write(line, len);
	for (unsigned i = 0; i < sink_count; i++)
		sinks[i](line, len);
	if (locked)
		spin_unlock(&log_lock);
}

void printk(int level, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vprintk(level, fmt, ap);
	va_end(ap);
}
