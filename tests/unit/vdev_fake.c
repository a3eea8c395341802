/* SPDX-License-Identifier: Apache-2.0 */
#include <string.h>

#include <arch/vlapic.h>
#include <hv/guest.h>

#include "vdev_fake.h"

u64 fake_tsc;
static int guest_token;
struct guest *fake_guest = (struct guest *)&guest_token;
struct guest_devices fake_devs;
int power_offs, resets, deliveries;
struct delivery last_delivery;

u64 vdev_now(void)
{
	return fake_tsc;
}

u64 vdev_clock_hz(void)
{
	return FAKE_HZ;
}

void guest_power_off(struct guest *g)
{
	power_offs++;
}

void guest_reset(struct guest *g)
{
	resets++;
}

struct guest_devices *guest_devices(struct guest *g)
{
	return &fake_devs;
}

int vlapic_deliver(struct guest *g, u32 dest, bool logical, u8 vector, u8 delivery_mode, bool level)
{
	deliveries++;
	last_delivery = (struct delivery){dest, logical, vector, delivery_mode, level};
	return 1;
}

u32 host_pio_read(u16 port, unsigned int size)
{
	return 0x5a;
}

void host_pio_write(u16 port, unsigned int size, u32 val)
{
}

void fake_reset(void)
{
	fake_tsc = 0;
	power_offs = resets = deliveries = 0;
	memset(&last_delivery, 0, sizeof(last_delivery));
	memset(&fake_devs, 0, sizeof(fake_devs));
	vdev_bus_init(&fake_devs.bus);
}

u64 fake_in(u16 port, unsigned int size)
{
	u32 v = 0;

	vdev_pio_read(&fake_devs.bus, NULL, port, size, &v);
	return v;
}

void fake_out(u16 port, unsigned int size, u64 val)
{
	vdev_pio_write(&fake_devs.bus, NULL, port, size, (u32)val);
}
