/* SPDX-License-Identifier: Apache-2.0 */
/* The IOAPIC model register by register (82093AA), delivery, Remote IRR and EOI. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <arch/vlapic.h>

#include "vdev_fake.h"

static struct vioapic *io;

static u32 rd(u64 off)
{
	u64 v = 0;

	assert_int_equal(vdev_mmio_read(&fake_devs.bus, NULL, GUEST_IOAPIC_ADDR + off, 4, &v), 0);
	return (u32)v;
}

static void wr(u64 off, u32 v)
{
	assert_int_equal(vdev_mmio_write(&fake_devs.bus, NULL, GUEST_IOAPIC_ADDR + off, 4, v), 0);
}

static u32 reg(u32 r)
{
	wr(0, r);
	return rd(0x10);
}

static void set_reg(u32 r, u32 v)
{
	wr(0, r);
	wr(0x10, v);
}

static int setup(void **state)
{
	fake_reset();
	assert_int_equal(vplatform_init(&fake_devs.platform, &fake_devs.bus, fake_guest, 64 << 20),
			 0);
	io = &fake_devs.platform.ioapic;
	return 0;
}

static void test_id_version_arb(void **state)
{
	assert_int_equal(reg(0), GUEST_IOAPIC_ID << 24);
	assert_int_equal(reg(1), 0x00170011); /* max redirection entry 23, version 0x11 */
	assert_int_equal(reg(2), 0);
	set_reg(0, 0x0f000000 | 0xff);
	assert_int_equal(reg(0), 0x0f000000); /* only bits 27:24 */
	set_reg(1, 0);
	assert_int_equal(reg(1), 0x00170011); /* read-only */
	wr(0, 0x3f);
	assert_int_equal(rd(0), 0x3f);	/* IOREGSEL reads back */
	assert_int_equal(reg(0x40), 0); /* beyond the table: reserved, 0 */
}

static void test_rte_reset_and_writable_bits(void **state)
{
	for (u32 i = 0; i < GUEST_IOAPIC_PINS; i++) {
		assert_int_equal(reg(0x10 + 2 * i), 0x10000); /* masked */
		assert_int_equal(reg(0x11 + 2 * i), 0);
	}
	set_reg(0x10 + 2 * 5, 0xffffffff);
	assert_int_equal(reg(0x10 + 2 * 5), 0x1afff); /* 12 and 14 read-only, 31:17 reserved */
	set_reg(0x11 + 2 * 5, 0xffffffff);
	assert_int_equal(reg(0x11 + 2 * 5), 0xff000000);
}

static void test_sizes_other_than_4_ignored(void **state)
{
	u64 v = 1;

	assert_int_equal(vdev_mmio_write(&fake_devs.bus, NULL, GUEST_IOAPIC_ADDR, 1, 1), 0);
	assert_int_equal(rd(0), 0);
	assert_int_equal(vdev_mmio_read(&fake_devs.bus, NULL, GUEST_IOAPIC_ADDR, 2, &v), 0);
	assert_int_equal(v, 0);
}

static void test_edge_delivery_and_mask(void **state)
{
	set_reg(0x10 + 2 * 4, 0x30);	 /* vector 0x30, fixed, physical, edge, unmasked */
	set_reg(0x11 + 2 * 4, 1u << 24); /* destination APIC 1 */
	vioapic_set_irq(io, 4, true);
	assert_int_equal(deliveries, 1);
	assert_int_equal(last_delivery.vector, 0x30);
	assert_int_equal(last_delivery.dest, 1);
	assert_false(last_delivery.logical);
	assert_false(last_delivery.level);
	assert_int_equal(last_delivery.mode, VLAPIC_DM_FIXED);
	vioapic_set_irq(io, 4, true); /* no new edge */
	assert_int_equal(deliveries, 1);
	vioapic_set_irq(io, 4, false);
	vioapic_set_irq(io, 4, true);
	assert_int_equal(deliveries, 2);
	assert_int_equal(reg(0x10 + 2 * 4) & (1 << 14), 0); /* no Remote IRR for edge */
	set_reg(0x10 + 2 * 4, 0x10030);			    /* masked */
	vioapic_set_irq(io, 4, false);
	vioapic_set_irq(io, 4, true);
	assert_int_equal(deliveries, 2); /* a masked edge is lost */
	set_reg(0x10 + 2 * 4, 0x30);
	assert_int_equal(deliveries, 2); /* ...and not replayed on unmask */
}

static void test_level_remote_irr_and_eoi(void **state)
{
	set_reg(0x10 + 2 * 9, 0x8941); /* vector 0x41, lowest priority, logical, level */
	set_reg(0x11 + 2 * 9, 0x03000000);
	vioapic_set_irq(io, 9, true);
	assert_int_equal(deliveries, 1);
	assert_true(last_delivery.level);
	assert_true(last_delivery.logical);
	assert_int_equal(last_delivery.mode, VLAPIC_DM_LOWEST);
	assert_int_equal(last_delivery.dest, 3);
	assert_true(reg(0x10 + 2 * 9) & (1 << 14)); /* Remote IRR */
	vioapic_set_irq(io, 9, true);
	assert_int_equal(deliveries, 1); /* waits for the EOI */
	vioapic_eoi(fake_guest, 0x40);	 /* another vector: nothing */
	assert_int_equal(deliveries, 1);
	vioapic_eoi(fake_guest, 0x41); /* still asserted: delivered again */
	assert_int_equal(deliveries, 2);
	vioapic_set_irq(io, 9, false);
	vioapic_eoi(fake_guest, 0x41);
	assert_int_equal(deliveries, 2);
	assert_int_equal(reg(0x10 + 2 * 9) & (1 << 14), 0);
}

static void test_level_unmask_delivers_pending(void **state)
{
	set_reg(0x10 + 2 * 10, 0x18050); /* level, masked */
	vioapic_set_irq(io, 10, true);
	assert_int_equal(deliveries, 0);
	set_reg(0x10 + 2 * 10, 0x8050); /* unmask: the asserted line fires */
	assert_int_equal(deliveries, 1);
	/* Linux's acknowledgement without an EOI register: edge, then level again. */
	set_reg(0x10 + 2 * 10, 0x10050);
	assert_int_equal(reg(0x10 + 2 * 10) & (1 << 14), 0);
	vioapic_set_irq(io, 10, false);
	set_reg(0x10 + 2 * 10, 0x8050);
	assert_int_equal(deliveries, 1);
}

static void test_out_of_range_pin(void **state)
{
	vioapic_set_irq(io, GUEST_IOAPIC_PINS, true);
	assert_int_equal(deliveries, 0);
	assert_int_equal(vioapic_rte(io, GUEST_IOAPIC_PINS), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup(test_id_version_arb, setup),
		cmocka_unit_test_setup(test_rte_reset_and_writable_bits, setup),
		cmocka_unit_test_setup(test_sizes_other_than_4_ignored, setup),
		cmocka_unit_test_setup(test_edge_delivery_and_mask, setup),
		cmocka_unit_test_setup(test_level_remote_irr_and_eoi, setup),
		cmocka_unit_test_setup(test_level_unmask_delivers_pending, setup),
		cmocka_unit_test_setup(test_out_of_range_pin, setup),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
