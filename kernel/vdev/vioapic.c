/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The IOAPIC (Intel 82093AA datasheet, 3.0 "Register Description"): indirect
 * registers through IOREGSEL (offset 0x00) and IOWIN (offset 0x10), 32-bit
 * accesses only; version 0x11 (no EOI register) with 24 redirection entries.
 *
 * Pins carry logical levels: a device model asserts and deasserts its line,
 * and the polarity bit is stored only (every emulated source is active high).
 * Edge entries deliver on a rising edge while unmasked (a masked edge is
 * lost, as on the 82093AA). Level entries deliver while asserted, unmasked
 * and Remote IRR is clear; delivery sets Remote IRR, and the local APIC's EOI
 * of that vector (vioapic_eoi, SDM Vol. 3A 11.8.5 "EOI broadcast") clears it
 * and delivers again if the line is still asserted. Rewriting an entry as
 * edge-triggered clears Remote IRR: that is how Linux acknowledges a level
 * interrupt on an IOAPIC without an EOI register.
 */
#include <arch/vlapic.h>
#include <hv/guest.h>
#include <hv/vdev.h>
#include <hv/vplatform.h>

#define IOREGSEL 0x00
#define IOWIN	 0x10

#define IOAPICID  0x00
#define IOAPICVER 0x01
#define IOAPICARB 0x02
#define IOREDTBL  0x10 /* entry n: low dword 0x10 + 2n, high dword 0x11 + 2n */

#define IOAPIC_VERSION 0x11
#define VER_VALUE      (((GUEST_IOAPIC_PINS - 1) << 16) | IOAPIC_VERSION)
#define ID_MASK	       (0xfU << 24) /* IOAPICID bits 27:24 */

/* Redirection entry (82093AA 3.2.4). */
#define RTE_VECTOR	 0xffULL   /* bits 7:0 */
#define RTE_DELMOD_SHIFT 8	   /* bits 10:8 delivery mode */
#define RTE_DESTMOD	 BIT64(11) /* logical destination */
#define RTE_DELIVS	 BIT64(12) /* delivery status (read-only) */
#define RTE_INTPOL	 BIT64(13) /* active low */
#define RTE_REMOTE_IRR	 BIT64(14) /* read-only */
#define RTE_TRIGGER	 BIT64(15) /* level */
#define RTE_MASK	 BIT64(16) /* masked */
#define RTE_DEST_SHIFT	 56	   /* bits 63:56 destination */
#define RTE_RO		 (RTE_DELIVS | RTE_REMOTE_IRR)
#define RTE_WRITABLE	 ((0x1ffffULL & ~RTE_RO) | (0xffULL << RTE_DEST_SHIFT)) /* 16:0, 63:56 */

void vioapic_init(struct vioapic *io, struct guest *g)
{
	io->lock = (spinlock_t)SPINLOCK_INIT;
	io->g = g;
	io->regsel = 0;
	io->id = GUEST_IOAPIC_ID << 24;
	io->line = 0;
	for (u32 i = 0; i < GUEST_IOAPIC_PINS; i++)
		io->rte[i] = RTE_MASK; /* reset: every entry masked */
}

/* Sends pin's message; a level entry then waits for the EOI. Lock held. */
static void deliver(struct vioapic *io, u32 pin)
{
	u64 rte = io->rte[pin];

	if (rte & RTE_TRIGGER)
		io->rte[pin] |= RTE_REMOTE_IRR;
	vlapic_deliver(io->g, (u32)(rte >> RTE_DEST_SHIFT), rte & RTE_DESTMOD, rte & RTE_VECTOR,
		       (rte >> RTE_DELMOD_SHIFT) & 7, rte & RTE_TRIGGER);
}

/* A level entry whose line is up, unmasked and not awaiting an EOI fires. Lock held. */
static void check_level(struct vioapic *io, u32 pin)
{
	u64 rte = io->rte[pin];

	if ((rte & RTE_TRIGGER) && !(rte & (RTE_MASK | RTE_REMOTE_IRR)) && (io->line & BIT(pin)))
		deliver(io, pin);
}

void vioapic_set_irq(struct vioapic *io, u32 pin, bool level)
{
	bool was;

	if (pin >= GUEST_IOAPIC_PINS)
		return;
	spin_lock(&io->lock);
	was = io->line & BIT(pin);
	if (level)
		io->line |= BIT(pin);
	else
		io->line &= ~BIT(pin);
	if (io->rte[pin] & RTE_TRIGGER)
		check_level(io, pin);
	else if (level && !was && !(io->rte[pin] & RTE_MASK))
		deliver(io, pin);
	spin_unlock(&io->lock);
}

u64 vioapic_rte(struct vioapic *io, u32 pin)
{
	return pin < GUEST_IOAPIC_PINS ? io->rte[pin] : 0;
}

void vioapic_eoi(struct guest *g, u8 vector)
{
	struct vioapic *io = &guest_devices(g)->platform.ioapic;

	spin_lock(&io->lock);
	for (u32 pin = 0; pin < GUEST_IOAPIC_PINS; pin++) {
		if ((io->rte[pin] & RTE_VECTOR) != vector || !(io->rte[pin] & RTE_REMOTE_IRR))
			continue;
		io->rte[pin] &= ~RTE_REMOTE_IRR;
		check_level(io, pin);
	}
	spin_unlock(&io->lock);
}

static u32 reg_read(struct vioapic *io, u32 reg)
{
	u32 n = (reg - IOREDTBL) / 2;

	switch (reg) {
	case IOAPICID:
		return io->id;
	case IOAPICVER:
		return VER_VALUE;
	case IOAPICARB:
		return io->id; /* arbitration ID = APIC ID after reset */
	}
	if (reg < IOREDTBL || n >= GUEST_IOAPIC_PINS)
		return 0; /* reserved registers read as 0 */
	return (u32)(reg & 1 ? io->rte[n] >> 32 : io->rte[n]);
}

static void rte_write(struct vioapic *io, u32 pin, bool high, u32 val)
{
	u64 old = io->rte[pin], rte;

	if (high)
		rte = (old & 0xffffffffULL) | ((u64)val << 32);
	else
		rte = (old & ~0xffffffffULL) | val;
	rte = (rte & RTE_WRITABLE) | (old & RTE_RO);
	if (!(rte & RTE_TRIGGER))
		rte &= ~RTE_REMOTE_IRR; /* edge mode has no Remote IRR */
	io->rte[pin] = rte;
	check_level(io, pin); /* unmasking an asserted level line delivers it */
}

static void reg_write(struct vioapic *io, u32 reg, u32 val)
{
	u32 n = (reg - IOREDTBL) / 2;

	if (reg == IOAPICID) {
		io->id = val & ID_MASK;
		return;
	}
	if (reg < IOREDTBL || n >= GUEST_IOAPIC_PINS)
		return; /* version, arbitration and reserved registers are read-only */
	rte_write(io, n, reg & 1, val);
}

/* Only aligned 32-bit accesses to IOREGSEL and IOWIN mean anything; the rest read 0. */
static int vioapic_read(void *ctx, struct vcpu *v, u64 addr, unsigned int size, u64 *val)
{
	struct vioapic *io = ctx;
	u64 off = addr - GUEST_IOAPIC_ADDR;

	*val = 0;
	if (size != 4)
		return 0;
	spin_lock(&io->lock);
	if (off == IOREGSEL)
		*val = io->regsel;
	else if (off == IOWIN)
		*val = reg_read(io, io->regsel);
	spin_unlock(&io->lock);
	return 0;
}

static int vioapic_write(void *ctx, struct vcpu *v, u64 addr, unsigned int size, u64 val)
{
	struct vioapic *io = ctx;
	u64 off = addr - GUEST_IOAPIC_ADDR;

	if (size != 4)
		return 0;
	spin_lock(&io->lock);
	if (off == IOREGSEL)
		io->regsel = (u32)val & 0xff;
	else if (off == IOWIN)
		reg_write(io, io->regsel, (u32)val);
	spin_unlock(&io->lock);
	return 0;
}

const struct vdev_ops vioapic_ops = {
	.read = vioapic_read,
	.write = vioapic_write,
};
