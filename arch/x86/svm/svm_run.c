/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Entering the guest and decoding its exit (AMD APM Vol. 2, 15.5 VMRUN,
 * 15.6 #VMEXIT, 15.17 "Global Interrupt Flag", 15.7.1 nRIP save).
 */
#include <arch/cpu.h>
#include <arch/lapic.h>
#include <arch/percpu.h>
#include <arch/vcpu.h>
#include <arch/vcpu_vendor.h>
#include <hv/errno.h>
#include <hv/mm.h>
#include <hv/string.h>

#include "svm.h"
#include "svm_asm.h"

#define REG_OFF(n) __builtin_offsetof(struct guest_regs, r[n])
STATIC_ASSERT(__builtin_offsetof(struct vcpu, regs) == 0, "svm_vmrun gets &v->regs");
STATIC_ASSERT(REG_OFF(GPR_RCX) == SVM_GPR_RCX && REG_OFF(GPR_RDX) == SVM_GPR_RDX, "svm_asm.h");
STATIC_ASSERT(REG_OFF(GPR_RBX) == SVM_GPR_RBX && REG_OFF(GPR_RBP) == SVM_GPR_RBP, "svm_asm.h");
STATIC_ASSERT(REG_OFF(GPR_RSI) == SVM_GPR_RSI && REG_OFF(GPR_RDI) == SVM_GPR_RDI, "svm_asm.h");
STATIC_ASSERT(REG_OFF(GPR_R8) == SVM_GPR_R8 && REG_OFF(GPR_R9) == SVM_GPR_R9, "svm_asm.h");
STATIC_ASSERT(REG_OFF(GPR_R10) == SVM_GPR_R10 && REG_OFF(GPR_R11) == SVM_GPR_R11, "svm_asm.h");
STATIC_ASSERT(REG_OFF(GPR_R12) == SVM_GPR_R12 && REG_OFF(GPR_R13) == SVM_GPR_R13, "svm_asm.h");
STATIC_ASSERT(REG_OFF(GPR_R14) == SVM_GPR_R14 && REG_OFF(GPR_R15) == SVM_GPR_R15, "svm_asm.h");

#define CR0_PG_BIT  BIT64(31)
#define CR4_OSXSAVE BIT64(18)

/* GIF = 0 holds off interrupts, NMIs and SMIs while host and guest state are mixed (APM 15.17). */
static inline void clgi(void)
{
	__asm__ volatile("clgi" ::: "memory");
}

static inline void stgi(void)
{
	__asm__ volatile("stgi" ::: "memory");
}

/*
 * With V_INTR_MASKING the host's RFLAGS.IF at VMRUN decides whether a
 * physical interrupt reaches the INTR intercept while the guest runs (APM
 * 15.21.1); GIF = 0 keeps it from being taken in the hypervisor meanwhile
 * (15.17). So IF is 1 only from just before VMRUN to just after #VMEXIT.
 */
static inline void host_irq_open(void)
{
	__asm__ volatile("sti" ::: "memory");
}

/*
 * An INTR exit does not acknowledge the interrupt: it stays pending in the
 * local APIC and would end the next VMRUN at once. With GIF = 1, one
 * instruction with IF = 1 lets the CPU take it (the STI shadow covers the
 * NOP, SDM Vol. 2B STI): the tick's handler EOIs it. Only the tick can be
 * pending (lapic_timer_setup masks the rest), and the hypervisor's stack is
 * the current one, so this is the one place the hypervisor is interrupted.
 */
static inline void take_host_interrupt(void)
{
	__asm__ volatile("sti; nop; cli" ::: "memory");
}

static inline u64 xgetbv0(void)
{
	u32 lo, hi;

	__asm__ volatile("xgetbv" : "=a"(lo), "=d"(hi) : "c"(0));
	return ((u64)hi << 32) | lo;
}

static inline void xsetbv0(u64 val)
{
	__asm__ volatile("xsetbv" : : "c"(0), "a"((u32)val), "d"((u32)(val >> 32)));
}

/* XCR0 is not in the VMCB: the guest's value is loaded before VMRUN (cpu_enable set OSXSAVE). */
static void load_guest_xcr0(const struct vcpu *v)
{
	if (!(read_cr4() & CR4_OSXSAVE) || !v->xcr0)
		return;
	if (xgetbv0() != v->xcr0)
		xsetbv0(v->xcr0);
}

/* ---- instruction length without nRIP save ------------------------------------ */

struct fetch_ctx {
	const struct pt *npt;
};

/* Guest-physical reads go through the guest's own NPT: it can only reveal its own memory. */
static int read_gpa(void *arg, gpa_t gpa, void *buf, unsigned int len)
{
	const struct fetch_ctx *c = arg;
	struct pt_mapping m;

	if ((gpa & PAGE_MASK) != ((gpa + len - 1) & PAGE_MASK))
		return -EFAULT;
	if (pt_lookup(c->npt, gpa, &m) || !(m.attrs & PT_READ))
		return -EFAULT;
	memcpy(buf, phys_to_virt(m.pa), len);
	return 0;
}

static void *npt_virt(void *ctx, hpa_t table)
{
	return phys_to_virt(table);
}

/* Copies up to 15 bytes at CS.base + RIP; returns how many could be read. */
static unsigned int fetch_insn(const struct vmcb *vmcb, u8 *buf)
{
	const struct vmcb_save *sv = &vmcb->save;
	struct pt npt = {
		.fmt = &pt_format_npt, .root = vmcb->ctl.ncr3, .mem = {.phys_to_virt = npt_virt}};
	struct fetch_ctx c = {.npt = &npt};
	struct guest_paging p = {sv->cr0, sv->cr3, sv->cr4, sv->efer};
	bool code64 = (sv->efer & EFER_LMA) && (sv->cs.attrib & SEG_AR_L);
	unsigned int n;

	npt.leaf_levels = npt.fmt->leaf_levels;
	for (n = 0; n < 15; n++) {
		u64 la = (code64 ? 0 : sv->cs.base) + sv->rip + n;
		gpa_t gpa;

		if (!code64)
			la &= 0xffffffffULL;
		if (guest_walk(&p, la, &gpa, read_gpa, &c) || read_gpa(&c, gpa, &buf[n], 1))
			break;
	}
	return n;
}

/*
 * The length the policy skips: nRIP - RIP when the CPU saves nRIP (APM
 * 15.7.1); otherwise the bytes at RIP, prefixes counted. If they cannot be
 * read or do not match (another vCPU rewrote them), the bare opcode length.
 */
static void set_insn_len(const struct vmcb *vmcb, struct vm_exit *e)
{
	const struct svm_opcode *op = svm_exit_opcode(e->reason);
	u8 buf[15];
	unsigned int n;
	u8 len;

	if (!op || e->insn_len)
		return;
	if (svm_caps.nrips && vmcb->ctl.nrip > e->rip && vmcb->ctl.nrip - e->rip <= 15) {
		e->insn_len = (u8)(vmcb->ctl.nrip - e->rip);
		return;
	}
	n = fetch_insn(vmcb, buf);
	len = svm_insn_len(buf, n,
			   (vmcb->save.efer & EFER_LMA) && (vmcb->save.cs.attrib & SEG_AR_L), op);
	e->insn_len = len ? len : op->len;
}

/* An event cut short by the exit is delivered again on the next VMRUN (APM 15.7.2). */
static void requeue_interrupted_event(struct vmcb *vmcb)
{
	vmcb->ctl.eventinj = (vmcb->ctl.exitintinfo & SVM_EVENT_V) ? vmcb->ctl.exitintinfo : 0;
}

void svm_vcpu_run(struct vcpu *v, struct vm_exit *out)
{
	struct svm_vcpu *s = v->hw;
	struct vmcb *vmcb = s->vmcb;
	hpa_t host_state = svm_host_state_pa[this_cpu()->cpu_index];
	u64 vintr;

	vmcb->save.rax = v->regs.r[GPR_RAX];
	load_guest_xcr0(v);
	clgi();
	/*
	 * With GIF = 0 a kick (NMI) stays pending and exits the guest at once;
	 * one that came before clgi was taken by the host: look at what it
	 * posted instead of entering (APM 15.17).
	 */
	if (__atomic_load_n(&v->pending, __ATOMIC_SEQ_CST)) {
		stgi();
		*out = (struct vm_exit){.reason = EXIT_NMI, .rip = vmcb->save.rip};
		return;
	}
	/* Leave the guest by the next guest timer expiry or hypervisor tick (vcpu.exit_by_tsc). */
	lapic_timer_arm(v->exit_by_tsc);
	vintr = vmcb->ctl.vintr = svm_vintr_with_tpr(vmcb->ctl.vintr, vlapic_get_tpr(v));
	host_irq_open();
	svm_vmrun(&v->regs, s->vmcb_pa, host_state);
	irq_disable();
	stgi();
	vlapic_set_tpr(v, svm_tpr_after_run(vintr, vmcb->ctl.vintr, vlapic_get_tpr(v)));
	v->regs.r[GPR_RAX] = vmcb->save.rax;
	vmcb->ctl.tlb_control = SVM_TLB_NOTHING;
	requeue_interrupted_event(vmcb);
	svm_decode_exit(&vmcb->ctl, vmcb->save.rip, out);
	if (out->reason == EXIT_EXT_INTR)
		take_host_interrupt();
	set_insn_len(vmcb, out);
}
