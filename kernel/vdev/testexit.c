/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The test-exit port (as QEMU's isa-debug-exit at 0xf4): a write of v, of any
 * size, records exit code v and stops the guest. Reads return all ones.
 */
#include <hv/guest.h>
#include <hv/vdev.h>

static int testexit_read(void *ctx, struct vcpu *v, u64 addr, unsigned int size, u64 *val)
{
	*val = size >= 4 ? 0xffffffffU : (1U << (size * 8)) - 1;
	return 0;
}

static int testexit_write(void *ctx, struct vcpu *v, u64 addr, unsigned int size, u64 val)
{
	guest_exit_code(ctx, (u32)val);
	return 0;
}

const struct vdev_ops testexit_ops = {
	.read = testexit_read,
	.write = testexit_write,
};
