/* SPDX-License-Identifier: Apache-2.0 */
/*
 * VMX hardware formats: capability MSRs, VM-execution/exit/entry control
 * bits, exit reasons and exit-qualification layouts (Intel SDM Vol. 3C
 * chapters 25-29, Vol. 3D Appendices A and C). Named masks, no bitfields.
 *
 * Vendor header: included by arch/x86/vmx/ only.
 */
#ifndef VMX_BITS_H
#define VMX_BITS_H

#include <hv/types.h>

/* ---- capability MSRs (SDM Vol. 3D Appendix A; Vol. 4 Table 2-2) ---- */
#define MSR_VMX_BASIC	       0x480
#define MSR_VMX_PINBASED       0x481
#define MSR_VMX_PROCBASED      0x482
#define MSR_VMX_EXIT	       0x483
#define MSR_VMX_ENTRY	       0x484
#define MSR_VMX_MISC	       0x485
#define MSR_VMX_CR0_FIXED0     0x486
#define MSR_VMX_CR0_FIXED1     0x487
#define MSR_VMX_CR4_FIXED0     0x488
#define MSR_VMX_CR4_FIXED1     0x489
#define MSR_VMX_PROCBASED2     0x48b
#define MSR_VMX_EPT_VPID_CAP   0x48c
#define MSR_VMX_TRUE_PINBASED  0x48d
#define MSR_VMX_TRUE_PROCBASED 0x48e
#define MSR_VMX_TRUE_EXIT      0x48f
#define MSR_VMX_TRUE_ENTRY     0x490

/* IA32_VMX_BASIC (A.1) */
#define VMX_BASIC_REVISION_MASK 0x7fffffffULL /* bits 30:0: VMCS revision identifier */
#define VMX_BASIC_SIZE_SHIFT	32	      /* bits 44:32: VMXON/VMCS region size */
#define VMX_BASIC_SIZE_MASK	0x1fffULL
#define VMX_BASIC_PHYS32	BIT64(48) /* regions limited to 32-bit physical addresses */
#define VMX_BASIC_MEMTYPE_SHIFT 50	  /* bits 53:50: VMCS memory type, 6 = WB */
#define VMX_BASIC_MEMTYPE_MASK	0xfULL
#define VMX_BASIC_TRUE_CTLS	BIT64(55) /* the IA32_VMX_TRUE_*_CTLS MSRs exist */
#define VMX_MEMTYPE_WB		6ULL

/* IA32_VMX_MISC (A.6) */
#define VMX_MISC_TIMER_RATE_MASK 0x1fULL  /* bits 4:0: timer ticks when TSC bit X changes */
#define VMX_MISC_STORES_LMA	 BIT64(5) /* VM exits store EFER.LMA in the IA-32e entry control */

/* IA32_VMX_EPT_VPID_CAP (A.10) */
#define EPT_CAP_WALK4	     BIT64(6)  /* page-walk length of 4 */
#define EPT_CAP_WB	     BIT64(14) /* write-back paging-structure memory type */
#define EPT_CAP_2M	     BIT64(16) /* 2 MiB pages (PDE with bit 7) */
#define EPT_CAP_1G	     BIT64(17) /* 1 GiB pages (PDPTE with bit 7) */
#define EPT_CAP_INVEPT	     BIT64(20) /* INVEPT supported */
#define EPT_CAP_AD	     BIT64(21) /* accessed and dirty flags */
#define EPT_CAP_INVEPT_CTX   BIT64(25) /* single-context INVEPT */
#define EPT_CAP_INVEPT_ALL   BIT64(26) /* all-context INVEPT */
#define VPID_CAP_INVVPID     BIT64(32) /* INVVPID supported */
#define VPID_CAP_INVVPID_CTX BIT64(41) /* single-context INVVPID */
#define VPID_CAP_INVVPID_ALL BIT64(42) /* all-context INVVPID */

/* IA32_FEATURE_CONTROL (SDM Vol. 3C 24.7 "Enabling and Entering VMX Operation") */
#define FEATURE_CONTROL_LOCK	     BIT64(0) /* lock bit: writes #GP once set */
#define FEATURE_CONTROL_VMXON_SMX    BIT64(1) /* VMXON allowed inside SMX */
#define FEATURE_CONTROL_VMXON_NO_SMX BIT64(2) /* VMXON allowed outside SMX */

/* CPUID.1:ECX.VMX (SDM Vol. 3C 24.6 "Discovering Support for VMX") */
#define CPUID1_ECX_VMX	   BIT(5)
#define CPUID1_ECX_XSAVE   BIT(26)
#define CR4_OSXSAVE	   BIT64(18)
#define CPUID7_EBX_INVPCID BIT(10)
#define CPUIDD1_EAX_XSAVES BIT(3)
#define CPUID81_EDX_RDTSCP BIT(27)

/* ---- pin-based VM-execution controls (25.6.1) ---- */
#define PIN_EXT_INTR_EXIT BIT(0) /* external-interrupt exiting */
#define PIN_NMI_EXIT	  BIT(3) /* NMI exiting */
#define PIN_VIRTUAL_NMI	  BIT(5) /* virtual NMIs */
#define PIN_PREEMPT_TIMER BIT(6) /* activate VMX-preemption timer */

/* ---- primary processor-based controls (25.6.2) ---- */
#define PROC_INTR_WINDOW    BIT(2)  /* interrupt-window exiting */
#define PROC_HLT_EXIT	    BIT(7)  /* HLT exiting */
#define PROC_INVLPG_EXIT    BIT(9)  /* INVLPG exiting */
#define PROC_MWAIT_EXIT	    BIT(10) /* MWAIT exiting */
#define PROC_RDPMC_EXIT	    BIT(11) /* RDPMC exiting */
#define PROC_RDTSC_EXIT	    BIT(12) /* RDTSC exiting */
#define PROC_CR3_LOAD_EXIT  BIT(15) /* CR3-load exiting */
#define PROC_CR3_STORE_EXIT BIT(16) /* CR3-store exiting */
#define PROC_CR8_LOAD_EXIT  BIT(19) /* CR8-load exiting */
#define PROC_CR8_STORE_EXIT BIT(20) /* CR8-store exiting */
#define PROC_NMI_WINDOW	    BIT(22) /* NMI-window exiting */
#define PROC_MOV_DR_EXIT    BIT(23) /* MOV-DR exiting */
#define PROC_UNCOND_IO_EXIT BIT(24) /* unconditional I/O exiting */
#define PROC_IO_BITMAPS	    BIT(25) /* use I/O bitmaps */
#define PROC_MSR_BITMAPS    BIT(28) /* use MSR bitmaps */
#define PROC_MONITOR_EXIT   BIT(29) /* MONITOR exiting */
#define PROC_SECONDARY	    BIT(31) /* activate secondary controls */

/* ---- secondary processor-based controls (25.6.2) ---- */
#define PROC2_EPT	   BIT(1)  /* enable EPT */
#define PROC2_RDTSCP	   BIT(3)  /* enable RDTSCP */
#define PROC2_VPID	   BIT(5)  /* enable VPID */
#define PROC2_UNRESTRICTED BIT(7)  /* unrestricted guest */
#define PROC2_INVPCID	   BIT(12) /* enable INVPCID */
#define PROC2_XSAVES	   BIT(20) /* enable XSAVES/XRSTORS */

/* ---- VM-exit controls (25.7.1) ---- */
#define EXIT_SAVE_DEBUG BIT(2)	/* save debug controls */
#define EXIT_HOST_64	BIT(9)	/* host address-space size */
#define EXIT_ACK_INTR	BIT(15) /* acknowledge interrupt on exit */
#define EXIT_SAVE_PAT	BIT(18) /* save IA32_PAT */
#define EXIT_LOAD_PAT	BIT(19) /* load IA32_PAT */
#define EXIT_SAVE_EFER	BIT(20) /* save IA32_EFER */
#define EXIT_LOAD_EFER	BIT(21) /* load IA32_EFER */

/* ---- VM-entry controls (25.8.1) ---- */
#define ENTRY_LOAD_DEBUG BIT(2)	 /* load debug controls */
#define ENTRY_IA32E	 BIT(9)	 /* IA-32e mode guest */
#define ENTRY_LOAD_PAT	 BIT(14) /* load IA32_PAT */
#define ENTRY_LOAD_EFER	 BIT(15) /* load IA32_EFER */

/* ---- EPT pointer (25.6.11) ---- */
#define EPTP_MEMTYPE_WB 6ULL	    /* bits 2:0: paging-structure memory type */
#define EPTP_WALK4	(3ULL << 3) /* bits 5:3: page-walk length minus 1 */
#define EPTP_AD		BIT64(6)    /* enable accessed and dirty flags */

/* ---- exit reasons (Appendix C) ---- */
#define VMX_EXIT_REASON_MASK  0xffffU /* bits 15:0: basic exit reason */
#define VMX_EXIT_ENTRY_FAILED BIT(31) /* VM-entry failure */

enum vmx_exit_reason {
	VMX_EXIT_EXC_NMI = 0,
	VMX_EXIT_EXT_INTR = 1,
	VMX_EXIT_TRIPLE_FAULT = 2,
	VMX_EXIT_INIT = 3,
	VMX_EXIT_SIPI = 4,
	VMX_EXIT_IO_SMI = 5,
	VMX_EXIT_OTHER_SMI = 6,
	VMX_EXIT_INTR_WINDOW = 7,
	VMX_EXIT_NMI_WINDOW = 8,
	VMX_EXIT_TASK_SWITCH = 9,
	VMX_EXIT_CPUID = 10,
	VMX_EXIT_GETSEC = 11,
	VMX_EXIT_HLT = 12,
	VMX_EXIT_INVD = 13,
	VMX_EXIT_INVLPG = 14,
	VMX_EXIT_RDPMC = 15,
	VMX_EXIT_RDTSC = 16,
	VMX_EXIT_RSM = 17,
	VMX_EXIT_VMCALL = 18,
	VMX_EXIT_VMCLEAR = 19,
	VMX_EXIT_VMLAUNCH = 20,
	VMX_EXIT_VMPTRLD = 21,
	VMX_EXIT_VMPTRST = 22,
	VMX_EXIT_VMREAD = 23,
	VMX_EXIT_VMRESUME = 24,
	VMX_EXIT_VMWRITE = 25,
	VMX_EXIT_VMXOFF = 26,
	VMX_EXIT_VMXON = 27,
	VMX_EXIT_CR_ACCESS = 28,
	VMX_EXIT_MOV_DR = 29,
	VMX_EXIT_IO = 30,
	VMX_EXIT_RDMSR = 31,
	VMX_EXIT_WRMSR = 32,
	VMX_EXIT_BAD_GUEST_STATE = 33,
	VMX_EXIT_MSR_LOADING = 34,
	VMX_EXIT_MWAIT = 36,
	VMX_EXIT_MTF = 37,
	VMX_EXIT_MONITOR = 39,
	VMX_EXIT_PAUSE = 40,
	VMX_EXIT_MACHINE_CHECK = 41,
	VMX_EXIT_TPR_BELOW = 43,
	VMX_EXIT_APIC_ACCESS = 44,
	VMX_EXIT_VIRT_EOI = 45,
	VMX_EXIT_GDTR_IDTR = 46,
	VMX_EXIT_LDTR_TR = 47,
	VMX_EXIT_EPT_VIOLATION = 48,
	VMX_EXIT_EPT_MISCONFIG = 49,
	VMX_EXIT_INVEPT = 50,
	VMX_EXIT_RDTSCP = 51,
	VMX_EXIT_PREEMPT_TIMER = 52,
	VMX_EXIT_INVVPID = 53,
	VMX_EXIT_WBINVD = 54,
	VMX_EXIT_XSETBV = 55,
	VMX_EXIT_APIC_WRITE = 56,
	VMX_EXIT_RDRAND = 57,
	VMX_EXIT_INVPCID = 58,
	VMX_EXIT_VMFUNC = 59,
	VMX_EXIT_ENCLS = 60,
	VMX_EXIT_RDSEED = 61,
	VMX_EXIT_PML_FULL = 62,
	VMX_EXIT_XSAVES = 63,
	VMX_EXIT_XRSTORS = 64,
	VMX_EXIT_MAX = 80, /* table size: everything at or above is unhandled */
};

/* ---- exit qualifications (28.2.1) ---- */
/* I/O instructions (Table 28-5) */
#define IOQ_SIZE_MASK  0x7ULL	/* bits 2:0: size minus 1 (0, 1 or 3) */
#define IOQ_IN	       BIT64(3) /* direction: 1 = IN */
#define IOQ_STRING     BIT64(4) /* string instruction */
#define IOQ_REP	       BIT64(5) /* REP prefixed */
#define IOQ_PORT_SHIFT 16	/* bits 31:16: port number */

/* control-register accesses (Table 28-3) */
#define CRQ_CR_MASK	   0xfULL /* bits 3:0: control register number */
#define CRQ_TYPE_SHIFT	   4	  /* bits 5:4: access type */
#define CRQ_TYPE_MASK	   0x3ULL
#define CRQ_TYPE_MOV_TO	   0 /* MOV to CR */
#define CRQ_TYPE_MOV_FROM  1 /* MOV from CR */
#define CRQ_TYPE_CLTS	   2
#define CRQ_TYPE_LMSW	   3
#define CRQ_GPR_SHIFT	   8 /* bits 11:8: the general-purpose register */
#define CRQ_GPR_MASK	   0xfULL
#define CRQ_LMSW_SRC_SHIFT 16 /* bits 31:16: LMSW source data */

/* EPT violations (Table 28-7) */
#define EPTQ_READ	 BIT64(0)  /* data read */
#define EPTQ_WRITE	 BIT64(1)  /* data write */
#define EPTQ_FETCH	 BIT64(2)  /* instruction fetch */
#define EPTQ_GLA_VALID	 BIT64(7)  /* guest-linear address field valid */
#define EPTQ_NMI_UNBLOCK BIT64(12) /* NMI unblocking due to IRET (28.2.3) */

/* ---- interruption information (25.8.3, 28.2.2) ---- */
#define INTR_INFO_VECTOR_MASK 0xffU
#define INTR_INFO_TYPE_SHIFT  8 /* bits 10:8: interruption type */
#define INTR_INFO_TYPE_MASK   (7U << INTR_INFO_TYPE_SHIFT)
#define INTR_TYPE_EXT_INTR    (0U << INTR_INFO_TYPE_SHIFT)
#define INTR_TYPE_NMI	      (2U << INTR_INFO_TYPE_SHIFT)
#define INTR_TYPE_HW_EXC      (3U << INTR_INFO_TYPE_SHIFT)
#define INTR_TYPE_SW_INTR     (4U << INTR_INFO_TYPE_SHIFT)
#define INTR_TYPE_PRIV_SW_EXC (5U << INTR_INFO_TYPE_SHIFT)
#define INTR_TYPE_SW_EXC      (6U << INTR_INFO_TYPE_SHIFT)
#define INTR_INFO_HAS_ERROR   BIT(11) /* error code valid / deliver error code */
#define INTR_INFO_NMI_UNBLOCK BIT(12) /* NMI unblocking due to IRET */
#define INTR_INFO_VALID	      BIT(31)

/* ---- guest non-register state (25.4.2) ---- */
#define INTERRUPTIBILITY_STI	BIT(0) /* blocking by STI */
#define INTERRUPTIBILITY_MOV_SS BIT(1) /* blocking by MOV SS */
#define INTERRUPTIBILITY_SMI	BIT(2) /* blocking by SMI */
#define INTERRUPTIBILITY_NMI	BIT(3) /* blocking by NMI */
#define ACTIVITY_ACTIVE		0
#define ACTIVITY_HLT		1
#define ACTIVITY_SHUTDOWN	2
#define ACTIVITY_WAIT_SIPI	3

/* VMX access rights (25.4.1, Table 25-2): the descriptor's bits 8..11 move to 12..15. */
#define VMX_AR_LOW_MASK	 0x0ffU
#define VMX_AR_HIGH_MASK 0xf000U
#define VMX_AR_UNUSABLE	 BIT(16) /* segment unusable */

#endif
