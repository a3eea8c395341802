/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Emulated MMIO: the faulting instruction is fetched at CS:RIP, decoded
 * (arch/x86/decode.c: MOV forms only), and its access is sent to the device
 * that claims the guest-physical address (include/hv/vdev.h); the register
 * result is written back and RIP moves past the instruction. What the
 * decoder does not know stops the guest with the bytes in the message.
 */
#include <arch/decode.h>
#include <arch/vcpu.h>
#include <arch/vcpu_vendor.h>
#include <hv/guest.h>
#include <hv/printk.h>
#include <hv/vdev.h>

enum exit_result vcpu_emulate_mmio(struct vcpu *v, struct vm_exit *e);

static enum exit_result refuse(struct vcpu *v, struct vm_exit *e, const u8 *buf, unsigned int n,
			       const char *why)
{
	char hex[15 * 3 + 1];
	size_t len = 0;

	for (unsigned int i = 0; i < n; i++)
		len += (size_t)hv_snprintf(hex + len, sizeof(hex) - len, "%s%02x", i ? " " : "",
					   buf[i]);
	hex[len] = '\0';
	pr_err("bulkhead: guest %s cpu %u: MMIO at 0x%llx: cannot emulate [%s]: %s",
	       guest_name(v->guest), v->index, (unsigned long long)e->u.sl.gpa, hex, why);
	return guest_fatal(v, e, "mmio-not-decoded");
}

static int do_access(struct vcpu *v, const struct mmio_insn *in, gpa_t gpa)
{
	struct vdev_bus *bus = &guest_devices(v->guest)->bus;
	u64 val;
	int rc;

	if (in->kind == MMIO_LOAD) {
		rc = vdev_mmio_read(bus, v, gpa, in->size, &val);
		if (!rc)
			vcpu_gpr_write(v, in->reg,
				       mmio_load_result(in, vcpu_gpr_read(v, in->reg), val));
		return rc;
	}
	val = in->kind == MMIO_STORE_IMM ? in->imm
					 : mmio_store_value(in, vcpu_gpr_read(v, in->reg));
	return vdev_mmio_write(bus, v, gpa, in->size, val);
}

enum exit_result vcpu_emulate_mmio(struct vcpu *v, struct vm_exit *e)
{
	u8 buf[15];
	enum decode_mode mode;
	unsigned int n = vcpu_fetch_insn(v, buf, sizeof(buf), &mode);
	struct mmio_insn in;
	const char *why;

	if (x86_decode_mmio(buf, n, mode, &in, &why))
		return refuse(v, e, buf, n, why);
	if ((in.kind == MMIO_LOAD) != !(e->u.sl.access & SL_ACCESS_WRITE))
		return refuse(v, e, buf, n, "the instruction's direction differs from the fault's");
	if (do_access(v, &in, e->u.sl.gpa))
		return guest_fatal(v, e, "mmio-device-error");
	if (vcpu_stopping(v))
		return EXIT_STOPPED;
	vcpu_ops->skip_instruction(v, in.len); /* the decoded length: the fault gives none */
	return EXIT_RESUME;
}
