/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Per-guest device registries (include/hv/vdev.h): small arrays searched
 * linearly (a guest has a handful of devices). Ranges never overlap, so the
 * first match is the only match.
 */
#include <hv/errno.h>
#include <hv/vdev.h>

void vdev_bus_init(struct vdev_bus *bus)
{
	bus->pio_count = 0;
	bus->mmio_count = 0;
	bus->pass_count = 0;
}

static bool overlaps(u64 a, u64 as, u64 b, u64 bs)
{
	return a < b + bs && b < a + as;
}

static bool range_taken(const struct vdev *devs, u32 n, u64 base, u64 size)
{
	for (u32 i = 0; i < n; i++)
		if (overlaps(devs[i].base, devs[i].size, base, size))
			return true;
	return false;
}

static bool pio_taken(const struct vdev_bus *bus, u64 base, u64 size)
{
	if (range_taken(bus->pio, bus->pio_count, base, size))
		return true;
	for (u32 i = 0; i < bus->pass_count; i++)
		if (overlaps(bus->pass[i].base, bus->pass[i].size, base, size))
			return true;
	return false;
}

int vdev_add_pio(struct vdev_bus *bus, const char *name, u16 base, u32 count,
		 const struct vdev_ops *ops, void *ctx)
{
	if (!count || (u32)base + count > 0x10000)
		return -EINVAL;
	if (pio_taken(bus, base, count))
		return -EEXIST;
	if (bus->pio_count >= VDEV_MAX_PIO)
		return -ENOSPC;
	bus->pio[bus->pio_count++] = (struct vdev){name, base, count, ops, ctx};
	return 0;
}

int vdev_add_pio_passthrough(struct vdev_bus *bus, u16 base, u32 count)
{
	if (!count || (u32)base + count > 0x10000)
		return -EINVAL;
	if (pio_taken(bus, base, count))
		return -EEXIST;
	if (bus->pass_count >= VDEV_MAX_PASS)
		return -ENOSPC;
	bus->pass[bus->pass_count++] = (struct vdev_range){base, count};
	return 0;
}

int vdev_add_mmio(struct vdev_bus *bus, const char *name, gpa_t base, u64 size,
		  const struct vdev_ops *ops, void *ctx)
{
	if (!size || base + size < base)
		return -EINVAL;
	if (range_taken(bus->mmio, bus->mmio_count, base, size))
		return -EEXIST;
	if (bus->mmio_count >= VDEV_MAX_MMIO)
		return -ENOSPC;
	bus->mmio[bus->mmio_count++] = (struct vdev){name, base, size, ops, ctx};
	return 0;
}

/* The device containing the whole access, or NULL. */
static const struct vdev *find(const struct vdev *devs, u32 n, u64 addr, u64 size)
{
	for (u32 i = 0; i < n; i++)
		if (addr >= devs[i].base && addr - devs[i].base + size <= devs[i].size)
			return &devs[i];
	return NULL;
}

bool vdev_pio_is_passthrough(const struct vdev_bus *bus, u16 port, unsigned int size)
{
	for (u32 i = 0; i < bus->pass_count; i++)
		if (port >= bus->pass[i].base &&
		    port - bus->pass[i].base + size <= bus->pass[i].size)
			return true;
	return false;
}

enum pio_route vdev_pio_read(struct vdev_bus *bus, struct vcpu *v, u16 port, unsigned int size,
			     u32 *val)
{
	const struct vdev *d = find(bus->pio, bus->pio_count, port, size);
	u64 v64 = 0;

	if (d) {
		if (d->ops->read(d->ctx, v, port, size, &v64))
			return PIO_ERROR;
		*val = (u32)v64;
		return PIO_EMULATED;
	}
	if (vdev_pio_is_passthrough(bus, port, size)) {
		*val = host_pio_read(port, size);
		return PIO_PASSTHROUGH;
	}
	*val = size >= 4 ? 0xffffffffU : (1U << (size * 8)) - 1;
	return PIO_UNASSIGNED;
}

enum pio_route vdev_pio_write(struct vdev_bus *bus, struct vcpu *v, u16 port, unsigned int size,
			      u32 val)
{
	const struct vdev *d = find(bus->pio, bus->pio_count, port, size);

	if (d)
		return d->ops->write(d->ctx, v, port, size, val) ? PIO_ERROR : PIO_EMULATED;
	if (vdev_pio_is_passthrough(bus, port, size)) {
		host_pio_write(port, size, val);
		return PIO_PASSTHROUGH;
	}
	return PIO_UNASSIGNED;
}

const struct vdev *vdev_mmio_find(const struct vdev_bus *bus, gpa_t gpa)
{
	return find(bus->mmio, bus->mmio_count, gpa, 1);
}

int vdev_mmio_read(struct vdev_bus *bus, struct vcpu *v, gpa_t gpa, unsigned int size, u64 *val)
{
	const struct vdev *d = find(bus->mmio, bus->mmio_count, gpa, size);

	return d ? d->ops->read(d->ctx, v, gpa, size, val) : -ENOENT;
}

int vdev_mmio_write(struct vdev_bus *bus, struct vcpu *v, gpa_t gpa, unsigned int size, u64 val)
{
	const struct vdev *d = find(bus->mmio, bus->mmio_count, gpa, size);

	return d ? d->ops->write(d->ctx, v, gpa, size, val) : -ENOENT;
}
