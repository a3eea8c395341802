/* SPDX-License-Identifier: Apache-2.0 */
/*
 * SVM exit codes to neutral exits (AMD APM Vol. 2 Appendix C, and 15.7
 * "#VMEXIT" for EXITINFO1/2). One const table indexed by EXITCODE; codes the
 * table does not name become EXIT_UNHANDLED, which stops the guest. Pure:
 * host-tested by tests/unit/test_svm_exit.c.
 */
#include <arch/vcpu_vendor.h>
#include <hv/string.h>

#include "svm.h"

typedef void (*svm_decoder_fn)(const struct vmcb_control *ctl, u64 rip, struct vm_exit *out);

static void dec_cpuid(const struct vmcb_control *c, u64 rip, struct vm_exit *e)
{
	e->reason = EXIT_CPUID;
}

/* EXITINFO1: 0 for RDMSR, 1 for WRMSR (APM 15.11). */
static void dec_msr(const struct vmcb_control *c, u64 rip, struct vm_exit *e)
{
	if (c->exitinfo1 == 0)
		e->reason = EXIT_RDMSR;
	else if (c->exitinfo1 == 1)
		e->reason = EXIT_WRMSR;
	else
		e->reason = EXIT_UNHANDLED;
}

static u8 ioio_size(u64 info)
{
	if (info & SVM_IOIO_SZ8)
		return 1;
	if (info & SVM_IOIO_SZ16)
		return 2;
	if (info & SVM_IOIO_SZ32)
		return 4;
	return 0;
}

/* EXITINFO1 describes the access, EXITINFO2 is the next RIP (APM 15.10.2). */
static void dec_ioio(const struct vmcb_control *c, u64 rip, struct vm_exit *e)
{
	u64 info = c->exitinfo1;
	u64 len = c->exitinfo2 - rip;

	e->u.io.port = (u16)(info >> SVM_IOIO_PORT_SHIFT);
	e->u.io.size = ioio_size(info);
	e->u.io.in = info & SVM_IOIO_TYPE_IN;
	e->u.io.string = info & SVM_IOIO_STR;
	e->u.io.rep = info & SVM_IOIO_REP;
	e->reason = e->u.io.size ? EXIT_IO : EXIT_UNHANDLED;
	e->insn_len = len >= 1 && len <= 15 ? (u8)len : 0;
}

static void dec_hlt(const struct vmcb_control *c, u64 rip, struct vm_exit *e)
{
	e->reason = EXIT_HLT;
}

static void dec_init(const struct vmcb_control *c, u64 rip, struct vm_exit *e)
{
	e->reason = EXIT_INIT;
}

static void dec_shutdown(const struct vmcb_control *c, u64 rip, struct vm_exit *e)
{
	e->reason = EXIT_TRIPLE_FAULT;
}

static void dec_xsetbv(const struct vmcb_control *c, u64 rip, struct vm_exit *e)
{
	e->reason = EXIT_XSETBV;
}

static void dec_vmmcall(const struct vmcb_control *c, u64 rip, struct vm_exit *e)
{
	e->reason = EXIT_HYPERCALL;
}

static void dec_invd(const struct vmcb_control *c, u64 rip, struct vm_exit *e)
{
	e->reason = EXIT_INVD;
}

static void dec_intr(const struct vmcb_control *c, u64 rip, struct vm_exit *e)
{
	e->reason = EXIT_EXT_INTR;
}

static void dec_nmi(const struct vmcb_control *c, u64 rip, struct vm_exit *e)
{
	e->reason = EXIT_NMI;
}

static void dec_vintr(const struct vmcb_control *c, u64 rip, struct vm_exit *e)
{
	e->reason = EXIT_INTR_WINDOW;
}

/* The guest tried an SVM instruction (nested virtualization is not offered). */
static void dec_svm_insn(const struct vmcb_control *c, u64 rip, struct vm_exit *e)
{
	e->reason = EXIT_UD_INSN;
}

/* Vectors that push an error code (APM Vol. 2 8.2, Table 8-1). */
#define EXC_WITH_ERROR                                                                             \
	(BIT(8) | BIT(10) | BIT(11) | BIT(12) | BIT(13) | BIT(14) | BIT(17) | BIT(21) | BIT(29) |  \
	 BIT(30))

/* EXITINFO1 holds the error code, EXITINFO2 the #PF address (APM 15.12). */
static void dec_exception(const struct vmcb_control *c, u64 rip, struct vm_exit *e)
{
	u8 vector = (u8)(c->exitcode - SVM_EXIT_EXC_BASE);

	e->reason = EXIT_EXCEPTION;
	e->u.exc.vector = vector;
	e->u.exc.has_error = EXC_WITH_ERROR & BIT(vector);
	e->u.exc.error = e->u.exc.has_error ? (u32)c->exitinfo1 : 0;
	e->u.exc.cr2 = vector == X86_EXC_PF ? c->exitinfo2 : 0;
}

static const svm_decoder_fn decoders[SVM_EXIT_TABLE_SIZE] = {
	[SVM_EXIT_EXC_BASE... SVM_EXIT_EXC_LAST] = dec_exception,
	[SVM_EXIT_INTR] = dec_intr,
	[SVM_EXIT_NMI] = dec_nmi,
	[SVM_EXIT_VINTR] = dec_vintr,
	[SVM_EXIT_INIT] = dec_init,
	[SVM_EXIT_CPUID] = dec_cpuid,
	[SVM_EXIT_INVD] = dec_invd,
	[SVM_EXIT_HLT] = dec_hlt,
	[SVM_EXIT_INVLPGA] = dec_svm_insn,
	[SVM_EXIT_IOIO] = dec_ioio,
	[SVM_EXIT_MSR] = dec_msr,
	[SVM_EXIT_SHUTDOWN] = dec_shutdown,
	[SVM_EXIT_VMRUN] = dec_svm_insn,
	[SVM_EXIT_VMMCALL] = dec_vmmcall,
	[SVM_EXIT_VMLOAD] = dec_svm_insn,
	[SVM_EXIT_VMSAVE] = dec_svm_insn,
	[SVM_EXIT_STGI] = dec_svm_insn,
	[SVM_EXIT_CLGI] = dec_svm_insn,
	[SVM_EXIT_SKINIT] = dec_svm_insn,
	[SVM_EXIT_XSETBV] = dec_xsetbv,
};

/*
 * Nested page fault: EXITINFO1 is a #PF error code, EXITINFO2 the faulting
 * guest-physical address (APM 15.25.6). A reserved-bit fault means the
 * hypervisor built a bad entry: the analogue of an EPT misconfiguration.
 */
static void dec_npf(const struct vmcb_control *c, struct vm_exit *e)
{
	u64 info = c->exitinfo1;

	e->reason = EXIT_SL_FAULT;
	e->u.sl.gpa = c->exitinfo2;
	e->u.sl.misconfig = info & SVM_NPF_RSV;
	if (info & SVM_NPF_ID)
		e->u.sl.access = SL_ACCESS_EXEC;
	else if (info & SVM_NPF_RW)
		e->u.sl.access = SL_ACCESS_WRITE;
	else
		e->u.sl.access = SL_ACCESS_READ;
}

void svm_decode_exit(const struct vmcb_control *ctl, u64 rip, struct vm_exit *out)
{
	u64 code = ctl->exitcode;

	memset(out, 0, sizeof(*out));
	out->rip = rip;
	out->raw_reason = code;
	out->raw_qual = ctl->exitinfo1;
	out->raw_info = ctl->exitinfo2;
	out->reason = EXIT_UNHANDLED;
	if (code == SVM_EXIT_NPF)
		dec_npf(ctl, out);
	else if (code == SVM_EXIT_INVALID)
		out->reason = EXIT_ENTRY_FAILED;
	else if (code < SVM_EXIT_TABLE_SIZE && decoders[code])
		decoders[code](ctl, rip, out);
}
