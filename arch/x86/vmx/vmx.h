/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The VMX backend's internal interface, shared by the files in arch/x86/vmx/.
 * Vendor header: the core never includes it (it sees only `vmx_vendor`).
 */
#ifndef VMX_VMX_H
#define VMX_VMX_H

#include <arch/vcpu.h>
#include <arch/vcpu_vendor.h>

#include "vmx_caps.h"

/* Per-vCPU hardware state: one per physical CPU, reused when its guest restarts. */
struct vmx_vcpu {
	hpa_t vmcs;	 /* VMCS region (one page) */
	hpa_t io_bitmap; /* I/O bitmaps A and B (two pages) */
	hpa_t msr_bitmap;
	u64 eptp;
	u16 vpid;
	bool launched; /* VMLAUNCH done since the last VMCLEAR */
	u64 hw_xcr0;   /* XCR0 currently loaded on this CPU */
};

/* Computed by probe on the boot CPU; read-only afterwards. */
extern struct vmx_config vmx_cfg;

static inline struct vmx_vcpu *to_vmx(struct vcpu *v)
{
	return v->hw;
}

/* A checked VMWRITE: on failure prints the field's name and the VM-instruction error. */
bool vmcs_write(u32 field, u64 val);

/* vmx_state.c */
void vmx_load_state(struct vcpu *v, const struct vcpu_init_state *st);
u64 vmx_get_reg(struct vcpu *v, enum vcpu_reg r);
void vmx_set_reg(struct vcpu *v, enum vcpu_reg r, u64 val);
void vmx_get_segment(struct vcpu *v, enum seg_reg s, struct segment *out);
void vmx_skip_instruction(struct vcpu *v, u8 len);
void vmx_inject_exception(struct vcpu *v, u8 vector, bool has_error, u32 error);

/* vmx_intr.c */
bool vmx_interrupt_allowed(struct vcpu *v);
void vmx_inject_interrupt(struct vcpu *v, u8 vector);
void vmx_interrupt_window(struct vcpu *v, bool on);
bool vmx_inject_nmi(struct vcpu *v);
hpa_t vmx_sl_root(struct vcpu *v);

/* vmx_vmcs.c */
int vmx_vcpu_init(struct vcpu *v, hpa_t sl_root, const struct vcpu_init_state *st);

/* vmx_run.c */
void vmx_vcpu_run(struct vcpu *v, struct vm_exit *out);
void vmx_dump(struct vcpu *v, const struct vm_exit *e);

/* vmx_entry.S: enters the guest with regs loaded; 0 after a VM exit, 1 if VMLAUNCH/VMRESUME failed.
 */
int vmx_enter(struct guest_regs *regs, u64 launched);
void vmx_exit_stub(void);

/* Segment access rights: neutral SEG_AR_* <-> VMX layout (SDM Vol. 3C 25.4.1). */
static inline u32 vmx_ar_from_seg(u32 ar)
{
	return (ar & 0xffU) | ((ar & 0xf00U) << 4) | (ar & SEG_AR_UNUSABLE);
}

static inline u32 seg_ar_from_vmx(u32 ar)
{
	return (ar & 0xffU) | ((ar >> 4) & 0xf00U) | (ar & SEG_AR_UNUSABLE);
}

#endif
