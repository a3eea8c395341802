/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Guest architectural state in the VMCS guest-state area (SDM Vol. 3C 25.4)
 * and the few registers VMX does not switch. The guest owns its physical
 * CPU, so CR2, KERNEL_GS_BASE and the SYSCALL MSRs simply stay in the
 * hardware while it runs (the hypervisor uses none of them).
 */
#include <arch/cpu.h>
#include <hv/printk.h>

#include "vmcs.h"
#include "vmx.h"
#include "vmx_bits.h"
#include "vmx_hw.h"

#define MSR_STAR	   0xc0000081
#define MSR_LSTAR	   0xc0000082
#define MSR_CSTAR	   0xc0000083
#define MSR_SFMASK	   0xc0000084
#define MSR_KERNEL_GS_BASE 0xc0000102

/* IA32_PAT after reset/INIT (SDM Vol. 3A 13.12.4, Table 13-12). */
#define PAT_RESET 0x0007040600070406ULL

/* The four fields of segment s; the SDM's encodings step by 2 in seg_reg order (App. B). */
static u32 seg_sel(enum seg_reg s)
{
	return VMCS_GUEST_ES_SEL + 2 * s;
}

static u32 seg_limit(enum seg_reg s)
{
	return VMCS_GUEST_ES_LIMIT + 2 * s;
}

static u32 seg_ar(enum seg_reg s)
{
	return VMCS_GUEST_ES_AR + 2 * s;
}

static u32 seg_base(enum seg_reg s)
{
	return VMCS_GUEST_ES_BASE + 2 * s;
}

/* A segment without P (a null selector) is "unusable" to VM entry (SDM Vol. 3C 25.4.1). */
static bool write_segment(enum seg_reg s, const struct segment *seg)
{
	u32 ar = vmx_ar_from_seg(seg->ar);
	bool ok = true;

	if (!(seg->ar & SEG_AR_P))
		ar = VMX_AR_UNUSABLE;
	ok &= vmcs_write(seg_sel(s), seg->sel);
	ok &= vmcs_write(seg_limit(s), seg->limit);
	ok &= vmcs_write(seg_ar(s), ar);
	ok &= vmcs_write(seg_base(s), seg->base);
	return ok;
}

void vmx_get_segment(struct vcpu *v, enum seg_reg s, struct segment *out)
{
	out->sel = (u16)vmread(seg_sel(s));
	out->limit = (u32)vmread(seg_limit(s));
	out->ar = seg_ar_from_vmx((u32)vmread(seg_ar(s)));
	out->base = vmread(seg_base(s));
}

static u64 entry_controls(bool ia32e)
{
	return vmx_cfg.entry | (ia32e ? ENTRY_IA32E : 0);
}

/*
 * A guest may enter long mode with a 16-bit busy TSS in TR (one it loaded
 * itself: the INIT state has a 32/64-bit one, arch/x86/vcpu_state.c), which
 * real hardware only checks when TR is used; VM entry into IA-32e mode
 * demands the 64-bit busy type (SDM Vol. 3C 26.3.1.2), so the type is adjusted.
 */
static bool fix_tr_for_ia32e(void)
{
	u32 ar = (u32)vmread(VMCS_GUEST_TR_AR);

	if ((ar & SEG_AR_TYPE_MASK) != SEG_TYPE_TSS16_BUSY)
		return true;
	return vmcs_write(VMCS_GUEST_TR_AR, (ar & ~SEG_AR_TYPE_MASK) | SEG_TYPE_TSS32_BUSY);
}

/*
 * EFER.LMA and the IA-32e mode guest entry control must agree (SDM Vol. 3C
 * 26.3.1.1); LMA = LME and CR0.PG, as the CPU computes it when paging turns on.
 */
static bool write_efer(u64 efer, u64 guest_cr0)
{
	bool lma = (efer & EFER_LME) && (guest_cr0 & CR0_PG);
	bool ok = true;

	if (lma)
		ok &= fix_tr_for_ia32e();
	efer = lma ? efer | EFER_LMA : efer & ~EFER_LMA;
	ok &= vmcs_write(VMCS_GUEST_EFER, efer);
	ok &= vmcs_write(VMCS_ENTRY_CONTROLS, entry_controls(lma));
	return ok;
}

static bool write_guest_cr0(u64 val)
{
	bool ok = true;

	ok &= vmcs_write(VMCS_GUEST_CR0, vmx_guest_cr0(&vmx_cfg, val));
	ok &= vmcs_write(VMCS_CR0_READ_SHADOW, val);
	return ok;
}

static bool write_guest_cr4(u64 val)
{
	bool ok = true;

	ok &= vmcs_write(VMCS_GUEST_CR4, vmx_guest_cr4(&vmx_cfg, val));
	ok &= vmcs_write(VMCS_CR4_READ_SHADOW, val);
	return ok;
}

/* The guest's view: owned bits from the read shadow, the rest from the real register. */
static u64 merged_cr(u32 real, u32 shadow, u64 mask)
{
	return (vmread(real) & ~mask) | (vmread(shadow) & mask);
}

static void write_guest_cr2(u64 val)
{
	__asm__ volatile("mov %0, %%cr2" : : "r"(val) : "memory");
}

static void reset_msr_state(void)
{
	wrmsr(MSR_STAR, 0);
	wrmsr(MSR_LSTAR, 0);
	wrmsr(MSR_CSTAR, 0);
	wrmsr(MSR_SFMASK, 0);
	wrmsr(MSR_KERNEL_GS_BASE, 0);
	write_guest_cr2(0);
}

/* Event and blocking state of a CPU that just left reset/INIT: nothing pending. */
static bool write_non_register_state(void)
{
	bool ok = true;

	ok &= vmcs_write(VMCS_GUEST_INTERRUPTIBILITY, 0);
	ok &= vmcs_write(VMCS_GUEST_ACTIVITY, ACTIVITY_ACTIVE);
	ok &= vmcs_write(VMCS_GUEST_PENDING_DBG, 0);
	ok &= vmcs_write(VMCS_ENTRY_INTR_INFO, 0);
	ok &= vmcs_write(VMCS_VMCS_LINK_POINTER, ~0ULL); /* no shadow VMCS (26.3.1.5) */
	ok &= vmcs_write(VMCS_GUEST_DEBUGCTL, 0);
	ok &= vmcs_write(VMCS_GUEST_PAT, PAT_RESET);
	ok &= vmcs_write(VMCS_GUEST_SYSENTER_CS, 0);
	ok &= vmcs_write(VMCS_GUEST_SYSENTER_ESP, 0);
	ok &= vmcs_write(VMCS_GUEST_SYSENTER_EIP, 0);
	ok &= vmcs_write(VMCS_GUEST_PDPTE0, 0);
	ok &= vmcs_write(VMCS_GUEST_PDPTE1, 0);
	ok &= vmcs_write(VMCS_GUEST_PDPTE2, 0);
	ok &= vmcs_write(VMCS_GUEST_PDPTE3, 0);
	return ok;
}

/*
 * INIT, SIPI, restart or a loader's start state (SDM Vol. 3A 9.1.1, Table
 * 9-1): every register comes from st, pending events are dropped.
 */
void vmx_load_state(struct vcpu *v, const struct vcpu_init_state *st)
{
	bool ok = true;

	for (unsigned int s = 0; s < SEG_COUNT; s++)
		ok &= write_segment((enum seg_reg)s, &st->seg[s]);
	ok &= vmcs_write(VMCS_GUEST_GDTR_BASE, st->gdtr.base);
	ok &= vmcs_write(VMCS_GUEST_GDTR_LIMIT, st->gdtr.limit);
	ok &= vmcs_write(VMCS_GUEST_IDTR_BASE, st->idtr.base);
	ok &= vmcs_write(VMCS_GUEST_IDTR_LIMIT, st->idtr.limit);
	ok &= write_guest_cr0(st->cr0);
	ok &= write_guest_cr4(st->cr4);
	ok &= vmcs_write(VMCS_GUEST_CR3, st->cr3);
	ok &= write_efer(st->efer, st->cr0);
	ok &= vmcs_write(VMCS_GUEST_DR7, st->dr7);
	ok &= vmcs_write(VMCS_GUEST_RSP, st->gpr[GPR_RSP]);
	ok &= vmcs_write(VMCS_GUEST_RIP, st->rip);
	ok &= vmcs_write(VMCS_GUEST_RFLAGS, st->rflags | RFLAGS_FIXED);
	ok &= write_non_register_state();
	for (unsigned int i = 0; i < GPR_COUNT; i++)
		v->regs.r[i] = st->gpr[i];
	reset_msr_state();
	if (!ok)
		pr_err("vmx: cpu %u: guest state incomplete (failed VMWRITEs above)", v->index);
}

static u32 reg_field(enum vcpu_reg r)
{
	switch (r) {
	case VCPU_REG_RIP:
		return VMCS_GUEST_RIP;
	case VCPU_REG_RSP:
		return VMCS_GUEST_RSP;
	case VCPU_REG_RFLAGS:
		return VMCS_GUEST_RFLAGS;
	case VCPU_REG_CR3:
		return VMCS_GUEST_CR3;
	case VCPU_REG_EFER:
		return VMCS_GUEST_EFER;
	case VCPU_REG_DR7:
		return VMCS_GUEST_DR7;
	case VCPU_REG_PAT:
		return VMCS_GUEST_PAT;
	case VCPU_REG_FS_BASE:
		return VMCS_GUEST_FS_BASE;
	case VCPU_REG_GS_BASE:
		return VMCS_GUEST_GS_BASE;
	case VCPU_REG_SYSENTER_CS:
		return VMCS_GUEST_SYSENTER_CS;
	case VCPU_REG_SYSENTER_ESP:
		return VMCS_GUEST_SYSENTER_ESP;
	case VCPU_REG_SYSENTER_EIP:
		return VMCS_GUEST_SYSENTER_EIP;
	default:
		return ~0U;
	}
}

static u32 reg_msr(enum vcpu_reg r)
{
	switch (r) {
	case VCPU_REG_KERNEL_GS_BASE:
		return MSR_KERNEL_GS_BASE;
	case VCPU_REG_STAR:
		return MSR_STAR;
	case VCPU_REG_LSTAR:
		return MSR_LSTAR;
	case VCPU_REG_CSTAR:
		return MSR_CSTAR;
	case VCPU_REG_SFMASK:
		return MSR_SFMASK;
	default:
		return 0;
	}
}

u64 vmx_get_reg(struct vcpu *v, enum vcpu_reg r)
{
	u32 field = reg_field(r);

	if (r == VCPU_REG_CR0)
		return merged_cr(VMCS_GUEST_CR0, VMCS_CR0_READ_SHADOW, vmx_cr0_mask(&vmx_cfg));
	if (r == VCPU_REG_CR4)
		return merged_cr(VMCS_GUEST_CR4, VMCS_CR4_READ_SHADOW, vmx_cr4_mask(&vmx_cfg));
	if (r == VCPU_REG_CR2)
		return read_cr2();
	if (field != ~0U)
		return vmread(field);
	if (reg_msr(r))
		return rdmsr(reg_msr(r));
	return 0;
}

void vmx_set_reg(struct vcpu *v, enum vcpu_reg r, u64 val)
{
	u32 field = reg_field(r);

	switch (r) {
	case VCPU_REG_CR0:
		write_guest_cr0(val);
		write_efer(vmread(VMCS_GUEST_EFER), val);
		return;
	case VCPU_REG_CR4:
		write_guest_cr4(val);
		return;
	case VCPU_REG_CR2:
		write_guest_cr2(val);
		return;
	case VCPU_REG_EFER:
		write_efer(val, vmx_get_reg(v, VCPU_REG_CR0));
		return;
	default:
		break;
	}
	if (field != ~0U)
		vmcs_write(field, val);
	else if (reg_msr(r))
		wrmsr(reg_msr(r), val);
}

/* RIP past the instruction; it also ends a STI or MOV SS interrupt shadow (SDM Vol. 3C 25.4.2). */
void vmx_skip_instruction(struct vcpu *v, u8 len)
{
	u64 intr = vmread(VMCS_GUEST_INTERRUPTIBILITY);

	vmcs_write(VMCS_GUEST_RIP, vmread(VMCS_GUEST_RIP) + len);
	if (intr & (INTERRUPTIBILITY_STI | INTERRUPTIBILITY_MOV_SS))
		vmcs_write(VMCS_GUEST_INTERRUPTIBILITY,
			   intr & ~(u64)(INTERRUPTIBILITY_STI | INTERRUPTIBILITY_MOV_SS));
}

/* Exceptions that push an error code (SDM Vol. 3A Table 6-1): #DF #TS #NP #SS #GP #PF #AC. */
static bool vector_has_error(u8 vector)
{
	return vector == 8 || (vector >= 10 && vector <= 14) || vector == 17;
}

/*
 * VM-entry event injection (SDM Vol. 3C 25.8.3, 27.6). An error code is
 * delivered only in protected mode and only for vectors that have one
 * (26.2.1.3 checks exactly that).
 */
void vmx_inject_exception(struct vcpu *v, u8 vector, bool has_error, u32 error)
{
	bool pe = vmx_get_reg(v, VCPU_REG_CR0) & CR0_PE;
	u32 info = INTR_INFO_VALID | INTR_TYPE_HW_EXC | vector;

	if (has_error && pe && vector_has_error(vector)) {
		info |= INTR_INFO_HAS_ERROR;
		vmcs_write(VMCS_ENTRY_EXC_ERROR_CODE, error);
	}
	vmcs_write(VMCS_ENTRY_INTR_INFO, info);
}
