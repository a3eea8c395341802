/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The architectural state a virtual CPU starts from, in a vendor-neutral
 * form. Image loaders (kernel/loader/) fill one to say where and how a guest
 * starts; the vCPU layer turns INIT and SIPI into one; each vendor backend
 * (VMX, SVM) converts it into its VMCS or VMCB. Pure data and pure helpers:
 * this header is usable from the core and from host unit tests.
 */
#ifndef HV_VCPU_STATE_H
#define HV_VCPU_STATE_H

#include <hv/types.h>

/* General-purpose registers in x86 encoding order (SDM Vol. 2A, Table 2-2), so
 * that an index decoded from a ModRM byte selects the register directly. */
enum gpr {
	GPR_RAX = 0,
	GPR_RCX = 1,
	GPR_RDX = 2,
	GPR_RBX = 3,
	GPR_RSP = 4, /* lives in the VMCS/VMCB: see vcpu_gpr_read() in arch/vcpu.h */
	GPR_RBP = 5,
	GPR_RSI = 6,
	GPR_RDI = 7,
	GPR_R8 = 8,
	GPR_R9 = 9,
	GPR_R10 = 10,
	GPR_R11 = 11,
	GPR_R12 = 12,
	GPR_R13 = 13,
	GPR_R14 = 14,
	GPR_R15 = 15,
	GPR_COUNT = 16,
};

/* Segment registers in the SDM's encoding order (Vol. 3C, "Segment Registers"
 * in the VMCS field encodings and the sreg field of instructions). */
enum seg_reg {
	SEG_ES = 0,
	SEG_CS = 1,
	SEG_SS = 2,
	SEG_DS = 3,
	SEG_FS = 4,
	SEG_GS = 5,
	SEG_LDTR = 6,
	SEG_TR = 7,
	SEG_COUNT = 8,
};

/*
 * Segment attributes in the compact 12-bit form of the descriptor's bytes 5
 * and 6 (SDM Vol. 3A 3.4.5; this is also the AMD VMCB "attrib" layout, APM
 * Vol. 2 15.5.1). VMX access rights put bits 8..11 at 12..15 and add bit 16.
 */
#define SEG_AR_TYPE_MASK 0x00fU	 /* bits 3:0: segment type */
#define SEG_AR_S	 BIT(4)	 /* descriptor type: 1 = code/data */
#define SEG_AR_DPL_SHIFT 5	 /* bits 6:5: privilege level */
#define SEG_AR_P	 BIT(7)	 /* present */
#define SEG_AR_AVL	 BIT(8)	 /* available to software */
#define SEG_AR_L	 BIT(9)	 /* 64-bit code segment */
#define SEG_AR_DB	 BIT(10) /* default operation size: 1 = 32-bit */
#define SEG_AR_G	 BIT(11) /* granularity: limit in 4 KiB units */
#define SEG_AR_UNUSABLE	 BIT(16) /* VMX "segment unusable" (a null selector) */

/* Segment types used by the helpers (SDM Vol. 3A, Table 3-1 and 3-2). */
#define SEG_TYPE_DATA_RW_A  0x3 /* read/write, accessed */
#define SEG_TYPE_CODE_RX_A  0xb /* execute/read, accessed */
#define SEG_TYPE_LDT	    0x2 /* system: LDT */
#define SEG_TYPE_TSS16_BUSY 0x3 /* system: 16-bit busy TSS */
#define SEG_TYPE_TSS32_BUSY 0xb /* system: 32/64-bit busy TSS */

struct segment {
	u16 sel;
	u32 ar;	   /* SEG_AR_* */
	u32 limit; /* byte granular, already expanded (as in the VMCS and VMCB) */
	u64 base;
};

struct dtable {
	u64 base;
	u16 limit;
};

/* RFLAGS bit 1 is reserved and always 1 (SDM Vol. 1 3.4.3). */
#define RFLAGS_FIXED BIT64(1)
#define RFLAGS_IF    BIT64(9) /* interrupt enable */

/* Everything a vendor needs to start (or restart) a vCPU. */
struct vcpu_init_state {
	u64 gpr[GPR_COUNT]; /* gpr[GPR_RSP] is the initial RSP */
	u64 rip;
	u64 rflags;
	u64 cr0, cr3, cr4;
	u64 efer;
	u64 dr7;
	struct segment seg[SEG_COUNT];
	struct dtable gdtr, idtr;
};

/*
 * Power-on / INIT state (SDM Vol. 3A, "Processor State After Reset", the
 * table of register states after power-up, reset or INIT): real mode, CS selector 0xf000 with base
 * 0xffff0000 and IP 0xfff0, so the first fetch is at the reset vector 0xfffffff0. EDX holds the
 * processor signature (CPUID.1:EAX), which the caller passes.
 */
void vcpu_state_reset(struct vcpu_init_state *s, u32 signature);

/*
 * The state a STARTUP IPI with vector v gives a CPU waiting for it (SDM
 * Vol. 3A, "Multiple-Processor (MP) Initialization", the MP initialization
 * protocol; the SIPI vector is the 4 KiB page where the AP starts):
 * the INIT state with CS selector v << 8, CS base v << 12 and IP 0.
 */
void vcpu_state_sipi(struct vcpu_init_state *s, u32 signature, u8 vector);

/*
 * 32-bit protected mode with flat 4 GiB code and data segments, paging off,
 * interrupts off, at entry: the machine state of the Multiboot v1
 * specification (section 3.2) and of the raw format. The caller sets the
 * registers the boot protocol wants (e.g. EAX = 0x2badb002, EBX = info).
 */
void vcpu_state_flat32(struct vcpu_init_state *s, u32 entry);

#endif
