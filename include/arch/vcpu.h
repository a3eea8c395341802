/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Virtual CPUs, vendor-neutral part (the Jailhouse x86 model: this layer owns
 * the policy and calls a vcpu_vendor backend, arch/vcpu_vendor.h, for
 * everything that touches a VMCS or a VMCB).
 *
 * Each vCPU of a guest is pinned to one physical CPU that it owns. Life cycle,
 * all on the vCPU's own physical CPU unless said otherwise:
 *
 *	vcpu_setup(v, guest, index, pcpu)	  neutral fields (any CPU)
 *	vcpu_start(v, sl_root, &boot_state)	  vendor init; vCPU 0 RUNNABLE,
 *						  the others WAIT_FOR_SIPI
 *	vcpu_loop(v)				  runs until the vCPU is STOPPED
 *	vcpu_request_stop(v)			  any CPU: stop and kick it out
 *
 * The guest layer (kernel/guest.c, include/hv/guest.h) decides what a stop
 * means (report, restart); the fatal path, guest_fatal(), asks it to stop
 * the whole guest through guest_stop().
 *
 * States (enum vcpu_state), after SDM Vol. 3A "MP Initialization":
 *
 *	WAIT_FOR_SIPI --SIPI--> RUNNABLE --HLT--> HALTED --event--> RUNNABLE
 *	     ^------------------INIT---------------'
 *	any state --stop--> STOPPED (final until vcpu_start again)
 *
 * Other CPUs change a vCPU only by posting requests (vcpu_post_init,
 * vcpu_post_sipi, vcpu_request_stop) into its `pending` word; the owning CPU
 * applies them between guest runs in vcpu_process_pending(), because only it
 * can write its VMCS/VMCB.
 */
#ifndef ARCH_VCPU_H
#define ARCH_VCPU_H

#include <arch/decode.h>
#include <arch/exit.h>
#include <hv/vcpu_state.h>
#include <hv/types.h>

struct guest;

enum vcpu_state {
	VCPU_WAIT_FOR_SIPI = 0, /* after INIT: not running, waits for a STARTUP IPI */
	VCPU_RUNNABLE,		/* enters the guest */
	VCPU_HALTED,		/* executed HLT: waits for an event */
	VCPU_STOPPED,		/* the guest was stopped: vcpu_loop returns */
};

/* Requests other CPUs post into vcpu.pending (atomically OR-ed in). */
#define VCPU_REQ_INIT	  BIT(0) /* INIT IPI: reset and wait for SIPI */
#define VCPU_REQ_SIPI	  BIT(1) /* STARTUP IPI: vector in sipi_vector */
#define VCPU_REQ_STOP	  BIT(2) /* the guest is being stopped */
#define VCPU_REQ_SNAPSHOT BIT(3) /* the console wants the registers (vcpu_request_snapshot) */
#define VCPU_REQ_EVENT	  BIT(4) /* an interrupt was posted (arch/vlapic.h): re-evaluate, wake */

/*
 * General-purpose registers saved and restored by the vendor's entry/exit
 * assembly, in x86 encoding order (enum gpr). r[GPR_RSP] is not used by the
 * assembly: RSP is in the VMCS/VMCB, reach it through vcpu_gpr_read/write.
 * SVM keeps RAX in the VMCB too: the SVM backend copies it into r[GPR_RAX]
 * after each VMRUN and back before the next, so the policy sees it here.
 */
struct guest_regs {
	u64 r[GPR_COUNT];
};

/* Exits per neutral reason and the TSC cycles the hypervisor spent on them. */
struct exit_stats {
	u64 count[EXIT_REASON_COUNT];
	u64 cycles[EXIT_REASON_COUNT];
};

/*
 * A vCPU's registers as the console shows them, taken on the vCPU's own CPU
 * between guest runs (only there is its VMCS/VMCB readable): on request and
 * each time the vCPU stops, so a stopped guest still shows its last state.
 */
struct vcpu_snapshot {
	u64 tsc;   /* when it was taken; 0: never */
	u32 state; /* enum vcpu_state at that time */
	u64 gpr[GPR_COUNT];
	u64 rip, rflags, cr0, cr2, cr3, cr4, efer;
	struct segment seg[SEG_COUNT];
};

/*
 * The local APIC model (arch/x86/vcpu_lapic*.c, docs/vcpu.md "Local APIC").
 * The owning CPU reads and writes everything; other CPUs only set bits in
 * irr/tmr/esr and nmi_pending, with atomics (include/arch/vlapic.h).
 */
struct vlapic {
	u64 apic_base; /* IA32_APIC_BASE as the guest sees it */
	u32 svr;       /* spurious-interrupt vector register */
	u32 icr_low;   /* ICR bits 31:0 as last written */
	u32 icr_high;  /* ICR bits 63:32 (destination) */
	u32 tpr;
	u32 ldr, dfr;		    /* xAPIC logical destination and destination format */
	u32 esr;		    /* errors collected since the last ESR write */
	u32 esr_latched;	    /* what ESR reads: esr as of the last write (SDM 11.5.3) */
	u32 lvt[7];		    /* timer, thermal, perf, LINT0, LINT1, error, CMCI */
	u32 irr[8], isr[8], tmr[8]; /* 256 bits each, vector v in word v / 32 */
	volatile u32 nmi_pending;
	u32 timer_initial, timer_divide;
	u64 timer_start;    /* host TSC when the current count started at timer_initial */
	u64 timer_deadline; /* host TSC of the next expiry; 0: the timer is not armed */
	u64 tsc_deadline;   /* IA32_TSC_DEADLINE as the guest wrote it */
};

struct vcpu {
	struct guest_regs regs; /* first: the vendor assembly gets &v->regs */
	struct guest *guest;
	u32 index;	      /* within the guest; 0 is the boot vCPU; also its APIC ID */
	u32 pcpu;	      /* the physical CPU (struct percpu cpu_index) it runs on */
	volatile u32 state;   /* enum vcpu_state; written by the owning CPU only */
	volatile u32 pending; /* VCPU_REQ_*, posted by any CPU */
	volatile u8 sipi_vector;
	u32 signature; /* CPUID.1:EAX the guest sees (EDX after INIT) */
	u64 xcr0;      /* the guest's XCR0, validated by the XSETBV policy */
	/* host TSC by which the backend must leave the guest: the next LAPIC timer expiry
	 * or platform timer edge (0: none); VMX preemption timer, SVM host APIC timer */
	u64 exit_by_tsc;
	u64 platform_next; /* boot vCPU: the next platform timer edge, host TSC (0: none) */
	struct vlapic lapic;
	struct exit_stats stats;
	struct vm_exit last_exit; /* for dumps and the console */
	struct vcpu_snapshot snap;
	volatile u32 snap_seq; /* bumped after each snapshot */
	void *hw; /* the vendor's per-vCPU state (VMCS or VMCB and bitmaps), set by vcpu_init */
};

/* ---- life cycle -------------------------------------------------------------- */

/*
 * Selects the vendor backend from CPUID and probes it (once, on the boot CPU).
 * Returns 0, or -ENODEV with *why naming what is missing ("no VMX or SVM",
 * "VMX without EPT", "SVM without NPT"...): then no guest may start.
 */
int vcpu_platform_init(const char **why);
/* The selected backend's name ("vmx", "svm"), or "none". */
const char *vcpu_platform_name(void);
/* Enables virtualization on the calling physical CPU (VMXON, EFER.SVME). */
int vcpu_cpu_enable(void);
/* The second-level table format the planner must build (EPT or NPT), see arch/vcpu_vendor.h. */
struct sl_format_info;
void vcpu_sl_format(struct sl_format_info *out);

/* The TSC frequency guests see in CPUID 0x40000001 (call after tsc_init). */
void vcpu_policy_init(u64 tsc_hz);

void vcpu_setup(struct vcpu *v, struct guest *g, u32 index, u32 pcpu);
/* On v's CPU: vendor init with the guest's second-level root; index 0 starts at boot. */
int vcpu_start(struct vcpu *v, hpa_t sl_root, const struct vcpu_init_state *boot);
/* On v's CPU: runs the vCPU until it is STOPPED. */
void vcpu_loop(struct vcpu *v);
/* Any CPU: stops v and kicks it out of guest mode (idempotent). */
void vcpu_request_stop(struct vcpu *v);
/*
 * Any CPU: asks v's CPU to fill v->snap at its next pass through
 * vcpu_process_pending; the caller waits for v->snap_seq to change.
 */
void vcpu_request_snapshot(struct vcpu *v);
/* On v's CPU: fills v->snap from the vendor's state. */
void vcpu_take_snapshot(struct vcpu *v);

/* ---- the policy core (arch/x86/vcpu.c), host-tested -------------------------------- */

enum exit_result {
	EXIT_RESUME = 0, /* handled: enter the guest again (if the vCPU is RUNNABLE) */
	EXIT_STOPPED,	 /* routed to the fatal path or the guest exited: leave the loop */
};

/* Whether v is stopped or has been asked to stop (handlers then leave the loop). */
static inline bool vcpu_stopping(const struct vcpu *v)
{
	return v->state == VCPU_STOPPED || (v->pending & VCPU_REQ_STOP);
}

/* Dispatches one decoded exit through the const handler table. */
enum exit_result vcpu_handle_exit(struct vcpu *v, struct vm_exit *e);

/*
 * Applies the requests in v->pending and returns whether the vCPU should
 * enter the guest now (RUNNABLE) or keep waiting; STOPPED ends the loop.
 */
enum vcpu_state vcpu_process_pending(struct vcpu *v);

/* Cross-CPU requests (used by the LAPIC ICR model and by the INIT/SIPI exits). */
void vcpu_post_init(struct vcpu *target);
void vcpu_post_sipi(struct vcpu *target, u8 vector);

/* Register access that routes RSP to the vendor (and sizes like the hardware). */
u64 vcpu_gpr_read(struct vcpu *v, unsigned int gpr);
void vcpu_gpr_write(struct vcpu *v, unsigned int gpr, u64 val);

/* Completes an emulated instruction: RIP += e->insn_len (through the vendor). */
void vcpu_skip(struct vcpu *v, const struct vm_exit *e);
/* Injects #GP(0) / #UD without skipping the instruction. */
void vcpu_inject_gp(struct vcpu *v);
void vcpu_inject_ud(struct vcpu *v);

/*
 * The fatal path for guest-caused failures (style.md tier 4): dumps the exit
 * and the registers to the log, then guest_stop()s the guest on all its CPUs.
 * Never stops the hypervisor. Returns EXIT_STOPPED for the caller to return.
 */
enum exit_result guest_fatal(struct vcpu *v, const struct vm_exit *e, const char *why);

/* Prints the exit counters with their cycles (one line per reason seen). */
void vcpu_print_stats(const struct vcpu *v);

/* ---- policies (arch/x86/vcpu_cpuid.c, vcpu_msr.c, vcpu_xsetbv.c), host-tested -------- */

/* The guest's view of CPUID (docs/vcpu.md "CPUID profile"). */
struct cpuid_regs;
void cpuid_policy(struct vcpu *v, u32 leaf, u32 subleaf, struct cpuid_regs *out);
/* The XCR0 bits a guest may set: the host's, limited to x87, SSE, AVX and AVX-512 state. */
u64 vcpu_xcr0_allowed(void);

/* Hypervisor CPUID leaves (docs/vcpu.md). */
#define CPUID_HV_BASE	 0x40000000U /* EAX: max hypervisor leaf; EBX,ECX,EDX: signature */
#define CPUID_HV_TSC	 0x40000001U /* EAX: TSC frequency in kHz */
#define CPUID_HV_MAX	 CPUID_HV_TSC
#define CPUID_HV_SIG_EBX 0x6b6c7542U /* "Bulk" */
#define CPUID_HV_SIG_ECX 0x64616568U /* "head" */
#define CPUID_HV_SIG_EDX 0x00000000U /* "\0\0\0\0" */

/* MSR accesses: 0, or -EPERM when the guest must get #GP (unknown MSR, bad value). */
int msr_policy_read(struct vcpu *v, u32 msr, u64 *val);
int msr_policy_write(struct vcpu *v, u32 msr, u64 val);
/*
 * Whether a vendor may leave msr unintercepted: plain guest state that the
 * hardware switches (or the hypervisor never uses) and that needs no check.
 */
bool msr_policy_direct(u32 msr);

/* The local APIC's MSRs: IA32_APIC_BASE and the x2APIC range (arch/x86/vcpu_lapic.c). */
int vlapic_msr_read(struct vcpu *v, u32 msr, u64 *val);
int vlapic_msr_write(struct vcpu *v, u32 msr, u64 val);
/* Resets the local APIC model (vcpu_start, INIT). */
void vlapic_reset(struct vcpu *v);
/* The IA32_TSC_DEADLINE MSR (0x6e0). */
int vlapic_tsc_deadline_read(struct vcpu *v, u32 msr, u64 *val);
int vlapic_tsc_deadline_write(struct vcpu *v, u32 msr, u64 val);

/* ---- the local APIC's interrupt state (arch/x86/vcpu_lapic_irq.c, _timer.c), host-tested ---- */

/* The highest vector in IRR whose priority class is above the PPR's, or -1 (SDM 11.8.3). */
int vlapic_pending_vector(const struct vcpu *v);
/* The guest got vector (it was injected): IRR -> ISR (SDM 11.8.4). */
void vlapic_accept(struct vcpu *v, u8 vector);
/* EOI: clears the highest ISR bit, forwards a level-triggered one to vioapic_eoi (11.8.5). */
void vlapic_eoi(struct vcpu *v);
/* The processor-priority register (SDM 11.8.3.1). */
u32 vlapic_ppr(const struct vcpu *v);
/* The task-priority register, as CR8 sees it (bits 7:4; SDM Vol. 3A 11.8.6.1). */
u8 vlapic_get_tpr(const struct vcpu *v);
void vlapic_set_tpr(struct vcpu *v, u8 tpr);
/* Takes a pending NMI (ICR/LVT): true once per NMI sent. */
bool vlapic_take_nmi(struct vcpu *v);
/* Fires the timer if it expired by now (host TSC): its LVT vector goes to IRR. */
void vlapic_timer_update(struct vcpu *v, u64 now);
/* The host TSC of the next timer expiry, 0 if none is armed. */
u64 vlapic_timer_next(const struct vcpu *v);
/* Timer register accesses (vcpu_lapic_timer.c). */
void vlapic_timer_write_initial(struct vcpu *v, u32 val, u64 now);
void vlapic_timer_write_lvt(struct vcpu *v, u32 val, u64 now);
void vlapic_timer_write_divide(struct vcpu *v, u32 val, u64 now);
u32 vlapic_timer_current(const struct vcpu *v, u64 now);
/* The next guest entry: fires due timers, injects the best pending interrupt or asks for a
 * window, and sets exit_by_tsc (arch/x86/vcpu_events.c). */
void vcpu_deliver_events(struct vcpu *v);
/* Whether a HALTED vCPU has a reason to run again (interrupt with IF = 1, NMI, timer). */
bool vcpu_halt_should_wake(struct vcpu *v);
/* The vCPU's next timer event, host TSC (0: none): its LAPIC timer, and for the boot vCPU
 * the platform's (the PIT). */
u64 vcpu_next_timer(const struct vcpu *v);

/* XSETBV: 0, or -EPERM for #GP (SDM Vol. 2D XSETBV; Vol. 1 13.3). */
int xsetbv_policy(struct vcpu *v, u32 xcr, u64 val);

/* The hypercall error for unknown numbers, returned in RAX (docs/vcpu.md). */
#define HC_ENOSYS ((u64)-38)

/* ---- hardware hooks (arch/x86/vcpu_hw.c; host tests provide fakes) ---------------- */

/*
 * Copies up to max bytes of the instruction at CS:RIP (arch/x86/vcpu_fetch.c);
 * returns how many could be read. *mode: the code segment's (64-bit, or CS.D).
 */
unsigned int vcpu_fetch_insn(struct vcpu *v, u8 *buf, unsigned int max, enum decode_mode *mode);
/*
 * Copies len bytes between buf and the guest-linear address la (to the guest
 * when write) through the guest's page tables and its second-level tables
 * (arch/x86/vcpu_fetch.c): 0, or -EFAULT where either has no mapping.
 */
int vcpu_linear_copy(struct vcpu *v, u64 la, void *buf, unsigned int len, bool write);

/* CPUID of the physical CPU (the policy filters it). */
void host_cpuid(u32 leaf, u32 subleaf, struct cpuid_regs *out);
/* XCR0 bits the physical CPU supports (CPUID.(EAX=0DH,ECX=0):EDX:EAX); 0 without XSAVE. */
u64 host_xcr0_supported(void);
/*
 * Kicks v's physical CPU out of guest mode or out of vcpu_halt_sleep (an NMI,
 * arch/idle.h; a no-op for the caller's own CPU).
 */
void vcpu_kick(struct vcpu *v);
/*
 * The wait of a halted vCPU (or one waiting for a SIPI) on its own CPU: halts
 * until a request is posted to v, or until deadline (host TSC; 0: none), or
 * at most HALT_SLEEP_MAX_US. Returns at once if either is already due.
 */
void vcpu_halt_sleep(struct vcpu *v, u64 deadline);
/* TSC now (exit cycle accounting). */
u64 vcpu_cycles(void);

#endif
