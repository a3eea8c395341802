/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The virtual machine control block (AMD APM Vol. 2, 15.5 "VMRUN Instruction"
 * and Appendix B "Layout of VMCB": Table B-1 control area, Table B-2 state
 * save area). Field offsets are checked by static asserts against the
 * appendix; hardware bits are named masks, never C bitfields.
 *
 * Vendor header: included by arch/x86/svm/ and its unit tests only.
 */
#ifndef SVM_VMCB_H
#define SVM_VMCB_H

#include <hv/compiler.h>
#include <hv/types.h>

/* A segment in the state save area (APM Vol. 2 Table B-2). */
struct vmcb_seg {
	u16 sel;
	u16 attrib; /* descriptor bits 47:40 and 55:52, packed into 11:0 */
	u32 limit;
	u64 base;
} __packed;

struct vmcb_control {
	u32 intercept_cr;    /* 0x000: reads in 15:0, writes in 31:16 */
	u32 intercept_dr;    /* 0x004: reads in 15:0, writes in 31:16 */
	u32 intercept_exc;   /* 0x008: one bit per exception vector */
	u32 intercept_misc1; /* 0x00c: SVM_INTERCEPT1_* */
	u32 intercept_misc2; /* 0x010: SVM_INTERCEPT2_* */
	u32 intercept_misc3; /* 0x014 */
	u8 reserved_018[0x03c - 0x018];
	u16 pause_filter_thresh; /* 0x03c */
	u16 pause_filter_count;	 /* 0x03e */
	u64 iopm_base_pa;	 /* 0x040 */
	u64 msrpm_base_pa;	 /* 0x048 */
	u64 tsc_offset;		 /* 0x050 */
	u32 asid;		 /* 0x058 */
	u8 tlb_control;		 /* 0x05c: SVM_TLB_* */
	u8 reserved_05d[3];
	u64 vintr;	 /* 0x060: V_TPR, V_IRQ, V_INTR_MASKING... */
	u64 int_state;	 /* 0x068: SVM_INT_SHADOW */
	u64 exitcode;	 /* 0x070 */
	u64 exitinfo1;	 /* 0x078 */
	u64 exitinfo2;	 /* 0x080 */
	u64 exitintinfo; /* 0x088: SVM_EVENT_* layout */
	u64 np_control;	 /* 0x090: SVM_NP_ENABLE */
	u8 reserved_098[0x0a8 - 0x098];
	u64 eventinj; /* 0x0a8: SVM_EVENT_* */
	u64 ncr3;     /* 0x0b0: nested page table root */
	u64 virt_ext; /* 0x0b8: LBR virtualization, virtual VMLOAD/VMSAVE */
	u32 clean;    /* 0x0c0: VMCB clean bits */
	u32 reserved_0c4;
	u64 nrip;	   /* 0x0c8: next sequential RIP (nRIP save) */
	u8 insn_len;	   /* 0x0d0: bytes fetched (decode assists) */
	u8 insn_bytes[15]; /* 0x0d1 */
	u8 reserved_0e0[0x400 - 0x0e0];
} __packed;

struct vmcb_save {
	struct vmcb_seg es, cs, ss, ds, fs, gs; /* 0x400 .. 0x45f */
	struct vmcb_seg gdtr, ldtr, idtr, tr;	/* 0x460 .. 0x49f */
	u8 reserved_4a0[0x4cb - 0x4a0];
	u8 cpl; /* 0x4cb */
	u32 reserved_4cc;
	u64 efer; /* 0x4d0 */
	u8 reserved_4d8[0x548 - 0x4d8];
	u64 cr4, cr3, cr0, dr7, dr6; /* 0x548 .. 0x56f */
	u64 rflags, rip;	     /* 0x570, 0x578 */
	u8 reserved_580[0x5d8 - 0x580];
	u64 rsp;				     /* 0x5d8 */
	u64 s_cet, ssp, isst_addr;		     /* 0x5e0 .. 0x5f7 */
	u64 rax;				     /* 0x5f8 */
	u64 star, lstar, cstar, sfmask;		     /* 0x600 .. 0x61f */
	u64 kernel_gs_base;			     /* 0x620 */
	u64 sysenter_cs, sysenter_esp, sysenter_eip; /* 0x628 .. 0x63f */
	u64 cr2;				     /* 0x640 */
	u8 reserved_648[0x668 - 0x648];
	u64 g_pat;  /* 0x668 */
	u64 dbgctl; /* 0x670 */
	u8 reserved_678[0x1000 - 0x678];
} __packed;

struct vmcb {
	struct vmcb_control ctl;
	struct vmcb_save save;
} __packed;

#define VMCB_OFF(field) __builtin_offsetof(struct vmcb, field)
STATIC_ASSERT(sizeof(struct vmcb) == PAGE_SIZE, "VMCB is one 4 KiB page");
STATIC_ASSERT(VMCB_OFF(ctl.iopm_base_pa) == 0x040, "APM Table B-1");
STATIC_ASSERT(VMCB_OFF(ctl.asid) == 0x058, "APM Table B-1");
STATIC_ASSERT(VMCB_OFF(ctl.tlb_control) == 0x05c, "APM Table B-1");
STATIC_ASSERT(VMCB_OFF(ctl.exitcode) == 0x070, "APM Table B-1");
STATIC_ASSERT(VMCB_OFF(ctl.exitintinfo) == 0x088, "APM Table B-1");
STATIC_ASSERT(VMCB_OFF(ctl.eventinj) == 0x0a8, "APM Table B-1");
STATIC_ASSERT(VMCB_OFF(ctl.ncr3) == 0x0b0, "APM Table B-1");
STATIC_ASSERT(VMCB_OFF(ctl.nrip) == 0x0c8, "APM Table B-1");
STATIC_ASSERT(VMCB_OFF(save.es) == 0x400, "APM Table B-2");
STATIC_ASSERT(VMCB_OFF(save.tr) == 0x490, "APM Table B-2");
STATIC_ASSERT(VMCB_OFF(save.cpl) == 0x4cb, "APM Table B-2");
STATIC_ASSERT(VMCB_OFF(save.efer) == 0x4d0, "APM Table B-2");
STATIC_ASSERT(VMCB_OFF(save.cr4) == 0x548, "APM Table B-2");
STATIC_ASSERT(VMCB_OFF(save.rip) == 0x578, "APM Table B-2");
STATIC_ASSERT(VMCB_OFF(save.rsp) == 0x5d8, "APM Table B-2");
STATIC_ASSERT(VMCB_OFF(save.rax) == 0x5f8, "APM Table B-2");
STATIC_ASSERT(VMCB_OFF(save.kernel_gs_base) == 0x620, "APM Table B-2");
STATIC_ASSERT(VMCB_OFF(save.cr2) == 0x640, "APM Table B-2");
STATIC_ASSERT(VMCB_OFF(save.g_pat) == 0x668, "APM Table B-2");

/* Intercept vector 3, offset 0x00c (APM Table B-1). */
#define SVM_INTERCEPT1_INTR	BIT(0)	/* physical maskable interrupt */
#define SVM_INTERCEPT1_NMI	BIT(1)	/* physical NMI */
#define SVM_INTERCEPT1_VINTR	BIT(4)	/* virtual interrupt taken (the window) */
#define SVM_INTERCEPT1_INIT	BIT(3)	/* INIT signal */
#define SVM_INTERCEPT1_CPUID	BIT(18) /* CPUID */
#define SVM_INTERCEPT1_INVD	BIT(22) /* INVD */
#define SVM_INTERCEPT1_HLT	BIT(24) /* HLT */
#define SVM_INTERCEPT1_INVLPGA	BIT(26) /* INVLPGA */
#define SVM_INTERCEPT1_IOIO	BIT(27) /* IN/OUT through the IOPM */
#define SVM_INTERCEPT1_MSR	BIT(28) /* RDMSR/WRMSR through the MSRPM */
#define SVM_INTERCEPT1_SHUTDOWN BIT(31) /* shutdown (triple fault) */

/* Intercept vector 4, offset 0x010 (APM Table B-1). */
#define SVM_INTERCEPT2_VMRUN   BIT(0)  /* VMRUN: must be set (APM 15.5.1) */
#define SVM_INTERCEPT2_VMMCALL BIT(1)  /* VMMCALL */
#define SVM_INTERCEPT2_VMLOAD  BIT(2)  /* VMLOAD */
#define SVM_INTERCEPT2_VMSAVE  BIT(3)  /* VMSAVE */
#define SVM_INTERCEPT2_STGI    BIT(4)  /* STGI */
#define SVM_INTERCEPT2_CLGI    BIT(5)  /* CLGI */
#define SVM_INTERCEPT2_SKINIT  BIT(6)  /* SKINIT */
#define SVM_INTERCEPT2_XSETBV  BIT(13) /* XSETBV */

/* TLB_CONTROL, offset 0x05c (APM 15.16.1 "TLB Flush"). */
#define SVM_TLB_NOTHING	    0
#define SVM_TLB_FLUSH_ALL   1 /* every ASID: the only one without FlushByAsid */
#define SVM_TLB_FLUSH_GUEST 3 /* this guest's ASID (needs FlushByAsid) */

/* Virtual interrupt control, offset 0x060 (APM 15.21.1). */
#define SVM_V_TPR	   0xfULL   /* the guest's TPR bits 7:4, what its CR8 reads and writes */
#define SVM_V_IRQ	   BIT64(8) /* a virtual interrupt is pending */
#define SVM_V_INTR_PRIO	   (0xfULL << 16) /* its priority (bits 19:16) */
#define SVM_V_IGN_TPR	   BIT64(20)	  /* ignore V_TPR for it */
#define SVM_V_INTR_MASKING BIT64(24)	  /* host RFLAGS.IF alone masks physical interrupts */

/* Interrupt state, offset 0x068 (APM 15.21.5). */
#define SVM_INT_SHADOW BIT64(0) /* guest is in an STI / MOV SS interrupt shadow */

/* Nested paging control, offset 0x090 (APM 15.25.3). */
#define SVM_NP_ENABLE BIT64(0)

/* EVENTINJ and EXITINTINFO (APM 15.20 "Event Injection"). */
#define SVM_EVENT_VECTOR_MASK 0xffULL
#define SVM_EVENT_TYPE_SHIFT  8
#define SVM_EVENT_TYPE_MASK   (7ULL << SVM_EVENT_TYPE_SHIFT)
#define SVM_EVENT_TYPE_INTR   (0ULL << SVM_EVENT_TYPE_SHIFT) /* external interrupt */
#define SVM_EVENT_TYPE_NMI    (2ULL << SVM_EVENT_TYPE_SHIFT) /* NMI */
#define SVM_EVENT_TYPE_EXC    (3ULL << SVM_EVENT_TYPE_SHIFT) /* exception (fault or trap) */
#define SVM_EVENT_EV	      BIT64(11)			     /* error code valid */
#define SVM_EVENT_V	      BIT64(31)			     /* event valid */
#define SVM_EVENT_ERR_SHIFT   32			     /* error code in 63:32 */

/* Segment attributes that the VMCB keeps (descriptor type, S, DPL, P, AVL, L, D/B, G). */
#define VMCB_ATTRIB_MASK 0xfffU

#define SVM_GPAT_DEFAULT 0x0007040600070406ULL /* the PAT reset value (APM 15.25.8) */
#define SVM_DR6_RESET	 0xffff0ff0ULL
#define SVM_IOPM_PAGES	 3 /* 12 KiB (APM 15.10.1) */
#define SVM_MSRPM_PAGES	 2 /* 8 KiB (APM 15.11) */

#endif
