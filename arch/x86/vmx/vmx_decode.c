/* SPDX-License-Identifier: Apache-2.0 */
/*
 * VMX exit decoding (SDM Vol. 3C 28.2 "Recording VM-Exit Information";
 * Vol. 3D Appendix C "VMX Basic Exit Reasons"). A const table maps each basic
 * exit reason to a decoder; an unmapped reason is EXIT_UNHANDLED, which the
 * policy routes to the fatal path. Pure: host-tested.
 */
#include <arch/cpu.h>
#include <arch/vcpu_vendor.h>

#include "vmx_bits.h"
#include "vmx_decode.h"

typedef void (*vmx_decode_fn)(const struct vmx_exit_raw *raw, struct vm_exit *out);

/* Exits for instructions that may be skipped carry their length. */
static void with_len(const struct vmx_exit_raw *raw, struct vm_exit *out, enum exit_reason r)
{
	out->reason = r;
	out->insn_len = (u8)raw->insn_len;
}

#define SIMPLE_DECODER(fn, reason)                                                                 \
	static void fn(const struct vmx_exit_raw *raw, struct vm_exit *out)                        \
	{                                                                                          \
		with_len(raw, out, reason);                                                        \
	}

SIMPLE_DECODER(dec_cpuid, EXIT_CPUID)
SIMPLE_DECODER(dec_hlt, EXIT_HLT)
SIMPLE_DECODER(dec_invd, EXIT_INVD)
SIMPLE_DECODER(dec_vmcall, EXIT_HYPERCALL)
SIMPLE_DECODER(dec_rdmsr, EXIT_RDMSR)
SIMPLE_DECODER(dec_wrmsr, EXIT_WRMSR)
SIMPLE_DECODER(dec_xsetbv, EXIT_XSETBV)
SIMPLE_DECODER(dec_vmx_insn, EXIT_UD_INSN)

static void dec_ext_intr(const struct vmx_exit_raw *raw, struct vm_exit *out)
{
	out->reason = EXIT_EXT_INTR;
}

static void dec_triple_fault(const struct vmx_exit_raw *raw, struct vm_exit *out)
{
	out->reason = EXIT_TRIPLE_FAULT;
}

static void dec_init(const struct vmx_exit_raw *raw, struct vm_exit *out)
{
	out->reason = EXIT_INIT;
}

/* SIPI: the qualification's bits 7:0 are the vector (Table 28-1). */
static void dec_sipi(const struct vmx_exit_raw *raw, struct vm_exit *out)
{
	out->reason = EXIT_SIPI;
	out->u.sipi_vector = (u8)raw->qual;
}

static void dec_intr_window(const struct vmx_exit_raw *raw, struct vm_exit *out)
{
	out->reason = EXIT_INTR_WINDOW;
}

static void dec_preempt(const struct vmx_exit_raw *raw, struct vm_exit *out)
{
	out->reason = EXIT_PREEMPT_TIMER;
}

/* Exception or NMI (reason 0): the interruption information says which (28.2.2). */
static void dec_exc_nmi(const struct vmx_exit_raw *raw, struct vm_exit *out)
{
	u32 type = raw->intr_info & INTR_INFO_TYPE_MASK;
	struct exit_exception *x = &out->u.exc;

	if (type == INTR_TYPE_NMI) {
		out->reason = EXIT_NMI;
		return;
	}
	out->reason = EXIT_EXCEPTION;
	x->vector = (u8)(raw->intr_info & INTR_INFO_VECTOR_MASK);
	x->has_error = raw->intr_info & INTR_INFO_HAS_ERROR;
	x->error = x->has_error ? raw->intr_error : 0;
	/* #PF: the qualification is the faulting linear address (Table 28-1). */
	x->cr2 = x->vector == X86_EXC_PF ? raw->qual : 0;
}

/* I/O instruction qualification (Table 28-5): size-1 in bits 2:0, port in 31:16. */
static void dec_io(const struct vmx_exit_raw *raw, struct vm_exit *out)
{
	struct exit_io *io = &out->u.io;

	with_len(raw, out, EXIT_IO);
	io->size = (u8)((raw->qual & IOQ_SIZE_MASK) + 1);
	io->in = raw->qual & IOQ_IN;
	io->string = raw->qual & IOQ_STRING;
	io->rep = raw->qual & IOQ_REP;
	io->port = (u16)(raw->qual >> IOQ_PORT_SHIFT);
}

/*
 * LMSW loads CR0 bits 3:0 and cannot clear PE (SDM Vol. 2A LMSW); the new
 * value is what the guest would see.
 */
static u64 lmsw_value(const struct vmx_exit_raw *raw)
{
	u64 src = (raw->qual >> CRQ_LMSW_SRC_SHIFT) & 0xf;

	return (raw->cr0 & ~0xeULL) | src | (raw->cr0 & CR0_PE);
}

/*
 * Control-register access (Table 28-3). Only writes to CR0 and CR4 can exit
 * (bits the hypervisor owns); anything else is unexpected and unhandled.
 */
static void dec_cr(const struct vmx_exit_raw *raw, struct vm_exit *out)
{
	u32 cr = (u32)(raw->qual & CRQ_CR_MASK);
	u32 type = (u32)((raw->qual >> CRQ_TYPE_SHIFT) & CRQ_TYPE_MASK);
	u32 gpr = (u32)((raw->qual >> CRQ_GPR_SHIFT) & CRQ_GPR_MASK);

	if (type == CRQ_TYPE_MOV_TO && (cr == 0 || cr == 4 || cr == 8)) {
		with_len(raw, out, EXIT_CR_WRITE);
		out->u.cr.cr = (u8)cr;
		out->u.cr.value = raw->gpr[gpr];
	} else if (type == CRQ_TYPE_MOV_FROM && cr == 8) {
		with_len(raw, out, EXIT_CR_READ);
		out->u.cr.cr = 8;
		out->u.cr.gpr = (u8)gpr;
	} else if (type == CRQ_TYPE_LMSW) {
		with_len(raw, out, EXIT_CR_WRITE);
		out->u.cr.cr = 0;
		out->u.cr.value = lmsw_value(raw);
	} else {
		out->reason = EXIT_UNHANDLED;
	}
}

/* EPT violation qualification (Table 28-7): access bits 2:0, GLA valid in bit 7. */
static void dec_ept_violation(const struct vmx_exit_raw *raw, struct vm_exit *out)
{
	struct exit_sl_fault *sl = &out->u.sl;

	out->reason = EXIT_SL_FAULT;
	sl->gpa = raw->gpa;
	sl->gla_valid = raw->qual & EPTQ_GLA_VALID;
	sl->gla = sl->gla_valid ? raw->gla : 0;
	sl->access = (raw->qual & EPTQ_READ ? SL_ACCESS_READ : 0) |
		     (raw->qual & EPTQ_WRITE ? SL_ACCESS_WRITE : 0) |
		     (raw->qual & EPTQ_FETCH ? SL_ACCESS_EXEC : 0);
}

static void dec_ept_misconfig(const struct vmx_exit_raw *raw, struct vm_exit *out)
{
	out->reason = EXIT_SL_FAULT;
	out->u.sl.gpa = raw->gpa;
	out->u.sl.misconfig = true;
}

static const vmx_decode_fn decoders[VMX_EXIT_MAX] = {
	[VMX_EXIT_EXC_NMI] = dec_exc_nmi,
	[VMX_EXIT_EXT_INTR] = dec_ext_intr,
	[VMX_EXIT_TRIPLE_FAULT] = dec_triple_fault,
	[VMX_EXIT_INTR_WINDOW] = dec_intr_window,
	[VMX_EXIT_NMI_WINDOW] = dec_intr_window, /* an NMI waits: vcpu_deliver_events injects it */
	[VMX_EXIT_INIT] = dec_init,
	[VMX_EXIT_SIPI] = dec_sipi,
	[VMX_EXIT_CPUID] = dec_cpuid,
	[VMX_EXIT_GETSEC] = dec_vmx_insn, /* SMX is not offered: #UD */
	[VMX_EXIT_HLT] = dec_hlt,
	[VMX_EXIT_INVD] = dec_invd,
	[VMX_EXIT_VMCALL] = dec_vmcall,
	[VMX_EXIT_VMCLEAR] = dec_vmx_insn,
	[VMX_EXIT_VMLAUNCH] = dec_vmx_insn,
	[VMX_EXIT_VMPTRLD] = dec_vmx_insn,
	[VMX_EXIT_VMPTRST] = dec_vmx_insn,
	[VMX_EXIT_VMREAD] = dec_vmx_insn,
	[VMX_EXIT_VMRESUME] = dec_vmx_insn,
	[VMX_EXIT_VMWRITE] = dec_vmx_insn,
	[VMX_EXIT_VMXOFF] = dec_vmx_insn,
	[VMX_EXIT_VMXON] = dec_vmx_insn,
	[VMX_EXIT_CR_ACCESS] = dec_cr,
	[VMX_EXIT_IO] = dec_io,
	[VMX_EXIT_RDMSR] = dec_rdmsr,
	[VMX_EXIT_WRMSR] = dec_wrmsr,
	[VMX_EXIT_EPT_VIOLATION] = dec_ept_violation,
	[VMX_EXIT_EPT_MISCONFIG] = dec_ept_misconfig,
	[VMX_EXIT_INVEPT] = dec_vmx_insn,
	[VMX_EXIT_PREEMPT_TIMER] = dec_preempt,
	[VMX_EXIT_INVVPID] = dec_vmx_insn,
	[VMX_EXIT_XSETBV] = dec_xsetbv,
	[VMX_EXIT_VMFUNC] = dec_vmx_insn,
};

bool vmx_exit_unblocked_nmi(const struct vmx_exit_raw *raw)
{
	switch (raw->reason & VMX_EXIT_REASON_MASK) {
	case VMX_EXIT_EXC_NMI:
		return (raw->intr_info & INTR_INFO_VALID) &&
		       (raw->intr_info & INTR_INFO_TYPE_MASK) != INTR_TYPE_NMI &&
		       (raw->intr_info & INTR_INFO_NMI_UNBLOCK);
	case VMX_EXIT_EPT_VIOLATION:
		return raw->qual & EPTQ_NMI_UNBLOCK;
	default:
		return false;
	}
}

bool vmx_exit_mapped(u32 basic)
{
	return basic < VMX_EXIT_MAX && decoders[basic];
}

void vmx_decode_exit(const struct vmx_exit_raw *raw, struct vm_exit *out)
{
	u32 basic = raw->reason & VMX_EXIT_REASON_MASK;

	*out = (struct vm_exit){0};
	out->rip = raw->rip;
	out->raw_reason = raw->reason;
	out->raw_qual = raw->qual;
	out->raw_info = raw->intr_info;
	if (raw->reason & VMX_EXIT_ENTRY_FAILED)
		out->reason = EXIT_ENTRY_FAILED; /* 33, 34 or 41 (Appendix C) */
	else if (vmx_exit_mapped(basic))
		decoders[basic](raw, out);
	else
		out->reason = EXIT_UNHANDLED;
}
