/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Port I/O and second-level fault exits. Ports go to the guest's device
 * registry (include/hv/vdev.h): emulated, passthrough, or unassigned (reads
 * all ones, writes dropped). A second-level fault is either an access to an
 * emulated MMIO range or a guest touching memory it does not own.
 */
#include <arch/vcpu.h>
#include <arch/vcpu_vendor.h>
#include <hv/guest.h>
#include <hv/string.h>
#include <hv/vdev.h>

enum exit_result vcpu_handle_io(struct vcpu *v, struct vm_exit *e);
enum exit_result vcpu_handle_sl_fault(struct vcpu *v, struct vm_exit *e);
enum exit_result vcpu_emulate_mmio(struct vcpu *v, struct vm_exit *e);
enum exit_result vcpu_emulate_string_io(struct vcpu *v, struct vm_exit *e);

static u32 size_mask(unsigned int size)
{
	return size >= 4 ? 0xffffffffU : (1U << (size * 8)) - 1;
}

/* IN writes AL/AX/EAX; a 32-bit IN zero-extends into RAX (SDM Vol. 1 3.4.1.1). */
static void set_in_result(struct vcpu *v, unsigned int size, u32 val)
{
	u64 rax = v->regs.r[GPR_RAX];

	if (size == 4)
		rax = val;
	else
		rax = (rax & ~(u64)size_mask(size)) | (val & size_mask(size));
	v->regs.r[GPR_RAX] = rax;
}

/* The lifecycle line uses the vendor's own term (docs/console.md). */
static const char *sl_fault_name(void)
{
	return strcmp(vcpu_ops->name, "vmx") == 0 ? "ept-violation" : "npt-fault";
}

enum exit_result vcpu_handle_io(struct vcpu *v, struct vm_exit *e)
{
	const struct exit_io *io = &e->u.io;
	struct vdev_bus *bus = &guest_devices(v->guest)->bus;
	enum pio_route route;
	u32 val;

	if (io->size != 1 && io->size != 2 && io->size != 4)
		return guest_fatal(v, e, "io-bad-size");
	if (io->string)
		return vcpu_emulate_string_io(v, e); /* arch/x86/vcpu_string_io.c */
	if (io->in) {
		route = vdev_pio_read(bus, v, io->port, io->size, &val);
		if (route != PIO_ERROR)
			set_in_result(v, io->size, val);
	} else {
		val = (u32)v->regs.r[GPR_RAX] & size_mask(io->size);
		route = vdev_pio_write(bus, v, io->port, io->size, val);
	}
	if (route == PIO_ERROR)
		return guest_fatal(v, e, "io-device-error");
	if (vcpu_stopping(v))
		return EXIT_STOPPED; /* e.g. the test-exit port stopped the guest */
	vcpu_skip(v, e);
	return EXIT_RESUME;
}

/*
 * A second-level fault: an emulated MMIO range (decoded and emulated,
 * arch/x86/vcpu_mmio.c) or a guest touching memory it does not own.
 */
enum exit_result vcpu_handle_sl_fault(struct vcpu *v, struct vm_exit *e)
{
	struct vdev_bus *bus = &guest_devices(v->guest)->bus;

	if (e->u.sl.misconfig)
		return guest_fatal(v, e, "sl-misconfig");
	if (vdev_mmio_find(bus, e->u.sl.gpa))
		return vcpu_emulate_mmio(v, e);
	return guest_fatal(v, e, sl_fault_name());
}
