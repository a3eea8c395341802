/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The local APIC model (arch/x86/vcpu_lapic*.c): the register file through
 * x2APIC MSRs and the xAPIC page, priorities, ISR/EOI, ICR routing inside
 * the guest, and the timer modes against a fake clock.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>
#include <string.h>

#include <arch/vcpu.h>
#include <arch/vlapic.h>
#include <hv/errno.h>
#include <hv/guest.h>
#include <hv/vdev.h>

#define NCPU 3
static struct vcpu cpus[NCPU];
static struct guest *const G = (struct guest *)0x1000;
static u64 now;
static int inits[NCPU], sipis[NCPU], kicks[NCPU], eois;
static u8 last_eoi;
static const struct vdev_ops *mmio_ops;

u32 guest_vcpu_count(const struct guest *g)
{
	return NCPU;
}
struct vcpu *guest_vcpu(struct guest *g, u32 i)
{
	return i < NCPU ? &cpus[i] : NULL;
}
void vcpu_kick(struct vcpu *v)
{
	kicks[v->index]++;
}
u64 vcpu_cycles(void)
{
	return now;
}
void vcpu_post_init(struct vcpu *t)
{
	inits[t->index]++;
}
void vcpu_post_sipi(struct vcpu *t, u8 vector)
{
	sipis[t->index] = vector;
}
void vioapic_eoi(struct guest *g, u8 vector)
{
	eois++;
	last_eoi = vector;
}
int vdev_add_mmio(struct vdev_bus *bus, const char *name, gpa_t base, u64 size,
		  const struct vdev_ops *ops, void *ctx)
{
	mmio_ops = ops;
	return 0;
}

static u64 rd(int c, u32 msr)
{
	u64 v = 0xdead;
	assert_int_equal(vlapic_msr_read(&cpus[c], msr, &v), 0);
	return v;
}
static void wr(int c, u32 msr, u64 v)
{
	assert_int_equal(vlapic_msr_write(&cpus[c], msr, v), 0);
}
static u32 mrd(int c, u32 off)
{
	u64 v;
	mmio_ops->read(NULL, &cpus[c], 0xfee00000 + off, 4, &v);
	return (u32)v;
}
static void mwr(int c, u32 off, u32 v)
{
	mmio_ops->write(NULL, &cpus[c], 0xfee00000 + off, 4, v);
}

static int setup(void **state)
{
	memset(cpus, 0, sizeof(cpus));
	memset(inits, 0, sizeof(inits));
	memset(sipis, 0, sizeof(sipis));
	memset(kicks, 0, sizeof(kicks));
	eois = 0;
	now = 1000;
	for (u32 i = 0; i < NCPU; i++) {
		cpus[i].index = i;
		cpus[i].guest = G;
		vlapic_reset(&cpus[i]);
	}
	arch_vdev_init(NULL);
	return 0;
}

/* x2APIC on, software enabled. */
static void x2(int c)
{
	wr(c, 0x1b, 0xfee00000 | BIT(11) | BIT(10));
	wr(c, 0x80f, 0x1ff);
}

static void test_registers(void **state)
{
	setup(state);
	assert_int_equal(rd(0, 0x1b), 0xfee00900); /* BSP, EN */
	assert_int_equal(rd(1, 0x1b), 0xfee00800);
	u64 v;
	assert_int_equal(vlapic_msr_read(&cpus[0], 0x802, &v), -EPERM); /* xAPIC: no MSRs */
	/* xAPIC page */
	assert_int_equal(mrd(1, 0x20), 1u << 24);
	assert_int_equal(mrd(0, 0x30) & 0xff, 0x14);
	mwr(0, 0x80, 0x35);
	assert_int_equal(mrd(0, 0x80), 0x35);
	assert_int_equal(mrd(0, 0xa0), 0x35); /* PPR = TPR with nothing in service */
	mwr(0, 0xd0, 0x03000000);
	assert_int_equal(mrd(0, 0xd0), 0x03000000);
	assert_int_equal(mrd(0, 0xe0), 0xffffffff);
	mwr(0, 0xf0, 0x1ff);
	assert_int_equal(mrd(0, 0xf0), 0x1ff);
	mwr(0, 0x320, 0x200ef);
	assert_int_equal(mrd(0, 0x320), 0x200ef);
	mwr(0, 0x3e0, 0xb);
	assert_int_equal(mrd(0, 0x3e0), 0xb);
	mwr(0, 0x3f0, 1); /* SELF IPI: x2APIC only: illegal register */
	mwr(0, 0x280, 0);
	assert_int_equal(mrd(0, 0x280), BIT(7));
	/* x2APIC */
	x2(1);
	assert_int_equal(rd(1, 0x802), 1);
	assert_int_equal(rd(1, 0x80d), 0x2); /* LDR: cluster 0, bit 1 */
	assert_int_equal(vlapic_msr_write(&cpus[1], 0x80d, 0), -EPERM);
	assert_int_equal(vlapic_msr_write(&cpus[1], 0x80b, 1), -EPERM); /* EOI needs 0 */
	/* x2APIC -> xAPIC directly is refused; EN 1 -> 0 -> 1 resets and works again */
	assert_int_equal(vlapic_msr_write(&cpus[1], 0x1b, 0xfee00800), -EPERM);
	wr(1, 0x1b, 0xfee00000);
	assert_int_equal(vlapic_msr_write(&cpus[1], 0x1b, 0xfee00400), -EPERM); /* EXTD w/o EN */
	wr(1, 0x1b, 0xfee00800);
	assert_int_equal(mrd(1, 0xf0), 0xff); /* reset: software disabled */
	mwr(1, 0xf0, 0x100);
	mwr(1, 0x3f0, 0);
	assert_int_equal(vlapic_msr_write(&cpus[1], 0x1b, 0xfed00800), -EPERM); /* moved base */
}

static void test_priority_eoi(void **state)
{
	setup(state);
	x2(0);
	vlapic_set_irq(&cpus[0], 0x31, false);
	vlapic_set_irq(&cpus[0], 0x52, true);
	assert_int_equal(kicks[0], 2);
	assert_int_equal(rd(0, 0x800 + 0x200 / 16 + 1), BIT(0x31 - 32));
	assert_int_equal(vlapic_pending_vector(&cpus[0]), 0x52);
	vlapic_accept(&cpus[0], 0x52);
	assert_int_equal(rd(0, 0x80a), 0x50);		       /* PPR from ISR */
	assert_int_equal(vlapic_pending_vector(&cpus[0]), -1); /* 0x31 is below */
	vlapic_set_irq(&cpus[0], 0x61, false);
	assert_int_equal(vlapic_pending_vector(&cpus[0]), 0x61);
	wr(0, 0x808, 0x70); /* TPR masks it */
	assert_int_equal(vlapic_pending_vector(&cpus[0]), -1);
	wr(0, 0x808, 0);
	vlapic_accept(&cpus[0], 0x61);
	wr(0, 0x80b, 0); /* EOI 0x61: edge */
	assert_int_equal(eois, 0);
	wr(0, 0x80b, 0); /* EOI 0x52: level -> IOAPIC */
	assert_int_equal(eois, 1);
	assert_int_equal(last_eoi, 0x52);
	assert_int_equal(vlapic_pending_vector(&cpus[0]), 0x31);
	/* illegal vectors and disabled APICs */
	vlapic_set_irq(&cpus[0], 5, false);
	wr(0, 0x828, 0);
	assert_int_equal(rd(0, 0x828), BIT(6));
	wr(1, 0x1b, 0xfee00c00);
	vlapic_set_irq(&cpus[1], 0x40, false); /* SVR not enabled: dropped */
	assert_int_equal(vlapic_pending_vector(&cpus[1]), -1);
}

static void test_icr_routing(void **state)
{
	setup(state);
	for (int i = 0; i < NCPU; i++)
		x2(i);
	/* fixed, physical 2 */
	wr(0, 0x830, (2ULL << 32) | 0x40);
	assert_int_equal(vlapic_pending_vector(&cpus[2]), 0x40);
	assert_int_equal(vlapic_pending_vector(&cpus[1]), -1);
	/* destination outside the guest reaches nobody */
	wr(0, 0x830, (7ULL << 32) | 0x41);
	for (int i = 0; i < NCPU; i++)
		assert_true(vlapic_pending_vector(&cpus[i]) != 0x41);
	/* self, all-including-self, all-excluding-self */
	wr(1, 0x830, (1 << 18) | 0x50);
	assert_int_equal(vlapic_pending_vector(&cpus[1]), 0x50);
	wr(0, 0x830, (2 << 18) | 0x60);
	for (int i = 0; i < NCPU; i++)
		assert_int_equal(vlapic_pending_vector(&cpus[i]), 0x60);
	wr(0, 0x830, (3 << 18) | 0x70);
	assert_int_equal(vlapic_pending_vector(&cpus[0]), 0x60);
	assert_int_equal(vlapic_pending_vector(&cpus[2]), 0x70);
	/* logical x2APIC cluster 0, members 0 and 2 */
	wr(0, 0x830, (0x5ULL << 32) | BIT(11) | 0x80);
	assert_int_equal(vlapic_pending_vector(&cpus[0]), 0x80);
	assert_int_equal(vlapic_pending_vector(&cpus[1]), 0x70);
	assert_int_equal(vlapic_pending_vector(&cpus[2]), 0x80);
	/* broadcast, INIT and SIPI, NMI */
	wr(0, 0x830, (0xffffffffULL << 32) | 0x4500);
	for (int i = 0; i < NCPU; i++)
		assert_int_equal(inits[i], 1);
	wr(0, 0x830, (3 << 18) | 0x4608);
	assert_int_equal(sipis[0], 0);
	assert_int_equal(sipis[1], 8);
	wr(0, 0x830, (1ULL << 32) | 0x400);
	assert_true(vlapic_take_nmi(&cpus[1]));
	assert_false(vlapic_take_nmi(&cpus[1]));
	/* the IOAPIC's entry point */
	assert_int_equal(vlapic_deliver(G, 0xff, false, 0x90, VLAPIC_DM_FIXED, true), NCPU);
	assert_int_equal(vlapic_deliver(G, 1, false, 0x91, VLAPIC_DM_LOWEST, false), 1);
	assert_int_equal(vlapic_deliver(G, 9, false, 0x91, VLAPIC_DM_FIXED, false), 0);
	assert_int_equal(vlapic_deliver(G, 0, false, 0x91, VLAPIC_DM_SMI, false), -ENOTSUP);
	assert_int_equal(vlapic_deliver(G, 0, false, 0x91, VLAPIC_DM_EXTINT, false), -ENOTSUP);
	assert_int_equal(vlapic_deliver(G, 0, false, 0x91, 3, false), -EINVAL);
}

static void test_xapic_logical(void **state)
{
	setup(state);
	for (int i = 0; i < NCPU; i++) {
		mwr(i, 0xf0, 0x1ff);
		mwr(i, 0xd0, (1u << i) << 24); /* flat: one bit each */
	}
	mwr(0, 0x310, 0x06u << 24);
	mwr(0, 0x300, BIT(11) | 0x44);
	assert_int_equal(vlapic_pending_vector(&cpus[0]), -1);
	assert_int_equal(vlapic_pending_vector(&cpus[1]), 0x44);
	assert_int_equal(vlapic_pending_vector(&cpus[2]), 0x44);
	assert_int_equal(mrd(0, 0x300) & BIT(12), 0); /* delivery status idle */
	/* cluster model (all APICs alike): cluster i + 1, member bit 0 */
	for (int i = 0; i < NCPU; i++) {
		mwr(i, 0xe0, 0x0fffffff);
		mwr(i, 0xd0, (u32)((i + 1) * 16 + 1) << 24);
	}
	assert_int_equal(vlapic_deliver(G, 0x21, true, 0x55, VLAPIC_DM_FIXED, false), 1);
	assert_int_equal(vlapic_pending_vector(&cpus[1]), 0x55);
}

static void test_timer(void **state)
{
	setup(state);
	x2(0);
	/* one-shot, divide by 2 (TDCR 0), 100 counts = 200 TSC ticks */
	wr(0, 0x83e, 0);
	wr(0, 0x832, 0x30);
	wr(0, 0x838, 100);
	assert_int_equal(vlapic_timer_next(&cpus[0]), 1200);
	now = 1100;
	assert_int_equal(rd(0, 0x839), 50);
	vlapic_timer_update(&cpus[0], now);
	assert_int_equal(vlapic_pending_vector(&cpus[0]), -1);
	now = 1200;
	vlapic_timer_update(&cpus[0], now);
	assert_int_equal(vlapic_pending_vector(&cpus[0]), 0x30);
	assert_int_equal(vlapic_timer_next(&cpus[0]), 0);
	assert_int_equal(rd(0, 0x839), 0);
	vlapic_accept(&cpus[0], 0x30);
	wr(0, 0x80b, 0);
	/* periodic, divide by 1 (TDCR 0xb): 50 ticks; missed periods give one interrupt */
	wr(0, 0x832, 0x20031);
	wr(0, 0x83e, 0xb);
	wr(0, 0x838, 50);
	assert_int_equal(vlapic_timer_next(&cpus[0]), 1250);
	now = 1420;
	vlapic_timer_update(&cpus[0], now);
	assert_int_equal(vlapic_pending_vector(&cpus[0]), 0x31);
	assert_int_equal(vlapic_timer_next(&cpus[0]), 1450);
	assert_int_equal(rd(0, 0x839), 30);
	/* writing 0 stops it */
	wr(0, 0x838, 0);
	assert_int_equal(vlapic_timer_next(&cpus[0]), 0);
	/* masked: counts but raises nothing */
	vlapic_accept(&cpus[0], 0x31);
	wr(0, 0x80b, 0);
	wr(0, 0x832, 0x10032);
	wr(0, 0x838, 10);
	now += 100;
	vlapic_timer_update(&cpus[0], now);
	assert_int_equal(vlapic_pending_vector(&cpus[0]), -1);
	/* TSC-deadline: the MSR arms it; TMICT is ignored; reads 0 after firing */
	wr(0, 0x832, 0x40033);
	wr(0, 0x838, 5);
	assert_int_equal(vlapic_timer_next(&cpus[0]), 0);
	assert_int_equal(vlapic_tsc_deadline_write(&cpus[0], 0x6e0, now + 500), 0);
	assert_int_equal(vlapic_timer_next(&cpus[0]), now + 500);
	now += 500;
	vlapic_timer_update(&cpus[0], now);
	assert_int_equal(vlapic_pending_vector(&cpus[0]), 0x33);
	u64 d;
	vlapic_tsc_deadline_read(&cpus[0], 0x6e0, &d);
	assert_int_equal(d, 0);
	/* leaving TSC-deadline mode disarms */
	vlapic_tsc_deadline_write(&cpus[0], 0x6e0, now + 10);
	wr(0, 0x832, 0x34);
	assert_int_equal(vlapic_timer_next(&cpus[0]), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_registers),   cmocka_unit_test(test_priority_eoi),
		cmocka_unit_test(test_icr_routing), cmocka_unit_test(test_xapic_logical),
		cmocka_unit_test(test_timer),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
