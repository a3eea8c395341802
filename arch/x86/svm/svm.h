/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The AMD SVM backend's internal interface (AMD APM Vol. 2, chapter 15
 * "Secure Virtual Machine"). The pure parts (exit decoding, instruction
 * lengths, permission-map bit positions, the guest page walk) are host-tested
 * by tests/unit/test_svm_*.c; the rest touches the hardware.
 *
 * Vendor header: included by arch/x86/svm/ and its unit tests only.
 */
#ifndef SVM_SVM_H
#define SVM_SVM_H

#include <arch/exit.h>
#include <arch/guest_walk.h>
#include <arch/vcpu_vendor.h>
#include <hv/types.h>

#include "vmcb.h"

/* MSRs (APM Vol. 2 15.30 "SVM-Related MSRs"). */
#define MSR_VM_CR	0xc0010114
#define VM_CR_SVMDIS	BIT64(4) /* SVME cannot be set: firmware disabled SVM */
#define MSR_VM_HSAVE_PA 0xc0010117

/* CPUID (APM Vol. 3 Appendix E, "CPUID Fn8000_000A"). */
#define CPUID_EXT_MAX		 0x80000000U
#define CPUID_EXT_FEATURES	 0x80000001U
#define CPUID_EXT1_ECX_SVM	 BIT(2)	 /* Fn8000_0001 ECX: SVM */
#define CPUID_EXT1_EDX_PAGE1G	 BIT(26) /* Fn8000_0001 EDX: 1 GiB pages */
#define CPUID_SVM_FEATURES	 0x8000000aU
#define CPUID_SVM_EDX_NP	 BIT(0) /* nested paging */
#define CPUID_SVM_EDX_NRIPS	 BIT(3) /* nRIP save */
#define CPUID_SVM_EDX_FLUSH_ASID BIT(6) /* TLB_CONTROL 3/7 (flush by ASID) */

/* Exit codes (APM Vol. 2 Appendix C "SVM Intercept Exit Codes"). */
#define SVM_EXIT_EXC_BASE   0x40 /* 0x40 + vector */
#define SVM_EXIT_EXC_LAST   0x5f
#define SVM_EXIT_INTR	    0x60
#define SVM_EXIT_NMI	    0x61
#define SVM_EXIT_INIT	    0x63
#define SVM_EXIT_VINTR	    0x64
#define SVM_EXIT_CPUID	    0x72
#define SVM_EXIT_INVD	    0x76
#define SVM_EXIT_HLT	    0x78
#define SVM_EXIT_INVLPGA    0x7a
#define SVM_EXIT_IOIO	    0x7b
#define SVM_EXIT_MSR	    0x7c
#define SVM_EXIT_SHUTDOWN   0x7f
#define SVM_EXIT_VMRUN	    0x80
#define SVM_EXIT_VMMCALL    0x81
#define SVM_EXIT_VMLOAD	    0x82
#define SVM_EXIT_VMSAVE	    0x83
#define SVM_EXIT_STGI	    0x84
#define SVM_EXIT_CLGI	    0x85
#define SVM_EXIT_SKINIT	    0x86
#define SVM_EXIT_XSETBV	    0x8d
#define SVM_EXIT_TABLE_SIZE 0xa5 /* codes below this go through the table */
#define SVM_EXIT_NPF	    0x400
#define SVM_EXIT_INVALID    ((u64)-1) /* VMRUN found invalid guest state */

/* IOIO EXITINFO1 (APM Vol. 2 15.10.2, Figure 15-2). */
#define SVM_IOIO_TYPE_IN    BIT64(0) /* 1 = IN/INS */
#define SVM_IOIO_STR	    BIT64(2) /* INS/OUTS */
#define SVM_IOIO_REP	    BIT64(3) /* REP prefix */
#define SVM_IOIO_SZ8	    BIT64(4)
#define SVM_IOIO_SZ16	    BIT64(5)
#define SVM_IOIO_SZ32	    BIT64(6)
#define SVM_IOIO_PORT_SHIFT 16 /* port in 31:16 */

/* NPF EXITINFO1: a page-fault error code (APM Vol. 2 15.25.6). */
#define SVM_NPF_P     BIT64(0)	/* the entry was present: a protection fault */
#define SVM_NPF_RW    BIT64(1)	/* a write */
#define SVM_NPF_US    BIT64(2)	/* user access (always set for NPT walks) */
#define SVM_NPF_RSV   BIT64(3)	/* reserved bit set in a nested entry */
#define SVM_NPF_ID    BIT64(4)	/* instruction fetch */
#define SVM_NPF_FINAL BIT64(32) /* fault on the final guest-physical address */
#define SVM_NPF_WALK  BIT64(33) /* fault on a guest page-table access */

/* Capabilities found by probe. */
struct svm_caps {
	u32 nasid;	    /* number of ASIDs (CPUID Fn8000_000A EBX) */
	bool nrips;	    /* the VMCB's nRIP field is filled */
	bool flush_by_asid; /* TLB_CONTROL 3 is available */
	bool page_1g;	    /* NPT may map 1 GiB pages */
};
extern struct svm_caps svm_caps;

/* Per-vCPU hardware state (struct vcpu.hw), one per physical CPU. */
struct svm_vcpu {
	struct vmcb *vmcb;
	hpa_t vmcb_pa;
	u8 *iopm;  /* 12 KiB, every port intercepted */
	u8 *msrpm; /* 8 KiB, every MSR intercepted */
};

/* ---- pure helpers (host-tested) ---------------------------------------------- */

/* Decodes the exit in ctl (guest RIP rip) into *out; insn_len only for IOIO. */
void svm_decode_exit(const struct vmcb_control *ctl, u64 rip, struct vm_exit *out);

/* The opcode of the instruction an exit reason must skip; NULL when none. */
struct svm_opcode {
	u8 len;
	u8 bytes[3];
};
const struct svm_opcode *svm_exit_opcode(enum exit_reason r);

/*
 * Length of the instruction in buf[0..n) whose opcode is op: legacy prefixes,
 * then a REX prefix in 64-bit code, then op. 0 if the bytes do not match.
 */
u8 svm_insn_len(const u8 *buf, unsigned int n, bool code64, const struct svm_opcode *op);

/*
 * V_TPR and the emulated local APIC's TPR are one register (svm_tpr.c):
 * svm_vintr_with_tpr() is VINTR for the next VMRUN with V_TPR = tpr[7:4];
 * svm_tpr_after_run() is the TPR after the run: V_TPR << 4 if the guest
 * changed it (a MOV to CR8), else tpr as it was (its low bits kept).
 */
u64 svm_vintr_with_tpr(u64 vintr, u8 tpr);
u8 svm_tpr_after_run(u64 vintr_before, u64 vintr_after, u8 tpr);

/* Bit index in the MSRPM of msr's read (write: write) intercept; -1 if outside the map. */
long svm_msrpm_bit(u32 msr, bool write);

/* The first illegal-state rule (APM 15.5.1) the VMCB breaks, or NULL when none is found. */
const char *svm_check_vmcb(const struct vmcb *vmcb);

/* The guest page walk for instruction fetches is arch/guest_walk.h (shared with VMX). */

/* ---- hardware ------------------------------------------------------------------ */

struct vcpu;

/* Per physical CPU (svm_probe.c): VM_HSAVE_PA, and the page VMSAVE/VMLOAD keep host state in. */
extern hpa_t svm_hsave_pa[];
extern hpa_t svm_host_state_pa[];

/* The vcpu_vendor operations (include/arch/vcpu_vendor.h), by file. */
int svm_probe(const char **why);
int svm_cpu_enable(void);
void svm_sl_format(struct sl_format_info *out);
int svm_vcpu_init(struct vcpu *v, hpa_t sl_root, const struct vcpu_init_state *st);
void svm_load_state(struct vcpu *v, const struct vcpu_init_state *st);
void svm_vcpu_run(struct vcpu *v, struct vm_exit *out);
u64 svm_get_reg(struct vcpu *v, enum vcpu_reg r);
void svm_set_reg(struct vcpu *v, enum vcpu_reg r, u64 val);
void svm_get_segment(struct vcpu *v, enum seg_reg s, struct segment *out);
void svm_skip_instruction(struct vcpu *v, u8 len);
void svm_inject_exception(struct vcpu *v, u8 vector, bool has_error, u32 error);
void svm_dump(struct vcpu *v, const struct vm_exit *e);
/* svm_intr.c: interrupt delivery */
bool svm_interrupt_allowed(struct vcpu *v);
void svm_inject_interrupt(struct vcpu *v, u8 vector);
void svm_interrupt_window(struct vcpu *v, bool on);
bool svm_inject_nmi(struct vcpu *v);
hpa_t svm_sl_root(struct vcpu *v);

/* The TLB_CONTROL value that flushes this guest's translations (svm_vmcb.c). */
u8 svm_tlb_flush_value(void);

/* VMSAVE host, VMLOAD guest, VMRUN, VMSAVE guest, VMLOAD host; GIF must be 0. */
void svm_vmrun(void *regs, hpa_t vmcb_pa, hpa_t host_state_pa);

#endif
