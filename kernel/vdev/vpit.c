/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The 8254 PIT (Intel 82C54 data sheet) on ports 0x40-0x43 and the PC's
 * system control port B at 0x61 (bit 0: channel 2 gate, bit 1: speaker
 * data, bit 5: channel 2 output; bit 4 toggles with the refresh clock).
 *
 * Counters run at 1.193182 MHz derived from the host TSC and are computed
 * when read, never ticked: each channel remembers the PIT time its count
 * was loaded. Modes 0 (interrupt on terminal count), 2 (rate generator) and
 * 3 (square wave) count as the data sheet says; 1, 4 and 5 count like 0.
 * The control word, counter latch and read-back commands, and LSB/MSB/both
 * access modes are supported; BCD counting is stored but counts in binary.
 * This is what Linux's TSC calibration uses (channel 2, gated by 0x61,
 * polling 0x61 bit 5 or the count's MSB).
 *
 * Channel 0 drives IRQ 0, through the IOAPIC's pin 2 (vpit_poll): an edge
 * at the end of each period in modes 2 and 3, one at terminal count in modes
 * 0 and 4. Modes 1 and 5 wait for a gate edge that channel 0, its gate tied
 * high, never sees. The 8259 PIC does not deliver it (docs/vcpu.md).
 */
#include <hv/vdev.h>
#include <hv/vplatform.h>

#define PIT_CTRL 3 /* port offset of the control word register */

/* Control word (82C54, "Control Word Format"). */
#define CW_SC_SHIFT  6 /* select counter, 3 = read-back */
#define CW_RW_SHIFT  4 /* 0 = latch, 1 LSB, 2 MSB, 3 LSB then MSB */
#define CW_M_SHIFT   1
#define CW_BCD	     BIT(0)
#define RB_NO_COUNT  BIT(5) /* read-back: 0 = latch count */
#define RB_NO_STATUS BIT(4) /* read-back: 0 = latch status */
#define ST_OUTPUT    BIT(7) /* status byte: OUT pin */
#define ST_NULL	     BIT(6) /* status byte: null count */

#define P61_GATE2   BIT(0)
#define P61_SPEAKER BIT(1)
#define P61_REFRESH BIT(4)
#define P61_OUT2    BIT(5)

void vpit_init(struct vpit *p)
{
	*p = (struct vpit){.lock = SPINLOCK_INIT};
	for (u32 i = 0; i < 3; i++)
		p->ch[i] = (struct vpit_channel){.mode = 3, .access = 3};
}

u64 vpit_ticks(void)
{
	u64 hz = vdev_clock_hz(), t = vdev_now();

	return (t / hz) * GUEST_PIT_HZ + (t % hz) * GUEST_PIT_HZ / hz;
}

static u32 period(const struct vpit_channel *c)
{
	return c->reload ? c->reload : 0x10000;
}

/* PIT ticks counted since the load; channel 2 stands still while its gate is low. */
static u64 elapsed(const struct vpit *p, const struct vpit_channel *c, u64 now)
{
	if (c == &p->ch[2] && !p->gate2)
		now = p->gate_off;
	return now > c->start + c->frozen ? now - c->start - c->frozen : 0;
}

static u16 count(const struct vpit *p, const struct vpit_channel *c, u64 now)
{
	u64 e = elapsed(p, c, now), n = period(c);

	if (!c->armed)
		return 0;
	switch (c->mode) {
	case 2:
		return (u16)(n - e % n);
	case 3:
		return (u16)((n - (2 * e) % n) & ~1ULL);
	default: /* 0, 1, 4, 5: counts down once, then wraps through 0xffff */
		return (u16)(n - e);
	}
}

static bool output(const struct vpit *p, const struct vpit_channel *c, u64 now)
{
	u64 e = elapsed(p, c, now), n = period(c);

	if (!c->armed)
		return c->mode != 0;
	switch (c->mode) {
	case 2:
		return e % n != n - 1; /* low for one clock when the count reaches 1 */
	case 3:
		return e % n < (n + 1) / 2; /* high for the first half of each period */
	default:
		return e >= n; /* mode 0: goes high at terminal count and stays there */
	}
}

static void control(struct vpit *p, u8 val, u64 now)
{
	u32 sc = val >> CW_SC_SHIFT, rw = (val >> CW_RW_SHIFT) & 3;
	struct vpit_channel *c;

	if (sc == 3) { /* read-back: bits 3:1 select counters */
		for (u32 i = 0; i < 3; i++) {
			c = &p->ch[i];
			if (!(val & BIT(i + 1)))
				continue;
			if (!(val & RB_NO_COUNT) && !c->latched)
				c->latch = count(p, c, now), c->latched = true, c->read_msb = false;
			if (!(val & RB_NO_STATUS) && !c->status_latched)
				c->status =
					(u8)((output(p, c, now) ? ST_OUTPUT : 0) |
					     (c->armed ? 0 : ST_NULL) | c->access << CW_RW_SHIFT |
					     c->mode << CW_M_SHIFT | c->bcd),
				c->status_latched = true;
		}
		return;
	}
	c = &p->ch[sc];
	if (!rw) { /* counter latch command */
		if (!c->latched)
			c->latch = count(p, c, now), c->latched = true, c->read_msb = false;
		return;
	}
	c->access = (u8)rw;
	c->mode = (u8)((val >> CW_M_SHIFT) & 7);
	if (c->mode > 5)
		c->mode -= 4; /* 6 and 7 are aliases of 2 and 3 */
	c->bcd = val & CW_BCD;
	c->armed = false; /* a new control word stops the counter until it is loaded */
	c->write_msb = c->read_msb = c->latched = c->status_latched = false;
}

static void load(struct vpit *p, struct vpit_channel *c, u16 value, u64 now)
{
	if (c == &p->ch[0])
		p->irq0_edges = 0;
	c->reload = value;
	c->start = now;
	c->frozen = 0;
	if (c == &p->ch[2] && !p->gate2)
		p->gate_off = now; /* counting begins when the gate rises */
	c->armed = true;
}

static void data_write(struct vpit *p, struct vpit_channel *c, u8 val, u64 now)
{
	switch (c->access) {
	case 1:
		load(p, c, val, now);
		break;
	case 2:
		load(p, c, (u16)(val << 8), now);
		break;
	default:
		if (!c->write_msb) {
			c->reload_lsb = val;
			c->write_msb = true;
			c->armed = c->mode != 0 && c->armed; /* mode 0 stops on the first byte */
		} else {
			c->write_msb = false;
			load(p, c, (u16)(c->reload_lsb | val << 8), now);
		}
	}
}

static u8 data_read(struct vpit *p, struct vpit_channel *c, u64 now)
{
	u16 v;
	u8 b;

	if (c->status_latched) {
		c->status_latched = false;
		return c->status;
	}
	v = c->latched ? c->latch : count(p, c, now);
	if (c->access == 1 || (c->access == 3 && !c->read_msb))
		b = (u8)v;
	else
		b = (u8)(v >> 8);
	if (c->access == 3)
		c->read_msb = !c->read_msb;
	if (c->latched && (c->access != 3 || !c->read_msb))
		c->latched = false; /* the latch holds until it has been read completely */
	return b;
}

static int vpit_read(void *ctx, struct vcpu *v, u64 addr, unsigned int size, u64 *val)
{
	struct vpit *p = ctx;
	u32 off = (u32)(addr - GUEST_PIT_PORT);

	spin_lock(&p->lock);
	*val = off == PIT_CTRL ? 0xff : data_read(p, &p->ch[off], vpit_ticks());
	spin_unlock(&p->lock);
	return 0;
}

static int vpit_write(void *ctx, struct vcpu *v, u64 addr, unsigned int size, u64 val)
{
	struct vpit *p = ctx;
	u32 off = (u32)(addr - GUEST_PIT_PORT);
	u64 now = vpit_ticks();

	spin_lock(&p->lock);
	if (off == PIT_CTRL)
		control(p, (u8)val, now);
	else
		data_write(p, &p->ch[off], (u8)val, now);
	spin_unlock(&p->lock);
	return 0;
}

/* The TSC time at which vpit_ticks() reaches t (its inverse, rounded up). */
static u64 tick_to_tsc(u64 t)
{
	u64 hz = vdev_clock_hz();

	return (t / GUEST_PIT_HZ) * hz +
	       ((t % GUEST_PIT_HZ) * hz + GUEST_PIT_HZ - 1) / GUEST_PIT_HZ;
}

/*
 * Edges of channel 0's OUT due by now since its load, and the tick of the
 * next. The clock is read only when an edge can come: the boot vCPU asks
 * before every entry, and a guest that never programs the PIT pays nothing.
 */
static u64 ch0_edges(const struct vpit *p, u64 *next)
{
	const struct vpit_channel *c = &p->ch[0];
	u64 n, e, due;

	*next = 0;
	if (!c->armed || c->mode == 1 || c->mode == 5)
		return 0;
	n = period(c);
	e = elapsed(p, c, vpit_ticks());
	if (c->mode == 2 || c->mode == 3) {
		due = e / n;
		*next = c->start + (due + 1) * n;
		return due;
	}
	due = e >= n; /* modes 0 and 4: once, at terminal count */
	if (!due)
		*next = c->start + n;
	return due;
}

u64 vpit_poll(struct vpit *p, struct vioapic *io)
{
	u64 next, due;
	bool raise;

	spin_lock(&p->lock);
	due = ch0_edges(p, &next);
	raise = due > p->irq0_edges;
	if (raise)
		p->irq0_edges = due;
	spin_unlock(&p->lock);
	if (raise) {
		vioapic_set_irq(io, GUEST_PIT_GSI, true);
		vioapic_set_irq(io, GUEST_PIT_GSI, false);
	}
	return next ? tick_to_tsc(next) : 0;
}

const struct vdev_ops vpit_ops = {
	.read = vpit_read,
	.write = vpit_write,
};

/* ---- port 0x61 --------------------------------------------------------------------- */

static int vport61_read(void *ctx, struct vcpu *v, u64 addr, unsigned int size, u64 *val)
{
	struct vpit *p = ctx;
	u64 now = vpit_ticks();
	u8 r;

	spin_lock(&p->lock);
	r = (u8)((p->gate2 ? P61_GATE2 : 0) | (p->speaker ? P61_SPEAKER : 0));
	if (output(p, &p->ch[2], now))
		r |= P61_OUT2;
	if ((now / 18) & 1) /* refresh request toggles about every 15 us (18 PIT ticks) */
		r |= P61_REFRESH;
	spin_unlock(&p->lock);
	*val = r;
	return 0;
}

static int vport61_write(void *ctx, struct vcpu *v, u64 addr, unsigned int size, u64 val)
{
	struct vpit *p = ctx;
	u64 now = vpit_ticks();
	bool gate = val & P61_GATE2;
	struct vpit_channel *c = &p->ch[2];

	spin_lock(&p->lock);
	if (gate && !p->gate2) {
		c->frozen += now - p->gate_off; /* resume counting where it stopped */
		if (c->mode == 1 || c->mode == 5 || c->mode == 2 || c->mode == 3)
			c->start = now, c->frozen = 0; /* a rising gate (re)triggers these modes */
	} else if (!gate && p->gate2) {
		p->gate_off = now;
	}
	p->gate2 = gate;
	p->speaker = val & P61_SPEAKER;
	spin_unlock(&p->lock);
	return 0;
}

const struct vdev_ops vport61_ops = {
	.read = vport61_read,
	.write = vport61_write,
};
