/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The vendor-neutral exit policy: one handler per neutral exit reason, chosen
 * from a const table. Every reason has an entry; a handler either completes
 * the exit (emulates, injects a fault into the guest, or changes the vCPU
 * state) or routes it to guest_fatal(). Guest input never reaches an ASSERT.
 */
#include <arch/cpu.h>
#include <arch/vcpu.h>
#include <arch/vcpu_vendor.h>
#include <hv/errno.h>
#include <hv/guest.h>

typedef enum exit_result (*exit_handler_fn)(struct vcpu *v, struct vm_exit *e);

/* Sizes the write like the hardware: 32-bit results zero-extend (SDM Vol. 1 3.4.1.1). */
u64 vcpu_gpr_read(struct vcpu *v, unsigned int gpr)
{
	if (gpr == GPR_RSP)
		return vcpu_ops->get_reg(v, VCPU_REG_RSP);
	return v->regs.r[gpr & 15];
}

void vcpu_gpr_write(struct vcpu *v, unsigned int gpr, u64 val)
{
	if (gpr == GPR_RSP)
		vcpu_ops->set_reg(v, VCPU_REG_RSP, val);
	else
		v->regs.r[gpr & 15] = val;
}

void vcpu_skip(struct vcpu *v, const struct vm_exit *e)
{
	vcpu_ops->skip_instruction(v, e->insn_len);
}

void vcpu_inject_gp(struct vcpu *v)
{
	vcpu_ops->inject_exception(v, X86_EXC_GP, true, 0);
}

void vcpu_inject_ud(struct vcpu *v)
{
	vcpu_ops->inject_exception(v, X86_EXC_UD, false, 0);
}

/* EDX:EAX as one value, and back (RDMSR, WRMSR, XSETBV). */
static u64 edx_eax(const struct vcpu *v)
{
	return ((v->regs.r[GPR_RDX] & 0xffffffffULL) << 32) | (v->regs.r[GPR_RAX] & 0xffffffffULL);
}

static void set_edx_eax(struct vcpu *v, u64 val)
{
	v->regs.r[GPR_RAX] = val & 0xffffffffULL;
	v->regs.r[GPR_RDX] = val >> 32;
}

static enum exit_result handle_cpuid(struct vcpu *v, struct vm_exit *e)
{
	struct cpuid_regs r;

	cpuid_policy(v, (u32)v->regs.r[GPR_RAX], (u32)v->regs.r[GPR_RCX], &r);
	v->regs.r[GPR_RAX] = r.eax;
	v->regs.r[GPR_RBX] = r.ebx;
	v->regs.r[GPR_RCX] = r.ecx;
	v->regs.r[GPR_RDX] = r.edx;
	vcpu_skip(v, e);
	return EXIT_RESUME;
}

static enum exit_result handle_rdmsr(struct vcpu *v, struct vm_exit *e)
{
	u64 val;

	if (msr_policy_read(v, (u32)v->regs.r[GPR_RCX], &val)) {
		vcpu_inject_gp(v);
		return EXIT_RESUME;
	}
	set_edx_eax(v, val);
	vcpu_skip(v, e);
	return EXIT_RESUME;
}

static enum exit_result handle_wrmsr(struct vcpu *v, struct vm_exit *e)
{
	if (msr_policy_write(v, (u32)v->regs.r[GPR_RCX], edx_eax(v)))
		vcpu_inject_gp(v);
	else
		vcpu_skip(v, e);
	return vcpu_stopping(v) ? EXIT_STOPPED : EXIT_RESUME;
}

static enum exit_result handle_xsetbv(struct vcpu *v, struct vm_exit *e)
{
	if (xsetbv_policy(v, (u32)v->regs.r[GPR_RCX], edx_eax(v)))
		vcpu_inject_gp(v);
	else
		vcpu_skip(v, e);
	return EXIT_RESUME;
}

/* HLT completes (RIP after it, as an interrupt would return there), then the vCPU waits. */
static enum exit_result handle_hlt(struct vcpu *v, struct vm_exit *e)
{
	vcpu_skip(v, e);
	v->state = VCPU_HALTED;
	return EXIT_RESUME;
}

/* No hypercalls are defined yet: every number fails with HC_ENOSYS (docs/vcpu.md). */
static enum exit_result handle_hypercall(struct vcpu *v, struct vm_exit *e)
{
	v->regs.r[GPR_RAX] = HC_ENOSYS;
	vcpu_skip(v, e);
	return EXIT_RESUME;
}

/* An INIT signal reached our own physical CPU: the same as an INIT IPI to this vCPU. */
static enum exit_result handle_init(struct vcpu *v, struct vm_exit *e)
{
	vcpu_post_init(v);
	return EXIT_RESUME;
}

static enum exit_result handle_sipi(struct vcpu *v, struct vm_exit *e)
{
	vcpu_post_sipi(v, e->u.sipi_vector);
	return EXIT_RESUME;
}

/* Nothing to do: the exit itself was the point (kick, poll tick); pending work runs next. */
static enum exit_result handle_nothing(struct vcpu *v, struct vm_exit *e)
{
	return EXIT_RESUME;
}

static enum exit_result handle_ud(struct vcpu *v, struct vm_exit *e)
{
	vcpu_inject_ud(v);
	return EXIT_RESUME;
}

/* INVD would discard dirty lines; treat it as a no-op, which is always safe for the guest's data.
 */
static enum exit_result handle_invd(struct vcpu *v, struct vm_exit *e)
{
	vcpu_skip(v, e);
	return EXIT_RESUME;
}

static enum exit_result handle_triple_fault(struct vcpu *v, struct vm_exit *e)
{
	return guest_fatal(v, e, "triple-fault");
}

static enum exit_result handle_entry_failed(struct vcpu *v, struct vm_exit *e)
{
	return guest_fatal(v, e, "entry-failed");
}

static enum exit_result handle_unhandled(struct vcpu *v, struct vm_exit *e)
{
	return guest_fatal(v, e, "unhandled-exit");
}

/*
 * Intercepted exceptions are reflected back: #AC and #DB are intercepted only
 * so that a guest cannot hang the CPU in a benign exception loop. A machine
 * check inside the guest stops the guest.
 */
static enum exit_result handle_exception(struct vcpu *v, struct vm_exit *e)
{
	const struct exit_exception *x = &e->u.exc;

	if (x->vector == X86_EXC_MC || x->vector == X86_EXC_DF || x->vector >= 32)
		return guest_fatal(v, e, "exception");
	vcpu_ops->inject_exception(v, x->vector, x->has_error, x->error);
	return EXIT_RESUME;
}

/* Defined in their own files: */
enum exit_result vcpu_handle_io(struct vcpu *v, struct vm_exit *e);
enum exit_result vcpu_handle_sl_fault(struct vcpu *v, struct vm_exit *e);
enum exit_result vcpu_handle_cr_write(struct vcpu *v, struct vm_exit *e);
enum exit_result vcpu_handle_cr_read(struct vcpu *v, struct vm_exit *e);

static const exit_handler_fn exit_handlers[EXIT_REASON_COUNT] = {
	[EXIT_UNHANDLED] = handle_unhandled,
	[EXIT_CPUID] = handle_cpuid,
	[EXIT_RDMSR] = handle_rdmsr,
	[EXIT_WRMSR] = handle_wrmsr,
	[EXIT_IO] = vcpu_handle_io,
	[EXIT_HLT] = handle_hlt,
	[EXIT_INIT] = handle_init,
	[EXIT_SIPI] = handle_sipi,
	[EXIT_XSETBV] = handle_xsetbv,
	[EXIT_HYPERCALL] = handle_hypercall,
	[EXIT_CR_WRITE] = vcpu_handle_cr_write,
	[EXIT_CR_READ] = vcpu_handle_cr_read,
	[EXIT_TRIPLE_FAULT] = handle_triple_fault,
	[EXIT_SL_FAULT] = vcpu_handle_sl_fault,
	[EXIT_EXT_INTR] = handle_nothing,
	[EXIT_NMI] = handle_nothing,
	[EXIT_PREEMPT_TIMER] = handle_nothing,
	[EXIT_ENTRY_FAILED] = handle_entry_failed,
	[EXIT_EXCEPTION] = handle_exception,
	[EXIT_UD_INSN] = handle_ud,
	[EXIT_INVD] = handle_invd,
	[EXIT_INTR_WINDOW] = handle_nothing,
};

enum exit_result vcpu_handle_exit(struct vcpu *v, struct vm_exit *e)
{
	unsigned int r = e->reason;

	v->last_exit = *e;
	if (r >= EXIT_REASON_COUNT || !exit_handlers[r])
		return guest_fatal(v, e, "unhandled-exit");
	return exit_handlers[r](v, e);
}
