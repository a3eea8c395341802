/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The MC146818 RTC/CMOS (MC146818A data sheet; the PC's index port 0x70,
 * bit 7 of which masks NMI and is ignored here, and data port 0x71).
 *
 * The clock is read-only: it shows GUEST_RTC_EPOCH plus the time since the
 * host's TSC started (about when the machine booted), in BCD or binary and
 * 24- or 12-hour form as register B says. Time writes are dropped; alarm
 * bytes, register A's rate bits, register B and the NVRAM are stored. UIP
 * (register A bit 7) always reads 0, register C reads 0 (no interrupts) and
 * register D reads VRT (valid RAM and time).
 *
 * The NVRAM holds the PC's memory size bytes (IBM PC/AT Technical Reference,
 * "CMOS RAM"; 0x5b-0x5d as the Bochs and SeaBIOS BIOSes use them), computed
 * from the guest's RAM and its layout (<hv/plan.h>: RAM below 3 GiB first).
 * Like battery-backed CMOS, the NVRAM keeps its contents when the guest is
 * reset or restarted (vrtc_init again on the same struct), so a guest can
 * leave itself a note across a reset.
 */
#include <hv/plan.h>
#include <hv/vdev.h>
#include <hv/vplatform.h>

#define GUEST_RTC_EPOCH 1704067200ULL /* 2024-01-01 00:00:00 UTC */

#define SIZE_1M	 (1ULL << 20)
#define SIZE_16M (16ULL << 20)

#define RTC_SEC	       0x00
#define RTC_SEC_ALARM  0x01
#define RTC_MIN	       0x02
#define RTC_MIN_ALARM  0x03
#define RTC_HOUR       0x04
#define RTC_HOUR_ALARM 0x05
#define RTC_DOW	       0x06
#define RTC_DOM	       0x07
#define RTC_MONTH      0x08
#define RTC_YEAR       0x09
#define RTC_REG_A      0x0a
#define RTC_REG_B      0x0b
#define RTC_REG_C      0x0c
#define RTC_REG_D      0x0d

#define REG_A_UIP     BIT(7)	/* update in progress */
#define REG_A_DEFAULT 0x26	/* 32.768 kHz time base, 1024 Hz periodic rate */
#define REG_B_24H     BIT(1)	/* 24-hour mode */
#define REG_B_DM      BIT(2)	/* binary (not BCD) */
#define REG_B_DEFAULT REG_B_24H /* BCD, 24-hour: what PC firmware leaves */
#define REG_D_VRT     BIT(7)	/* valid RAM and time */
#define HOUR_PM	      BIT(7)	/* 12-hour mode: PM */

#define CMOS_NVRAM	 0x0e /* first byte kept across resets (battery-backed) */
#define CMOS_BASE_MEM_LO 0x15 /* KiB below 640 KiB */
#define CMOS_EXT_MEM_LO	 0x17 /* KiB above 1 MiB (max 0xffff) */
#define CMOS_CHECKSUM_HI 0x2e /* sum of 0x10-0x2d, big-endian */
#define CMOS_EXT_MEM2_LO 0x30 /* the same as 0x17 */
#define CMOS_HIGH_MEM_LO 0x34 /* 64 KiB units between 16 MiB and the MMIO hole */
#define CMOS_ABOVE_4G	 0x5b /* 64 KiB units above 4 GiB, 3 bytes */

static void put16(u8 *cmos, u32 at, u64 v)
{
	if (v > 0xffff)
		v = 0xffff;
	cmos[at] = (u8)v;
	cmos[at + 1] = (u8)(v >> 8);
}

static void memory_fields(u8 *cmos, u64 memory)
{
	u64 low = memory < PLAN_GPA_MMIO32 ? memory : PLAN_GPA_MMIO32;
	u64 high = memory - low, sum = 0;

	put16(cmos, CMOS_BASE_MEM_LO, 640);
	put16(cmos, CMOS_EXT_MEM_LO, low > SIZE_1M ? (low - SIZE_1M) >> 10 : 0);
	put16(cmos, CMOS_EXT_MEM2_LO, low > SIZE_1M ? (low - SIZE_1M) >> 10 : 0);
	put16(cmos, CMOS_HIGH_MEM_LO, low > SIZE_16M ? (low - SIZE_16M) >> 16 : 0);
	cmos[CMOS_ABOVE_4G] = (u8)(high >> 16);
	cmos[CMOS_ABOVE_4G + 1] = (u8)(high >> 24);
	cmos[CMOS_ABOVE_4G + 2] = (u8)(high >> 32);
	for (u32 i = 0x10; i < CMOS_CHECKSUM_HI; i++)
		sum += cmos[i];
	cmos[CMOS_CHECKSUM_HI] = (u8)(sum >> 8);
	cmos[CMOS_CHECKSUM_HI + 1] = (u8)sum;
}

void vrtc_init(struct vrtc *r, u64 memory)
{
	r->lock = (spinlock_t)SPINLOCK_INIT;
	r->index = 0;
	r->epoch = GUEST_RTC_EPOCH;
	for (u32 i = 0; i < VRTC_CMOS_SIZE; i++)
		if (!r->nvram_valid || i < CMOS_NVRAM)
			r->cmos[i] = 0;
	r->nvram_valid = true;
	r->cmos[RTC_REG_A] = REG_A_DEFAULT;
	r->cmos[RTC_REG_B] = REG_B_DEFAULT;
	memory_fields(r->cmos, memory);
}

static bool leap(u32 y)
{
	return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

void vrtc_civil(u64 days, u32 *year, u32 *month, u32 *day)
{
	static const u8 mdays[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
	u32 y = 1970, m = 0;

	while (days >= (leap(y) ? 366U : 365U))
		days -= leap(y++) ? 366 : 365;
	for (u32 len = mdays[0]; days >= len; len = mdays[m] + (m == 1 && leap(y)) * 1U) {
		days -= len;
		m++;
	}
	*year = y;
	*month = m + 1;
	*day = (u32)days + 1;
}

static u8 to_bcd(u32 v)
{
	return (u8)((v / 10) << 4 | v % 10);
}

static u8 fmt(const struct vrtc *r, u32 v)
{
	return r->cmos[RTC_REG_B] & REG_B_DM ? (u8)v : to_bcd(v);
}

static u8 hour(const struct vrtc *r, u32 h)
{
	u32 h12 = h % 12 ? h % 12 : 12;

	if (r->cmos[RTC_REG_B] & REG_B_24H)
		return fmt(r, h);
	return (u8)(fmt(r, h12) | (h >= 12 ? HOUR_PM : 0));
}

/* A clock register now; 0xff for an index that is not one. */
static u8 clock_reg(const struct vrtc *r, u8 index)
{
	u64 t = r->epoch + vdev_now() / vdev_clock_hz(), days = t / 86400;
	u32 s = (u32)(t % 86400), y, mo, d;

	vrtc_civil(days, &y, &mo, &d);
	switch (index) {
	case RTC_SEC:
		return fmt(r, s % 60);
	case RTC_MIN:
		return fmt(r, s / 60 % 60);
	case RTC_HOUR:
		return hour(r, s / 3600);
	case RTC_DOW:
		return fmt(r,
			   (u32)((days + 4) % 7) + 1); /* 1970-01-01 was a Thursday; Sunday = 1 */
	case RTC_DOM:
		return fmt(r, d);
	case RTC_MONTH:
		return fmt(r, mo);
	case RTC_YEAR:
		return fmt(r, y % 100);
	default: /* GUEST_RTC_CENTURY */
		return fmt(r, y / 100);
	}
}

static bool is_clock(u8 index)
{
	return (index <= RTC_YEAR && index != RTC_SEC_ALARM && index != RTC_MIN_ALARM &&
		index != RTC_HOUR_ALARM) ||
	       index == GUEST_RTC_CENTURY;
}

static u8 data_read(struct vrtc *r)
{
	u8 i = r->index;

	if (is_clock(i))
		return clock_reg(r, i);
	if (i == RTC_REG_A)
		return r->cmos[i] & (u8)~REG_A_UIP;
	if (i == RTC_REG_C)
		return 0;
	if (i == RTC_REG_D)
		return REG_D_VRT;
	return r->cmos[i];
}

static void data_write(struct vrtc *r, u8 val)
{
	u8 i = r->index;

	if (is_clock(i) || i == RTC_REG_C || i == RTC_REG_D)
		return; /* read-only clock and status */
	if (i == RTC_REG_A)
		val &= (u8)~REG_A_UIP;
	r->cmos[i] = val;
}

static int vrtc_read(void *ctx, struct vcpu *v, u64 addr, unsigned int size, u64 *val)
{
	struct vrtc *r = ctx;

	spin_lock(&r->lock);
	if (addr == GUEST_RTC_PORT)
		*val = r->index | (size > 1 ? (u64)data_read(r) << 8 : 0);
	else
		*val = data_read(r);
	spin_unlock(&r->lock);
	return 0;
}

static int vrtc_write(void *ctx, struct vcpu *v, u64 addr, unsigned int size, u64 val)
{
	struct vrtc *r = ctx;

	spin_lock(&r->lock);
	if (addr == GUEST_RTC_PORT) {
		r->index = (u8)(val & 0x7f); /* bit 7: NMI mask, ignored */
		if (size > 1)
			data_write(r, (u8)(val >> 8)); /* a word access covers 0x71 too */
	} else {
		data_write(r, (u8)val);
	}
	spin_unlock(&r->lock);
	return 0;
}

const struct vdev_ops vrtc_ops = {
	.read = vrtc_read,
	.write = vrtc_write,
};
