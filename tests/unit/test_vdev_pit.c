/* SPDX-License-Identifier: Apache-2.0 */
/* The 8254 PIT and port 0x61 as Linux calibrates with them. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include "vdev_fake.h"

static int setup(void **state)
{
	fake_reset();
	assert_int_equal(
		vplatform_init(&fake_devs.platform, &fake_devs.bus, fake_guest, 256ULL << 20), 0);
	return 0;
}

/* The fake TSC at PIT tick t (1 GHz TSC, 1.193182 MHz PIT), rounded up. */
static void at_tick(u64 t)
{
	fake_tsc = (t * FAKE_HZ + 1193182 - 1) / 1193182;
}

static u16 read16(u16 port)
{
	u16 lo = (u16)fake_in(port, 1);

	return (u16)(lo | fake_in(port, 1) << 8);
}

static void test_mode0_channel2_gate_and_out(void **state)
{
	at_tick(1000);
	fake_out(0x61, 1, (fake_in(0x61, 1) & ~0x02) | 0x01); /* gate on, speaker off */
	fake_out(0x43, 1, 0xb0);			      /* ch 2, LSB+MSB, mode 0 */
	fake_out(0x42, 1, 0x10);
	fake_out(0x42, 1, 0x27); /* 10000 */
	assert_int_equal(fake_in(0x61, 1) & 0x21, 0x01);
	at_tick(1000 + 4000);
	assert_int_equal(read16(0x42), 6000);
	assert_int_equal(fake_in(0x61, 1) & 0x20, 0);
	at_tick(1000 + 10000);
	assert_int_equal(fake_in(0x61, 1) & 0x20, 0x20); /* terminal count: OUT high */
	at_tick(1000 + 10010);
	assert_int_equal(read16(0x42), (u16)-10); /* keeps counting through 0xffff */
	assert_int_equal(fake_in(0x61, 1) & 0x20, 0x20);
}

static void test_quick_calibration_msb(void **state)
{
	at_tick(5);
	fake_out(0x61, 1, 0x01);
	fake_out(0x43, 1, 0xb0);
	fake_out(0x42, 1, 0xff);
	fake_out(0x42, 1, 0xff);
	for (u32 i = 0; i < 20; i++) {
		at_tick(5 + 256 * i + 100);
		fake_in(0x42, 1);
		assert_int_equal(fake_in(0x42, 1), 0xff - i); /* MSB steps every 256 ticks */
	}
}

static void test_gate_low_stops_channel2(void **state)
{
	at_tick(0);
	fake_out(0x61, 1, 0x00); /* gate off */
	fake_out(0x43, 1, 0xb0);
	fake_out(0x42, 1, 0x00);
	fake_out(0x42, 1, 0x10); /* 4096 */
	at_tick(500);
	assert_int_equal(read16(0x42), 4096); /* not counting */
	fake_out(0x61, 1, 0x01);
	at_tick(600);
	assert_int_equal(read16(0x42), 4096 - 100);
	fake_out(0x61, 1, 0x00);
	at_tick(900);
	assert_int_equal(read16(0x42), 4096 - 100);
}

static void test_latch_and_readback(void **state)
{
	at_tick(0);
	fake_out(0x43, 1, 0x34); /* ch 0, LSB+MSB, mode 2 */
	fake_out(0x40, 1, 0x9c);
	fake_out(0x40, 1, 0x2e); /* 11932: 100 Hz */
	at_tick(1000);
	fake_out(0x43, 1, 0x00); /* latch channel 0 */
	at_tick(2000);
	assert_int_equal(read16(0x40), 11932 - 1000);
	assert_int_equal(read16(0x40), 11932 - 2000); /* latch released */
	at_tick(11932 + 32);
	assert_int_equal(read16(0x40), 11932 - 32); /* mode 2 reloads */
	fake_out(0x43, 1, 0xe2);		    /* read-back: status and count of ch 0 */
	assert_int_equal(fake_in(0x40, 1), 0x80 | 0x30 | 0x04); /* OUT high, LSB+MSB, mode 2 */
	assert_int_equal(read16(0x40), 11932 - 32);
}

static void test_access_modes_and_mode3(void **state)
{
	at_tick(0);
	fake_out(0x43, 1, 0x56); /* ch 1, LSB only, mode 3 */
	fake_out(0x41, 1, 100);
	at_tick(10);
	assert_int_equal(fake_in(0x41, 1), 80); /* mode 3 counts by two */
	assert_int_equal(fake_in(0x41, 1), 80);
	fake_out(0x43, 1, 0x60); /* ch 1, MSB only, mode 0 */
	fake_out(0x41, 1, 0x02); /* 0x200 */
	at_tick(10 + 0x100);
	assert_int_equal(fake_in(0x41, 1), 0x01);
	assert_int_equal(fake_in(0x43, 1), 0xff); /* control word is write-only */
}

/* IOAPIC redirection entry for pin 2 (IRQ 0 after the MADT override): vector, unmasked, edge. */
static void route_pin2(u8 vector)
{
	u64 v;

	assert_int_equal(vdev_mmio_write(&fake_devs.bus, NULL, GUEST_IOAPIC_ADDR, 4, 0x10 + 2 * 2),
			 0);
	assert_int_equal(vdev_mmio_write(&fake_devs.bus, NULL, GUEST_IOAPIC_ADDR + 0x10, 4, vector),
			 0);
	assert_int_equal(vdev_mmio_read(&fake_devs.bus, NULL, GUEST_IOAPIC_ADDR + 0x10, 4, &v), 0);
	assert_int_equal(v & 0x100ff, vector);
}

static u64 poll(void)
{
	return vpit_poll(&fake_devs.platform.pit, &fake_devs.platform.ioapic);
}

/* Mode 2 on channel 0: one IRQ 0 edge per period, missed ones coalesced, through IOAPIC pin 2. */
static void test_irq0_periodic(void **state)
{
	route_pin2(0x30);
	at_tick(100);
	assert_int_equal(poll(), 0); /* not programmed: no edges, no deadline */
	fake_out(0x43, 1, 0x34);     /* ch 0, LSB+MSB, mode 2 */
	fake_out(0x40, 1, 0xa8);
	fake_out(0x40, 1, 0x12); /* 4776: about 250 Hz */
	at_tick(100 + 4775);
	assert_int_equal(poll(), (100 + 4776) * FAKE_HZ / 1193182 + 1);
	assert_int_equal(deliveries, 0);
	at_tick(100 + 4776);
	poll();
	assert_int_equal(deliveries, 1);
	assert_int_equal(last_delivery.vector, 0x30);
	poll(); /* the same edge is raised once */
	assert_int_equal(deliveries, 1);
	at_tick(100 + 5 * 4776 + 7); /* four periods missed: one edge */
	assert_true(poll() > fake_tsc);
	assert_int_equal(deliveries, 2);
	/* A new count restarts the edges from the load. */
	fake_out(0x40, 1, 0xe8);
	fake_out(0x40, 1, 0x03); /* 1000 */
	at_tick(100 + 5 * 4776 + 7 + 999);
	poll();
	assert_int_equal(deliveries, 2);
	at_tick(100 + 5 * 4776 + 7 + 1000);
	poll();
	assert_int_equal(deliveries, 3);
}

/* Mode 0: one edge at terminal count, then none; what Linux leaves when it stops the PIT. */
static void test_irq0_one_shot(void **state)
{
	route_pin2(0x31);
	at_tick(0);
	fake_out(0x43, 1, 0x30); /* ch 0, LSB+MSB, mode 0 */
	fake_out(0x40, 1, 0x00);
	fake_out(0x40, 1, 0x00); /* 0: 0x10000 ticks */
	assert_true(poll() > 0);
	at_tick(0x10000);
	assert_int_equal(poll(), 0);
	assert_int_equal(deliveries, 1);
	at_tick(0x30000);
	assert_int_equal(poll(), 0);
	assert_int_equal(deliveries, 1);
	/* Mode 1 waits for a gate edge channel 0 never gets. */
	fake_out(0x43, 1, 0x32);
	fake_out(0x40, 1, 0x10);
	fake_out(0x40, 1, 0x00);
	at_tick(0x40000);
	assert_int_equal(poll(), 0);
	assert_int_equal(deliveries, 1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup(test_mode0_channel2_gate_and_out, setup),
		cmocka_unit_test_setup(test_quick_calibration_msb, setup),
		cmocka_unit_test_setup(test_gate_low_stops_channel2, setup),
		cmocka_unit_test_setup(test_latch_and_readback, setup),
		cmocka_unit_test_setup(test_access_modes_and_mode3, setup),
		cmocka_unit_test_setup(test_irq0_periodic, setup),
		cmocka_unit_test_setup(test_irq0_one_shot, setup),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
