/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The vendor backend interface: one const ops table per vendor, Intel VMX
 * (arch/x86/vmx/, `vmx_vendor`) and AMD SVM (arch/x86/svm/, `svm_vendor`).
 * vcpu_platform_init() picks one at run time from CPUID and the probe
 * results; afterwards the neutral layer calls only through `vcpu_ops`.
 *
 * Division of labour: a backend knows its hardware format and never decides
 * policy. It enters the guest, decodes the exit into struct vm_exit
 * (arch/exit.h), and reads or writes guest state on request. Whether an MSR
 * is allowed, what CPUID says, which port is emulated, when a guest dies:
 * all of that is arch/x86/vcpu*.c.
 *
 * Every function except probe, cpu_enable and sl_format runs on the vCPU's
 * own physical CPU (its VMCS is current there; its VMCB is used there).
 */
#ifndef ARCH_VCPU_VENDOR_H
#define ARCH_VCPU_VENDOR_H

#include <arch/exit.h>
#include <arch/paging.h>
#include <hv/vcpu_state.h>
#include <hv/types.h>

struct vcpu;

/* Guest state the policy reads or writes through get_reg/set_reg. */
enum vcpu_reg {
	VCPU_REG_RIP,
	VCPU_REG_RSP,
	VCPU_REG_RFLAGS,
	VCPU_REG_CR0, /* the value the guest believes (VMX: read shadow merged) */
	VCPU_REG_CR2,
	VCPU_REG_CR3,
	VCPU_REG_CR4, /* likewise; never shows VMXE/SVME set by the hypervisor */
	VCPU_REG_EFER,
	VCPU_REG_DR7,
	/* MSR-backed guest state (SDM Vol. 4; APM Vol. 2 App. A) */
	VCPU_REG_PAT,
	VCPU_REG_FS_BASE,
	VCPU_REG_GS_BASE,
	VCPU_REG_KERNEL_GS_BASE,
	VCPU_REG_SYSENTER_CS,
	VCPU_REG_SYSENTER_ESP,
	VCPU_REG_SYSENTER_EIP,
	VCPU_REG_STAR,
	VCPU_REG_LSTAR,
	VCPU_REG_CSTAR,
	VCPU_REG_SFMASK,
	VCPU_REG_COUNT,
};

/* What the planner needs to build a guest's second-level tables with the walker. */
struct sl_format_info {
	const struct pt_format *fmt; /* &pt_format_ept or &pt_format_npt */
	u32 leaf_levels;	     /* for pt_set_leaf_levels: 2 MiB / 1 GiB as the CPU allows */
};

struct vcpu_vendor {
	const char *name; /* "vmx", "svm" */

	/*
	 * Whether this CPU can run Bulkhead guests with this vendor: 0;
	 * -ENODEV when the extension is absent ("no VMX"); -ENOTSUP when it is
	 * there but lacks a requirement, with *why a static sentence: "VMX
	 * without EPT", "VMX without unrestricted guest", "SVM without NPT",
	 * "SVM disabled by firmware (VM_CR.SVMDIS)"... Only reads capabilities.
	 */
	int (*probe)(const char **why);

	/*
	 * Per physical CPU, on that CPU, before its first vcpu_init: VMX sets and
	 * locks IA32_FEATURE_CONTROL if firmware left it unlocked, then VMXON;
	 * SVM sets EFER.SVME and the host save area. 0 or -errno.
	 */
	int (*cpu_enable)(void);

	/* The table format and page sizes this CPU supports for second-level tables. */
	void (*sl_format)(struct sl_format_info *out);

	/*
	 * Prepares v's VMCS/VMCB (sets v->hw) for a guest whose second-level
	 * root table is sl_root (EPTP / nCR3), with intercepts for everything
	 * the neutral exits list, and loads the initial state st. Also used to
	 * restart a guest (a fresh VPID/ASID flush). 0 or -errno.
	 */
	int (*vcpu_init)(struct vcpu *v, hpa_t sl_root, const struct vcpu_init_state *st);

	/*
	 * Replaces the architectural state (INIT/SIPI, restart): RIP, RFLAGS,
	 * CRs, EFER (and VMX's IA-32e-mode entry control), segments, GDTR/IDTR,
	 * and the GPRs in v->regs from st->gpr. Clears pending events.
	 */
	void (*load_state)(struct vcpu *v, const struct vcpu_init_state *st);

	/*
	 * Enters the guest and returns at the next exit, decoded into *out
	 * (arch/exit.h). On the way out, v->regs holds the guest GPRs (SVM:
	 * RAX copied from the VMCB) and out->rip the guest RIP. The guest's
	 * XCR0 is v->xcr0 while it runs (the vendor switches XCR0 around
	 * entry when the host's differs). NMIs must cause exits (EXIT_NMI):
	 * they are how other CPUs kick this one (vcpu_kick).
	 */
	void (*vcpu_run)(struct vcpu *v, struct vm_exit *out);

	u64 (*get_reg)(struct vcpu *v, enum vcpu_reg r);
	/* For CR0/CR4/EFER the vendor keeps derived state consistent (VMX: EFER.LMA and IA-32e
	 * mode). */
	void (*set_reg)(struct vcpu *v, enum vcpu_reg r, u64 val);
	void (*get_segment)(struct vcpu *v, enum seg_reg s, struct segment *out);

	/* RIP += len; also clears the STI/MOV-SS interrupt shadow (SDM Vol. 3C 25.4.2). */
	void (*skip_instruction)(struct vcpu *v, u8 len);

	/* Queues a hardware exception for the next entry (VMX entry interruption info, SVM
	 * EVENTINJ). */
	void (*inject_exception)(struct vcpu *v, u8 vector, bool has_error, u32 error);

	/*
	 * Interrupt delivery (arch/x86/vcpu_events.c, docs/vcpu.md "Interrupt
	 * delivery"). interrupt_allowed: whether an external interrupt can be
	 * injected at the next entry: RFLAGS.IF = 1, no STI/MOV SS shadow, and
	 * no event already queued for that entry (an exception, a re-injected
	 * event). inject_interrupt: queues external interrupt `vector` (VMX
	 * entry interruption type 0, SDM Vol. 3C 27.6; SVM EVENTINJ type 0, APM
	 * 15.20). interrupt_window: on, the guest exits with EXIT_INTR_WINDOW as
	 * soon as it can take an interrupt (VMX interrupt-window exiting; SVM a
	 * V_IRQ with the VINTR intercept, APM 15.21.4); off cancels it.
	 * inject_nmi: queues an NMI unless NMIs are blocked; true when queued.
	 */
	bool (*interrupt_allowed)(struct vcpu *v);
	void (*inject_interrupt)(struct vcpu *v, u8 vector);
	void (*interrupt_window)(struct vcpu *v, bool on);
	bool (*inject_nmi)(struct vcpu *v);

	/* The root of v's second-level tables (EPTP / nCR3 address): instruction fetches walk it.
	 */
	hpa_t (*sl_root)(struct vcpu *v);

	/* Prints vendor details for a fatal dump (VM-instruction error, raw fields); may be NULL.
	 */
	void (*dump)(struct vcpu *v, const struct vm_exit *e);
};

/* The selected backend, set once by vcpu_platform_init() (host tests set a fake). */
extern const struct vcpu_vendor *vcpu_ops;

/*
 * The two backends. vcpu_platform_init() references them weakly, so the core
 * links before (or without) a backend and skips one that is absent.
 */
extern const struct vcpu_vendor vmx_vendor;
extern const struct vcpu_vendor svm_vendor;

/* x86 exception vectors the policy injects (SDM Vol. 3A Table 6-1). */
#define X86_EXC_DE 0
#define X86_EXC_DB 1
#define X86_EXC_UD 6
#define X86_EXC_DF 8
#define X86_EXC_GP 13
#define X86_EXC_PF 14
#define X86_EXC_MC 18
#define X86_EXC_AC 17

#endif
