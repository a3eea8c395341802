/* SPDX-License-Identifier: Apache-2.0 */
/*
 * VMCB setup and guest state access (AMD APM Vol. 2, 15.5 "VMRUN", 15.9-15.13
 * intercepts, 15.16 ASIDs and TLB control, 15.20 event injection, 15.25
 * nested paging). Each physical CPU runs one vCPU at a time, so its VMCB and
 * permission maps are allocated once per physical CPU and reused on restart.
 */
#include <arch/cpu.h>
#include <arch/percpu.h>
#include <arch/vcpu.h>
#include <arch/vcpu_vendor.h>
#include <hv/errno.h>
#include <hv/mm.h>
#include <hv/string.h>

#include "svm.h"

static struct svm_vcpu svm_vcpus[MAX_CPUS];
static u32 next_asid[MAX_CPUS];

#define CR0_PE_BIT BIT64(0)
#define CR0_PG_BIT BIT64(31)
#define RFLAGS_VM  BIT64(17)

/* What each intercept is for: docs/svm.md. */
#define INTERCEPT1                                                                                 \
	(SVM_INTERCEPT1_INTR | SVM_INTERCEPT1_NMI | SVM_INTERCEPT1_INIT | SVM_INTERCEPT1_CPUID |   \
	 SVM_INTERCEPT1_INVD | SVM_INTERCEPT1_HLT | SVM_INTERCEPT1_INVLPGA | SVM_INTERCEPT1_IOIO | \
	 SVM_INTERCEPT1_MSR | SVM_INTERCEPT1_SHUTDOWN)
#define INTERCEPT2                                                                                 \
	(SVM_INTERCEPT2_VMRUN | SVM_INTERCEPT2_VMMCALL | SVM_INTERCEPT2_VMLOAD |                   \
	 SVM_INTERCEPT2_VMSAVE | SVM_INTERCEPT2_STGI | SVM_INTERCEPT2_CLGI |                       \
	 SVM_INTERCEPT2_SKINIT | SVM_INTERCEPT2_XSETBV)
/* #DB and #AC: benign exception loops would otherwise hold the CPU (the policy reflects them). */
#define INTERCEPT_EXC (BIT(X86_EXC_DB) | BIT(X86_EXC_AC))

static struct vmcb *vmcb_of(struct vcpu *v)
{
	return ((struct svm_vcpu *)v->hw)->vmcb;
}

u8 svm_tlb_flush_value(void)
{
	return svm_caps.flush_by_asid ? SVM_TLB_FLUSH_GUEST : SVM_TLB_FLUSH_ALL;
}

static int alloc_pages(struct svm_vcpu *s)
{
	if (!s->vmcb) {
		s->vmcb_pa = page_alloc(1, PAGE_SIZE, PAGE_ZERO);
		s->vmcb = phys_to_virt(s->vmcb_pa);
	}
	if (!s->iopm)
		s->iopm = phys_to_virt(page_alloc(SVM_IOPM_PAGES, PAGE_SIZE, 0));
	if (!s->msrpm)
		s->msrpm = phys_to_virt(page_alloc(SVM_MSRPM_PAGES, PAGE_SIZE, 0));
	return s->vmcb_pa && s->iopm && s->msrpm ? 0 : -ENOMEM;
}

/* A fresh ASID of this CPU's [1, nasid) per vCPU start; ASID 0 is the host's (APM 15.16). */
static u32 take_asid(u32 cpu)
{
	if (next_asid[cpu] == 0 || next_asid[cpu] >= svm_caps.nasid)
		next_asid[cpu] = 1;
	return next_asid[cpu]++;
}

static void setup_control(struct svm_vcpu *s, u32 cpu, hpa_t sl_root)
{
	struct vmcb_control *c = &s->vmcb->ctl;

	c->intercept_exc = INTERCEPT_EXC;
	c->intercept_misc1 = INTERCEPT1;
	c->intercept_misc2 = INTERCEPT2;
	c->iopm_base_pa = virt_to_phys(s->iopm);
	c->msrpm_base_pa = virt_to_phys(s->msrpm);
	c->asid = take_asid(cpu);
	c->tlb_control = svm_tlb_flush_value();
	c->vintr = SVM_V_INTR_MASKING;
	c->np_control = SVM_NP_ENABLE;
	c->ncr3 = sl_root;
}

int svm_vcpu_init(struct vcpu *v, hpa_t sl_root, const struct vcpu_init_state *st)
{
	struct svm_vcpu *s;

	if (v->pcpu >= MAX_CPUS)
		return -EINVAL;
	s = &svm_vcpus[v->pcpu];
	if (alloc_pages(s))
		return -ENOMEM;
	memset(s->vmcb, 0, sizeof(*s->vmcb));
	/* Every port and every MSR is intercepted (APM 15.10.1, 15.11). */
	memset(s->iopm, 0xff, SVM_IOPM_PAGES * PAGE_SIZE);
	memset(s->msrpm, 0xff, SVM_MSRPM_PAGES * PAGE_SIZE);
	v->hw = s;
	setup_control(s, v->pcpu, sl_root);
	s->vmcb->save.g_pat = SVM_GPAT_DEFAULT;
	svm_load_state(v, st);
	return 0;
}

/* The VMCB keeps the 12-bit attribute form; an unusable segment is one that is not present. */
static void put_seg(struct vmcb_seg *d, const struct segment *s)
{
	d->sel = s->sel;
	d->attrib = (s->ar & SEG_AR_UNUSABLE) ? 0 : (u16)(s->ar & VMCB_ATTRIB_MASK);
	d->limit = s->limit;
	d->base = s->base;
}

static struct vmcb_seg *seg_field(struct vmcb_save *sv, enum seg_reg s)
{
	switch (s) {
	case SEG_ES:
		return &sv->es;
	case SEG_CS:
		return &sv->cs;
	case SEG_SS:
		return &sv->ss;
	case SEG_DS:
		return &sv->ds;
	case SEG_FS:
		return &sv->fs;
	case SEG_GS:
		return &sv->gs;
	case SEG_LDTR:
		return &sv->ldtr;
	case SEG_TR:
	case SEG_COUNT:
		break;
	}
	return &sv->tr;
}

/* EFER.SVME must be set in the guest's EFER (APM 15.5.1); LMA follows LME and CR0.PG. */
static u64 guest_efer(u64 efer, u64 cr0)
{
	efer |= EFER_SVME;
	if ((efer & EFER_LME) && (cr0 & CR0_PG_BIT))
		return efer | EFER_LMA;
	return efer & ~EFER_LMA;
}

/* VMRUN takes the CPL from the VMCB: SS.DPL in protected mode, 0 in real mode, 3 in V86. */
static u8 guest_cpl(const struct vcpu_init_state *st)
{
	if (!(st->cr0 & CR0_PE_BIT))
		return 0;
	if (st->rflags & RFLAGS_VM)
		return 3;
	return (u8)((st->seg[SEG_SS].ar >> SEG_AR_DPL_SHIFT) & 3);
}

static void load_msr_state(struct vmcb_save *sv)
{
	sv->star = sv->lstar = sv->cstar = sv->sfmask = 0;
	sv->kernel_gs_base = 0;
	sv->sysenter_cs = sv->sysenter_esp = sv->sysenter_eip = 0;
	sv->cr2 = 0;
	sv->g_pat = SVM_GPAT_DEFAULT;
}

void svm_load_state(struct vcpu *v, const struct vcpu_init_state *st)
{
	struct vmcb *vmcb = vmcb_of(v);
	struct vmcb_save *sv = &vmcb->save;

	for (unsigned int i = 0; i < SEG_COUNT; i++)
		put_seg(seg_field(sv, (enum seg_reg)i), &st->seg[i]);
	sv->gdtr = (struct vmcb_seg){.base = st->gdtr.base, .limit = st->gdtr.limit};
	sv->idtr = (struct vmcb_seg){.base = st->idtr.base, .limit = st->idtr.limit};
	sv->cpl = guest_cpl(st);
	sv->cr0 = st->cr0;
	sv->cr3 = st->cr3;
	sv->cr4 = st->cr4;
	sv->efer = guest_efer(st->efer, st->cr0);
	sv->dr7 = st->dr7;
	sv->dr6 = SVM_DR6_RESET;
	sv->rflags = st->rflags | RFLAGS_FIXED;
	sv->rip = st->rip;
	sv->rsp = st->gpr[GPR_RSP];
	sv->rax = st->gpr[GPR_RAX];
	load_msr_state(sv);
	for (unsigned int i = 0; i < GPR_COUNT; i++)
		v->regs.r[i] = st->gpr[i];
	vmcb->ctl.eventinj = 0;
	vmcb->ctl.int_state = 0;
	vmcb->ctl.tlb_control = svm_tlb_flush_value();
}

/* Guest state the policy reads and writes by name: where it lives in the VMCB. */
static const u16 reg_offsets[VCPU_REG_COUNT] = {
	[VCPU_REG_RIP] = VMCB_OFF(save.rip),
	[VCPU_REG_RSP] = VMCB_OFF(save.rsp),
	[VCPU_REG_RFLAGS] = VMCB_OFF(save.rflags),
	[VCPU_REG_CR0] = VMCB_OFF(save.cr0),
	[VCPU_REG_CR2] = VMCB_OFF(save.cr2),
	[VCPU_REG_CR3] = VMCB_OFF(save.cr3),
	[VCPU_REG_CR4] = VMCB_OFF(save.cr4),
	[VCPU_REG_EFER] = VMCB_OFF(save.efer),
	[VCPU_REG_DR7] = VMCB_OFF(save.dr7),
	[VCPU_REG_PAT] = VMCB_OFF(save.g_pat),
	[VCPU_REG_FS_BASE] = VMCB_OFF(save.fs.base),
	[VCPU_REG_GS_BASE] = VMCB_OFF(save.gs.base),
	[VCPU_REG_KERNEL_GS_BASE] = VMCB_OFF(save.kernel_gs_base),
	[VCPU_REG_SYSENTER_CS] = VMCB_OFF(save.sysenter_cs),
	[VCPU_REG_SYSENTER_ESP] = VMCB_OFF(save.sysenter_esp),
	[VCPU_REG_SYSENTER_EIP] = VMCB_OFF(save.sysenter_eip),
	[VCPU_REG_STAR] = VMCB_OFF(save.star),
	[VCPU_REG_LSTAR] = VMCB_OFF(save.lstar),
	[VCPU_REG_CSTAR] = VMCB_OFF(save.cstar),
	[VCPU_REG_SFMASK] = VMCB_OFF(save.sfmask),
};

static u64 *reg_field(struct vcpu *v, enum vcpu_reg r)
{
	unsigned int i = (unsigned int)r < VCPU_REG_COUNT ? r : VCPU_REG_RIP;

	return (u64 *)((u8 *)vmcb_of(v) + reg_offsets[i]);
}

/* The guest never sees the SVME bit the hypervisor keeps in its EFER. */
u64 svm_get_reg(struct vcpu *v, enum vcpu_reg r)
{
	u64 val = *reg_field(v, r);

	return r == VCPU_REG_EFER ? val & ~EFER_SVME : val;
}

void svm_set_reg(struct vcpu *v, enum vcpu_reg r, u64 val)
{
	struct vmcb *vmcb = vmcb_of(v);

	*reg_field(v, r) = val;
	if (r == VCPU_REG_EFER || r == VCPU_REG_CR0)
		vmcb->save.efer = guest_efer(vmcb->save.efer, vmcb->save.cr0);
	/* Paging changed under the guest: its cached translations are stale (APM 15.16). */
	if (r == VCPU_REG_CR0 || r == VCPU_REG_CR3 || r == VCPU_REG_CR4 || r == VCPU_REG_EFER)
		vmcb->ctl.tlb_control = svm_tlb_flush_value();
}

void svm_get_segment(struct vcpu *v, enum seg_reg s, struct segment *out)
{
	const struct vmcb_seg *f = seg_field(&vmcb_of(v)->save, s);

	out->sel = f->sel;
	out->ar = f->attrib;
	if (!(f->attrib & SEG_AR_P) && s != SEG_CS)
		out->ar |= SEG_AR_UNUSABLE;
	out->limit = f->limit;
	out->base = f->base;
}

/* RIP += len and the STI/MOV SS shadow ends with the instruction (APM 15.21.5). */
void svm_skip_instruction(struct vcpu *v, u8 len)
{
	struct vmcb *vmcb = vmcb_of(v);

	vmcb->save.rip += len;
	vmcb->ctl.int_state &= ~SVM_INT_SHADOW;
}

/* EVENTINJ (APM 15.20); real mode pushes no error code, so none is delivered there. */
void svm_inject_exception(struct vcpu *v, u8 vector, bool has_error, u32 error)
{
	struct vmcb *vmcb = vmcb_of(v);
	u64 ev = vector | SVM_EVENT_TYPE_EXC | SVM_EVENT_V;

	if (has_error && (vmcb->save.cr0 & CR0_PE_BIT))
		ev |= SVM_EVENT_EV | ((u64)error << SVM_EVENT_ERR_SHIFT);
	vmcb->ctl.eventinj = ev;
}
