/* SPDX-License-Identifier: Apache-2.0 */
/* Fakes for the platform device tests: a settable clock, the guest's power events, the LAPIC. */
#ifndef TESTS_VDEV_FAKE_H
#define TESTS_VDEV_FAKE_H

#include <hv/vdev.h>

#define FAKE_HZ 1000000000ULL /* the fake TSC runs at 1 GHz */

extern u64 fake_tsc;
extern struct guest *fake_guest; /* what the devices get as their guest */
extern struct guest_devices fake_devs;
extern int power_offs, resets;

struct delivery {
	u32 dest;
	bool logical;
	u8 vector, mode;
	bool level;
};
extern int deliveries;
extern struct delivery last_delivery;

void fake_reset(void);
/* A port or MMIO access through the registry built by vplatform_init. */
u64 fake_in(u16 port, unsigned int size);
void fake_out(u16 port, unsigned int size, u64 val);

#endif
