/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Per-guest rate limiting of console output: a token bucket in bytes. A
 * guest that floods its UART loses whole lines beyond its share (counted),
 * so the operator's shell and the other guests keep the serial line.
 */
#include <hv/console.h>

static void refill(struct mux_src *s, const struct mux_limit *l, u64 now_us)
{
	u64 elapsed;

	if (!s->primed) {
		s->primed = true;
		s->tokens = l->burst;
		s->last_us = now_us;
		return;
	}
	elapsed = now_us > s->last_us ? now_us - s->last_us : 0;
	/* Whole seconds and the rest apart, so that the product cannot overflow. */
	s->tokens += (elapsed / 1000000) * l->rate + (elapsed % 1000000) * l->rate / 1000000;
	if (s->tokens > l->burst)
		s->tokens = l->burst;
	s->last_us = now_us;
}

bool mux_admit(struct mux_src *s, const struct mux_limit *l, u64 now_us, size_t len, u64 *report)
{
	*report = 0;
	if (l->rate) {
		refill(s, l, now_us);
		if (len > s->tokens) {
			s->dropped_lines++;
			s->dropped_bytes += len;
			s->unreported += len;
			return false;
		}
		s->tokens -= len;
	}
	*report = s->unreported;
	s->unreported = 0;
	s->lines++;
	s->bytes += len;
	return true;
}
