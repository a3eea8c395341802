/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The 8259A pair (Intel 8259A data sheet, "Programming the 8259A") at
 * 0x20/0x21 and 0xA0/0xA1, with the edge/level control registers at
 * 0x4D0/0x4D1 (PIIX4 datasheet, ELCR1/ELCR2). The pair is there so that a
 * guest finds a PIC, initialises it and masks it: the ICW1-ICW4 sequence is
 * accepted, OCW1 (the mask) reads back, OCW2 (EOI, rotation) is accepted,
 * OCW3 selects whether the command port reads IRR or ISR. No IRQ line is
 * connected: IRR and ISR stay 0 and the pair never delivers an interrupt;
 * every interrupt reaches the guest through the IOAPIC.
 */
#include <hv/vdev.h>
#include <hv/vplatform.h>

#define ICW1	      BIT(4) /* command port, bit 4: ICW1 */
#define ICW1_IC4      BIT(0) /* ICW4 needed */
#define ICW1_SNGL     BIT(1) /* single: no ICW3 */
#define OCW3	      BIT(3) /* command port, bits 4:3 = 01: OCW3 */
#define OCW3_RR	      BIT(1) /* read register command */
#define OCW3_RIS      BIT(0) /* 1: ISR, 0: IRR */
#define ICW2_VEC_MASK 0xf8

#define ELCR1_MASK 0xf8 /* IRQ 0-2 are edge only */
#define ELCR2_MASK 0xde /* IRQ 8 and 13 are edge only */

void vpic_init(struct vpic *p)
{
	*p = (struct vpic){0};
	p->chip[0].imr = 0xff; /* no firmware ran: start masked */
	p->chip[1].imr = 0xff;
}

static void command(struct vpic_chip *c, u8 val)
{
	if (val & ICW1) {
		*c = (struct vpic_chip){
			.icw_step = 2,
			.icw4_needed = val & ICW1_IC4,
			.single = val & ICW1_SNGL,
		}; /* ICW1 clears the mask and the ISR (8259A, "Initialization") */
		return;
	}
	if ((val & (ICW1 | OCW3)) == OCW3 && (val & OCW3_RR))
		c->read_isr = val & OCW3_RIS;
	/* OCW2 (EOI, rotation) and the rest of OCW3: nothing is in service */
}

static u8 after_icw(const struct vpic_chip *c, u8 step)
{
	if (step == 2 && !c->single)
		return 3;
	if (step <= 3 && c->icw4_needed)
		return 4;
	return 0;
}

static void data(struct vpic_chip *c, u8 val)
{
	switch (c->icw_step) {
	case 2:
		c->vector_base = val & ICW2_VEC_MASK;
		break;
	case 3:
		c->icw3 = val;
		break;
	case 4:
		c->icw4 = val;
		break;
	default:
		c->imr = val; /* OCW1 */
		return;
	}
	c->icw_step = after_icw(c, c->icw_step);
}

static int vpic_read(void *ctx, struct vcpu *v, u64 addr, unsigned int size, u64 *val)
{
	struct vpic *p = ctx;
	struct vpic_chip *c = &p->chip[addr >= GUEST_PIC_SLAVE];

	if (addr & 1)
		*val = c->imr;
	else
		*val = c->read_isr ? c->isr : c->irr;
	return 0;
}

static int vpic_write(void *ctx, struct vcpu *v, u64 addr, unsigned int size, u64 val)
{
	struct vpic *p = ctx;
	struct vpic_chip *c = &p->chip[addr >= GUEST_PIC_SLAVE];

	if (addr & 1)
		data(c, (u8)val);
	else
		command(c, (u8)val);
	return 0;
}

const struct vdev_ops vpic_ops = {
	.read = vpic_read,
	.write = vpic_write,
};

/* ELCR: one byte per port; a word access covers both. */
static int velcr_read(void *ctx, struct vcpu *v, u64 addr, unsigned int size, u64 *val)
{
	struct vpic *p = ctx;
	u32 i = (u32)(addr - GUEST_ELCR_PORT);

	*val = p->elcr[i] | (size > 1 && i == 0 ? (u32)p->elcr[1] << 8 : 0);
	return 0;
}

static int velcr_write(void *ctx, struct vcpu *v, u64 addr, unsigned int size, u64 val)
{
	struct vpic *p = ctx;
	u32 i = (u32)(addr - GUEST_ELCR_PORT);

	if (i == 0)
		p->elcr[0] = (u8)val & ELCR1_MASK;
	if (i == 1 || size > 1)
		p->elcr[1] = (u8)(i == 1 ? val : val >> 8) & ELCR2_MASK;
	return 0;
}

const struct vdev_ops velcr_ops = {
	.read = velcr_read,
	.write = velcr_write,
};
