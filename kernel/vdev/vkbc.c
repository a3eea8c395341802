/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The keyboard controller as far as a guest without a keyboard needs it
 * (8042: IBM PC/AT Technical Reference, "Keyboard Controller"): the status
 * port 0x64 always reads "input and output buffers empty, system flag set",
 * so drivers that poll before a command never wait; the data port 0x60 reads
 * 0; command 0xFE (pulse output port bit 0, the CPU reset line) resets the
 * guest. Every other command and data byte is dropped.
 */
#include <hv/guest.h>
#include <hv/vdev.h>
#include <hv/vplatform.h>

#define KBC_STATUS_SYS BIT(2) /* system flag: passed the self test */

static int vkbc_read(void *ctx, struct vcpu *v, u64 addr, unsigned int size, u64 *val)
{
	*val = addr == GUEST_KBC_CMD_PORT ? KBC_STATUS_SYS : 0;
	return 0;
}

static int vkbc_write(void *ctx, struct vcpu *v, u64 addr, unsigned int size, u64 val)
{
	if (addr == GUEST_KBC_CMD_PORT && (val & 0xff) == GUEST_KBC_CMD_RESET)
		guest_reset(ctx);
	return 0;
}

const struct vdev_ops vkbc_ops = {
	.read = vkbc_read,
	.write = vkbc_write,
};
