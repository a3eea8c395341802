/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The ACPI PM block at GUEST_PM_BASE (ACPI 6.5, 4.8.3 "Fixed Hardware
 * Programming Model"):
 *	+0 PM1_STS (2)	write-1-to-clear status; no event ever sets a bit
 *	+2 PM1_EN  (2)	stored; nothing raises the SCI
 *	+4 PM1_CNT (2)	SCI_EN reads 1 (always in ACPI mode, no SMI_CMD);
 *			SLP_TYP = \_S5 with SLP_EN powers the guest off
 *	+8 PM_TMR  (4)	3.579545 MHz from the host TSC, 32 bits (TMR_VAL_EXT)
 * Accesses of any width inside a register are served from its bytes; the
 * unused ports of the block read all ones.
 */
#include <hv/guest.h>
#include <hv/vdev.h>
#include <hv/vplatform.h>

#define OFF_STS 0
#define OFF_EN	2
#define OFF_CNT 4
#define OFF_TMR 8

#define PM1_CNT_STORED (GUEST_PM1_CNT_SLP_TYP | BIT(1) | BIT(2)) /* SLP_TYP, BM_RLD, GBL_RLS */

void vpm_init(struct vpm *p, struct guest *g)
{
	p->lock = (spinlock_t)SPINLOCK_INIT;
	p->g = g;
	p->sts = 0;
	p->en = 0;
	p->cnt = GUEST_PM1_CNT_SCI_EN;
}

u32 vpm_timer(void)
{
	u64 hz = vdev_clock_hz(), t = vdev_now();

	/* t * PM_HZ / hz without overflowing 64 bits: split t into whole seconds and the rest. */
	return (u32)((t / hz) * GUEST_PM_TMR_HZ + (t % hz) * GUEST_PM_TMR_HZ / hz);
}

/* The 16 ports as one little-endian image, so every width and offset works alike. */
static u64 image(struct vpm *p)
{
	return (u64)p->sts | (u64)p->en << 16 | (u64)p->cnt << 32;
}

static int vpm_read(void *ctx, struct vcpu *v, u64 addr, unsigned int size, u64 *val)
{
	struct vpm *p = ctx;
	u32 off = (u32)(addr - GUEST_PM_BASE);
	u64 mask = size >= 8 ? ~0ULL : (1ULL << (size * 8)) - 1;

	if (off >= OFF_TMR && off + size <= OFF_TMR + GUEST_PM_TMR_LEN) {
		*val = (vpm_timer() >> ((off - OFF_TMR) * 8)) & mask;
		return 0;
	}
	if (off + size > OFF_TMR) {
		*val = mask; /* unused ports of the block (and accesses straddling the timer) */
		return 0;
	}
	spin_lock(&p->lock);
	*val = (image(p) >> (off * 8)) & mask;
	spin_unlock(&p->lock);
	return 0;
}

/* The register at reg (2 bytes) after the bytes of a write at off that fall in it. */
static u16 merge16(u16 old, u32 reg, u32 off, unsigned int size, u64 val)
{
	for (u32 i = 0; i < size; i++) {
		u32 o = off + i, shift = (o - reg) * 8;

		if (o >= reg && o < reg + 2)
			old = (u16)((old & ~(0xffU << shift)) | ((val >> (i * 8)) & 0xff) << shift);
	}
	return old;
}

static bool touches(u32 reg, u32 off, unsigned int size)
{
	return off < reg + 2 && reg < off + size;
}

/* SLP_EN with the \_S5 type powers off; other sleep states do not exist. True: power off. */
static bool cnt_write(struct vpm *p, u16 val)
{
	p->cnt = (u16)((val & PM1_CNT_STORED) | GUEST_PM1_CNT_SCI_EN);
	return (val & GUEST_PM1_CNT_SLP_EN) &&
	       ((val & GUEST_PM1_CNT_SLP_TYP) >> GUEST_PM1_CNT_SLP_TYP_SHIFT) == GUEST_SLP_TYP_S5;
}

static int vpm_write(void *ctx, struct vcpu *v, u64 addr, unsigned int size, u64 val)
{
	struct vpm *p = ctx;
	u32 off = (u32)(addr - GUEST_PM_BASE);
	bool power_off = false;

	if (off + size > OFF_TMR)
		return 0; /* the timer is read-only; the rest of the block ignores writes */
	spin_lock(&p->lock);
	p->sts &= (u16)~merge16(0, OFF_STS, off, size, val); /* write 1 to clear */
	p->en = merge16(p->en, OFF_EN, off, size, val);
	if (touches(OFF_CNT, off, size))
		power_off = cnt_write(p, merge16(p->cnt, OFF_CNT, off, size, val));
	spin_unlock(&p->lock);
	if (power_off)
		guest_power_off(p->g);
	return 0;
}

const struct vdev_ops vpm_ops = {
	.read = vpm_read,
	.write = vpm_write,
};
