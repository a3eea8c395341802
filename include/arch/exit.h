/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Vendor-neutral VM exits. Each vendor backend (arch/x86/vmx/, arch/x86/svm/)
 * maps its raw exit codes to enum exit_reason with a const table and decodes
 * what the neutral policy needs into struct vm_exit; arch/x86/vcpu.c then
 * dispatches on the neutral reason from its own const table. A raw code the
 * vendor does not map becomes EXIT_UNHANDLED, which stops the guest: no exit
 * is ever ignored.
 *
 * Which exits a vendor must produce (docs/vcpu.md has the full table):
 *   VMX reason (SDM Vol. 3D App. C)		SVM code (APM Vol. 2 App. C)
 *   10 CPUID					0x72 CPUID
 *   31/32 RDMSR/WRMSR				0x7c MSR (EXITINFO1 0/1)
 *   30 I/O instruction				0x7b IOIO
 *   12 HLT					0x78 HLT
 *   3 INIT signal				0x63 INIT
 *   4 SIPI					-
 *   55 XSETBV					0x8d XSETBV
 *   18 VMCALL					0x81 VMMCALL
 *   28 control-register access (writes)	0x10..0x1f CR writes (if intercepted)
 *   2 triple fault				0x7f SHUTDOWN
 *   48 EPT violation, 49 EPT misconfig		0x400 NPF
 *   1 external interrupt			0x60 INTR
 *   0 exception or NMI			0x40..0x5f exceptions, 0x61 NMI
 *   52 preemption timer expired		(no SVM equivalent yet)
 *   33/34 VM-entry failure			-1 VMEXIT_INVALID
 *   19..27, 50, 53 VMX instructions	0x80, 0x82..0x86 SVM instructions
 *   13 INVD					0x76 INVD
 *   7 interrupt window			0x64 VINTR
 */
#ifndef ARCH_EXIT_H
#define ARCH_EXIT_H

#include <hv/types.h>

enum exit_reason {
	EXIT_UNHANDLED = 0, /* a raw reason no table maps: always fatal */
	EXIT_CPUID,	    /* CPUID: leaf in EAX, subleaf in ECX */
	EXIT_RDMSR,	    /* RDMSR: MSR in ECX */
	EXIT_WRMSR,	    /* WRMSR: MSR in ECX, value in EDX:EAX */
	EXIT_IO,	    /* IN/OUT/INS/OUTS: u.io */
	EXIT_HLT,
	EXIT_INIT,	    /* an INIT signal reached the physical CPU */
	EXIT_SIPI,	    /* VMX: a SIPI reached a CPU in wait-for-SIPI: u.sipi */
	EXIT_XSETBV,	    /* XCR index in ECX, value in EDX:EAX */
	EXIT_HYPERCALL,	    /* VMCALL (Intel) or VMMCALL (AMD): number in RAX */
	EXIT_CR_WRITE,	    /* MOV to CR0/CR4/CR8 the vendor intercepts: u.cr */
	EXIT_TRIPLE_FAULT,  /* VMX triple fault, SVM shutdown */
	EXIT_SL_FAULT,	    /* EPT violation/misconfiguration, NPT fault: u.sl */
	EXIT_EXT_INTR,	    /* a host interrupt arrived while the guest ran */
	EXIT_NMI,	    /* an NMI arrived (the hypervisor's kick) */
	EXIT_PREEMPT_TIMER, /* VMX preemption timer / SVM equivalent: a poll tick */
	EXIT_ENTRY_FAILED,  /* VM entry failed (invalid guest state, bad VMCB) */
	EXIT_EXCEPTION,	    /* an intercepted guest exception: u.exc */
	EXIT_UD_INSN,	    /* an instruction the guest may not use (VMX/SVM ones): #UD */
	EXIT_INVD,	    /* INVD: skipped (the guest may not discard shared caches) */
	EXIT_INTR_WINDOW,   /* the guest can take an interrupt now (the window it asked for) */
	EXIT_CR_READ,	    /* MOV from CR8 (VMX): u.cr */
	EXIT_REASON_COUNT,
};

/* Second-level fault access bits (u.sl.access). */
#define SL_ACCESS_READ	BIT(0)
#define SL_ACCESS_WRITE BIT(1)
#define SL_ACCESS_EXEC	BIT(2)

struct exit_io {
	u16 port;
	u8 size;     /* 1, 2 or 4 bytes */
	bool in;     /* IN/INS (read from the port) */
	bool string; /* INS/OUTS */
	bool rep;    /* with a REP prefix */
};

struct exit_sl_fault {
	gpa_t gpa; /* the guest-physical address that faulted */
	u64 gla;   /* the guest-linear address, when gla_valid */
	bool gla_valid;
	bool misconfig; /* VMX EPT misconfiguration: a hypervisor table bug */
	u8 access;	/* SL_ACCESS_*: what the guest tried */
};

struct exit_exception {
	u8 vector;
	bool has_error;
	u32 error;
	u64 cr2; /* #PF: the faulting linear address */
};

struct exit_cr {
	u8 cr;	   /* 0, 4 or 8 */
	u8 gpr;	   /* EXIT_CR_READ: the destination register (enum gpr) */
	u64 value; /* EXIT_CR_WRITE: the value the guest wrote */
};

/*
 * One decoded exit. insn_len is the length of the exiting instruction when
 * the policy may skip it (VMX: the exit instruction length; SVM: nRIP - RIP,
 * or computed by the vendor when nRIP save is absent), 0 otherwise. raw_*
 * keep the vendor's own codes for the fatal-path dump.
 */
struct vm_exit {
	enum exit_reason reason;
	u8 insn_len;
	u64 rip;	/* guest RIP of the exit */
	u64 raw_reason; /* VMX basic exit reason, SVM EXITCODE */
	u64 raw_qual;	/* VMX exit qualification, SVM EXITINFO1 */
	u64 raw_info;	/* VMX instruction error / interruption info, SVM EXITINFO2 */
	union {
		struct exit_io io;
		struct exit_sl_fault sl;
		struct exit_exception exc;
		struct exit_cr cr;
		u8 sipi_vector; /* EXIT_SIPI */
	} u;
};

/* The stable lower-case name of a reason (console, counters, docs): "cpuid", "io". */
const char *exit_reason_name(enum exit_reason r);

#endif
