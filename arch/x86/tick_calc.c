/* SPDX-License-Identifier: Apache-2.0 */
/* The hypervisor tick's arithmetic (include/arch/tick.h): pure, host-tested. */
#include <arch/tick.h>

#define U32_MAX_VAL   0xffffffffULL
#define NO_TSC_PERIOD (1ULL << 24)

/*
 * a * b / c, saturated at 2^64 - 1 (c != 0). The product is 128 bits; the
 * division is done bit by bit, since the freestanding core has no 128-bit
 * division routine; it runs only when the quotient fits in 64 bits.
 */
static u64 mul_div_sat(u64 a, u64 b, u64 c)
{
	unsigned __int128 n = (unsigned __int128)a * b;
	u64 hi = (u64)(n >> 64), lo = (u64)n, q = 0;

	if (hi >= c)
		return ~0ULL;
	for (int i = 0; i < 64; i++) {
		u64 carry = hi >> 63;

		hi = (hi << 1) | (lo >> 63);
		lo <<= 1;
		q <<= 1;
		if (carry || hi >= c) {
			hi -= c;
			q |= 1;
		}
	}
	return q;
}

u64 tick_period(u64 tsc_hz)
{
	return tsc_hz ? tsc_hz / HV_TICK_HZ : NO_TSC_PERIOD;
}

u64 tick_advance(u64 next, u64 period, u64 now)
{
	if (!period)
		return 0;
	if (next > now)
		return next; /* not due yet */
	if (!next || next + period <= now)
		return now + period; /* never armed, or a whole period late: a new grid */
	return next + period;
}

u64 tick_earliest(u64 a, u64 b)
{
	if (!a)
		return b;
	if (!b)
		return a;
	return a < b ? a : b;
}

u32 tick_preempt_value(u64 deadline, u64 now, u64 cap, u8 rate)
{
	u64 cycles = cap;

	if (deadline) {
		u64 left = deadline > now ? deadline - now : 0;
		cycles = cap ? (left < cap ? left : cap) : left;
	}
	cycles >>= rate;
	return cycles > U32_MAX_VAL ? (u32)U32_MAX_VAL : (u32)cycles;
}

u32 tick_lapic_count(u64 deadline, u64 now, u64 lapic_hz, u64 tsc_hz)
{
	u64 left, count;

	if (!deadline || !lapic_hz || !tsc_hz)
		return 0;
	left = deadline > now ? deadline - now : 0;
	count = mul_div_sat(left, lapic_hz, tsc_hz);
	if (count < 1)
		return 1;
	return count > U32_MAX_VAL ? (u32)U32_MAX_VAL : (u32)count;
}

u64 tick_lapic_hz(u64 counted, u64 tsc_delta, u64 tsc_hz)
{
	if (!tsc_delta)
		return 0;
	return mul_div_sat(counted, tsc_hz, tsc_delta);
}
