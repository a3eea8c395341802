/* SPDX-License-Identifier: Apache-2.0 */
/*
 * INS and OUTS on an intercepted port (SDM Vol. 2A INS/INSB/INSW/INSD, Vol. 2B
 * OUTS/OUTSB/OUTSW/OUTSD, REP). The exit gives the port, the size and the
 * direction; the instruction itself (fetched and decoded, arch/x86/decode.c)
 * gives the memory operand's segment, the address size and REP. Each element
 * goes between the port's device and guest memory at segment:rSI (OUTS) or
 * ES:rDI (INS); rSI/rDI step by the size, down when RFLAGS.DF is set, and a
 * REP counts rCX down to 0. A long REP is cut into batches: RIP stays on the
 * instruction until rCX reaches 0, so the guest re-executes it and can take
 * interrupts in between, as on hardware. Segment limits are not checked.
 */
#include <arch/decode.h>
#include <arch/vcpu.h>
#include <arch/vcpu_vendor.h>
#include <hv/errno.h>
#include <hv/guest.h>
#include <hv/printk.h>
#include <hv/vdev.h>

enum exit_result vcpu_emulate_string_io(struct vcpu *v, struct vm_exit *e);

#define STRING_IO_BATCH 1024 /* elements per exit */
#define RFLAGS_DF	BIT64(10)

static u64 addr_mask(unsigned int addr_size)
{
	return addr_size >= 8 ? ~0ULL : (1ULL << (addr_size * 8)) - 1;
}

/* rSI, rDI or rCX += delta at the address size: a 16-bit step leaves bits 63:16 alone. */
static void step(struct vcpu *v, unsigned int gpr, s64 delta, unsigned int addr_size)
{
	u64 old = vcpu_gpr_read(v, gpr), mask = addr_mask(addr_size);
	u64 val = (old + (u64)delta) & mask;

	if (addr_size == 2)
		val |= old & ~mask;
	vcpu_gpr_write(v, gpr, val);
}

/* The linear address of the element (in 64-bit mode only FS and GS have a base). */
static u64 element_address(struct vcpu *v, const struct string_io_insn *in, bool code64)
{
	unsigned int gpr = in->in ? GPR_RDI : GPR_RSI;
	u64 off = vcpu_gpr_read(v, gpr) & addr_mask(in->addr_size);
	struct segment seg;

	vcpu_ops->get_segment(v, (enum seg_reg)in->seg, &seg);
	if (code64)
		return (in->seg == SEG_FS || in->seg == SEG_GS) ? seg.base + off : off;
	return (seg.base + off) & 0xffffffffULL;
}

/* One element: 0, -EFAULT (guest memory), or -EIO (the device). */
static int one_element(struct vcpu *v, const struct exit_io *io, const struct string_io_insn *in,
		       bool code64)
{
	struct vdev_bus *bus = &guest_devices(v->guest)->bus;
	u64 la = element_address(v, in, code64);
	u32 val = 0;

	if (in->in) {
		if (vdev_pio_read(bus, v, io->port, io->size, &val) == PIO_ERROR)
			return -EIO;
		return vcpu_linear_copy(v, la, &val, io->size, true);
	}
	if (vcpu_linear_copy(v, la, &val, io->size, false))
		return -EFAULT;
	return vdev_pio_write(bus, v, io->port, io->size, val) == PIO_ERROR ? -EIO : 0;
}

static enum exit_result refuse(struct vcpu *v, struct vm_exit *e, const char *why)
{
	pr_err("bulkhead: guest %s cpu %u: string I/O on port 0x%x: %s", guest_name(v->guest),
	       v->index, e->u.io.port, why);
	return guest_fatal(v, e, "io-string");
}

enum exit_result vcpu_emulate_string_io(struct vcpu *v, struct vm_exit *e)
{
	u8 buf[15];
	enum decode_mode mode;
	unsigned int n = vcpu_fetch_insn(v, buf, sizeof(buf), &mode);
	struct string_io_insn in;
	const char *why;
	s64 delta;
	u64 count;
	int rc = 0;

	if (x86_decode_string_io(buf, n, mode, &in, &why))
		return refuse(v, e, why);
	if (in.in != e->u.io.in || in.size != e->u.io.size)
		return refuse(v, e, "the instruction differs from the exit");
	delta = (vcpu_ops->get_reg(v, VCPU_REG_RFLAGS) & RFLAGS_DF) ? -(s64)in.size : in.size;
	count = in.rep ? vcpu_gpr_read(v, GPR_RCX) & addr_mask(in.addr_size) : 1;
	for (u32 done = 0; count && done < STRING_IO_BATCH; done++, count--) {
		rc = one_element(v, &e->u.io, &in, mode == DECODE_64);
		if (rc)
			break;
		step(v, in.in ? GPR_RDI : GPR_RSI, delta, in.addr_size);
		if (in.rep)
			step(v, GPR_RCX, -1, in.addr_size);
		if (vcpu_stopping(v))
			return EXIT_STOPPED;
	}
	if (rc == -EFAULT)
		return refuse(v, e, "its memory operand is not mapped");
	if (rc)
		return guest_fatal(v, e, "io-device-error");
	if (!count)
		vcpu_ops->skip_instruction(v, in.len);
	return EXIT_RESUME;
}
