/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Running the guest: the entry (vmx_entry.S), reading the exit fields and
 * decoding them (vmx_decode.c), entry failures, and the dump for the fatal
 * path (SDM Vol. 3C chapters 27 and 28).
 */
#include <arch/cpu.h>
#include <arch/lapic.h>
#include <arch/tsc.h>
#include <hv/compiler.h>
#include <hv/printk.h>

#include "vmcs.h"
#include "vmx.h"
#include "vmx_asm.h"
#include "vmx_bits.h"
#include "vmx_decode.h"
#include "vmx_hw.h"

#define REGS_OFF(g) __builtin_offsetof(struct guest_regs, r[g])
STATIC_ASSERT(REGS_OFF(GPR_RAX) == VMX_REGS_RAX, "vmx_asm.h: rax");
STATIC_ASSERT(REGS_OFF(GPR_RCX) == VMX_REGS_RCX, "vmx_asm.h: rcx");
STATIC_ASSERT(REGS_OFF(GPR_RDX) == VMX_REGS_RDX, "vmx_asm.h: rdx");
STATIC_ASSERT(REGS_OFF(GPR_RBX) == VMX_REGS_RBX, "vmx_asm.h: rbx");
STATIC_ASSERT(REGS_OFF(GPR_RBP) == VMX_REGS_RBP, "vmx_asm.h: rbp");
STATIC_ASSERT(REGS_OFF(GPR_RSI) == VMX_REGS_RSI, "vmx_asm.h: rsi");
STATIC_ASSERT(REGS_OFF(GPR_RDI) == VMX_REGS_RDI, "vmx_asm.h: rdi");
STATIC_ASSERT(REGS_OFF(GPR_R8) == VMX_REGS_R8, "vmx_asm.h: r8");
STATIC_ASSERT(REGS_OFF(GPR_R9) == VMX_REGS_R9, "vmx_asm.h: r9");
STATIC_ASSERT(REGS_OFF(GPR_R10) == VMX_REGS_R10, "vmx_asm.h: r10");
STATIC_ASSERT(REGS_OFF(GPR_R11) == VMX_REGS_R11, "vmx_asm.h: r11");
STATIC_ASSERT(REGS_OFF(GPR_R12) == VMX_REGS_R12, "vmx_asm.h: r12");
STATIC_ASSERT(REGS_OFF(GPR_R13) == VMX_REGS_R13, "vmx_asm.h: r13");
STATIC_ASSERT(REGS_OFF(GPR_R14) == VMX_REGS_R14, "vmx_asm.h: r14");
STATIC_ASSERT(REGS_OFF(GPR_R15) == VMX_REGS_R15, "vmx_asm.h: r15");
STATIC_ASSERT(VMX_FIELD_HOST_RSP == VMCS_HOST_RSP, "vmx_asm.h: HOST_RSP encoding");

/* raw_reason of an entry that failed as an instruction (VMfailValid/Invalid): no exit reason. */
#define VMX_ENTRY_INSN_FAILED 0xffffffffULL

/* Preemption timer period: a poll tick bounds how long a missed kick can go unnoticed. */
#define PREEMPT_TICKS_PER_SEC 100

#define MIN_U64(a, b) ((a) < (b) ? (a) : (b))

/* The poll tick, or sooner when the guest's LAPIC timer expires first (vcpu.exit_by_tsc). */
static u32 preempt_value(const struct vcpu *v)
{
	u64 ticks = tsc_hz() ? tsc_hz() / PREEMPT_TICKS_PER_SEC : (1ULL << 24);
	u64 now = rdtsc();

	if (v->exit_by_tsc)
		ticks = v->exit_by_tsc <= now ? 0 : MIN_U64(ticks, v->exit_by_tsc - now);
	ticks >>= vmx_cfg.timer_rate;
	return ticks > 0xffffffffULL ? 0xffffffffU : (u32)ticks;
}

/* Guest XCR0 while it runs (SDM Vol. 1 13.3): the physical CPU is the guest's, so it stays. */
static void load_xcr0(struct vcpu *v, struct vmx_vcpu *x)
{
	if (x->hw_xcr0 == v->xcr0 || !(read_cr4() & CR4_OSXSAVE))
		return;
	xsetbv0(v->xcr0);
	x->hw_xcr0 = v->xcr0;
}

static void entry_insn_failed(struct vcpu *v, struct vm_exit *out)
{
	u32 err = (u32)vmread(VMCS_VM_INSN_ERROR);

	*out = (struct vm_exit){0};
	out->reason = EXIT_ENTRY_FAILED;
	out->raw_reason = VMX_ENTRY_INSN_FAILED;
	out->raw_info = err;
	out->rip = vmread(VMCS_GUEST_RIP);
	pr_err("vmx: cpu %u: VM entry failed: VM-instruction error %u (%s)", v->index, err,
	       vmx_insn_error_name(err));
}

static void read_exit(struct vcpu *v, struct vmx_exit_raw *raw, u64 *gpr)
{
	for (unsigned int i = 0; i < GPR_COUNT; i++)
		gpr[i] = v->regs.r[i];
	gpr[GPR_RSP] = vmread(VMCS_GUEST_RSP);
	raw->reason = (u32)vmread(VMCS_EXIT_REASON);
	raw->qual = vmread(VMCS_EXIT_QUALIFICATION);
	raw->intr_info = (u32)vmread(VMCS_EXIT_INTR_INFO);
	raw->intr_error = (u32)vmread(VMCS_EXIT_INTR_ERROR);
	raw->insn_len = (u32)vmread(VMCS_EXIT_INSN_LEN);
	raw->gpa = vmread(VMCS_GUEST_PHYS_ADDR);
	raw->gla = vmread(VMCS_GUEST_LINEAR_ADDR);
	raw->rip = vmread(VMCS_GUEST_RIP);
	raw->cr0 = vmx_get_reg(v, VCPU_REG_CR0);
	raw->gpr = gpr;
}

/*
 * An exit in the middle of delivering an event (IDT-vectoring information,
 * SDM Vol. 3C 28.2.4) must deliver it again on the next entry (29.2.1.1).
 */
static void reinject_vectoring(void)
{
	u32 info = (u32)vmread(VMCS_IDT_VECTORING_INFO);
	u32 type = info & INTR_INFO_TYPE_MASK;

	if (!(info & INTR_INFO_VALID))
		return;
	if (info & INTR_INFO_HAS_ERROR)
		vmcs_write(VMCS_ENTRY_EXC_ERROR_CODE, vmread(VMCS_IDT_VECTORING_ERROR));
	if (type == INTR_TYPE_SW_INTR || type == INTR_TYPE_PRIV_SW_EXC || type == INTR_TYPE_SW_EXC)
		vmcs_write(VMCS_ENTRY_INSN_LEN, vmread(VMCS_EXIT_INSN_LEN));
	vmcs_write(VMCS_ENTRY_INTR_INFO, info & ~INTR_INFO_NMI_UNBLOCK);
}

/* #DB exits leave DR6 unchanged; the qualification holds what DR6 would get (28.2.1). */
static void sync_dr6(u64 qual)
{
	u64 dr6 = 0xffff0ff0ULL | (qual & 0x600fULL); /* B0-B3, BD, BS */

	__asm__ volatile("mov %0, %%dr6" : : "r"(dr6));
}

/*
 * An NMI that caused a VM exit counts as delivered: the host is left with NMIs
 * blocked until it executes an IRET (SDM Vol. 3C 25.3 and 28.x, "NMI exiting").
 * The hypervisor's kicks are NMIs, so without this the CPU could never be
 * woken from its park loop again. An IRET to the next instruction unblocks.
 */
static void nmi_unblock(void)
{
	__asm__ volatile("mov %%ss, %%ecx\n\t"
			 "mov %%rsp, %%rax\n\t"
			 "push %%rcx\n\t"
			 "push %%rax\n\t"
			 "pushfq\n\t"
			 "mov %%cs, %%ecx\n\t"
			 "push %%rcx\n\t"
			 "lea 1f(%%rip), %%rax\n\t"
			 "push %%rax\n\t"
			 "iretq\n"
			 "1:"
			 :
			 :
			 : "rax", "rcx", "memory", "cc");
}

/*
 * A fault on the guest's IRET out of an NMI handler cleared virtual-NMI
 * blocking; the IRET runs again after the exit is handled, so the blocking
 * must be in place until then (SDM Vol. 3C 28.2.3). Not when the exit
 * interrupted an event's delivery: that event is delivered again instead.
 */
static void restore_nmi_blocking(const struct vmx_exit_raw *raw)
{
	if (!vmx_exit_unblocked_nmi(raw) || (vmread(VMCS_IDT_VECTORING_INFO) & INTR_INFO_VALID))
		return;
	vmcs_write(VMCS_GUEST_INTERRUPTIBILITY,
		   vmread(VMCS_GUEST_INTERRUPTIBILITY) | INTERRUPTIBILITY_NMI);
}

/* Host work an exit carries with it: the acknowledged interrupt wants its EOI (28.2.2). */
static void finish_exit(const struct vm_exit *e)
{
	if (e->reason == EXIT_NMI)
		nmi_unblock();
	if (e->reason == EXIT_EXT_INTR)
		lapic_eoi();
	else if (e->reason == EXIT_EXCEPTION && e->u.exc.vector == X86_EXC_DB)
		sync_dr6(e->raw_qual);
	if (e->reason != EXIT_ENTRY_FAILED)
		reinject_vectoring();
}

void vmx_vcpu_run(struct vcpu *v, struct vm_exit *out)
{
	struct vmx_vcpu *x = to_vmx(v);
	struct vmx_exit_raw raw;
	u64 gpr[GPR_COUNT];

	load_xcr0(v, x);
	if (vmx_cfg.pin & PIN_PREEMPT_TIMER)
		vmcs_write(VMCS_PREEMPTION_TIMER, preempt_value(v));
	if (vmx_enter(&v->regs, x->launched)) {
		entry_insn_failed(v, out);
		return;
	}
	x->launched = true;
	read_exit(v, &raw, gpr);
	vmx_decode_exit(&raw, out);
	restore_nmi_blocking(&raw);
	finish_exit(out);
}

/* ---- the fatal-path dump ---- */

static const char *entry_failure_hint(u32 basic)
{
	switch (basic) {
	case VMX_EXIT_BAD_GUEST_STATE:
		return "invalid guest state (SDM Vol. 3C 27.3.1): check CR0/CR4 against the "
		       "fixed bits, EFER.LMA against the IA-32e entry control, segment access "
		       "rights (type, S, DPL, P, unusable, G vs limit), TR/LDTR types, RFLAGS "
		       "bit 1 and VM, activity and interruptibility state, the VMCS link pointer";
	case VMX_EXIT_MSR_LOADING:
		return "MSR loading failed (27.4); the qualification is the failing entry";
	case VMX_EXIT_MACHINE_CHECK:
		return "machine-check event during VM entry (27.8)";
	default:
		return "unknown VM-entry failure";
	}
}

/* Guest-state fields are the type-2 encodings (bits 11:10, SDM Vol. 3C 25.11.2). */
static bool is_guest_state(u32 enc)
{
	return ((enc >> 10) & 3) == 2;
}

static void dump_guest_state(void)
{
	char line[160];
	size_t len = 0;

	for (u32 i = 0; i < vmcs_field_count(); i++) {
		u32 enc = vmcs_field_at(i);

		if (!is_guest_state(enc))
			continue;
		len += (size_t)hv_snprintf(line + len, sizeof(line) - len, " %s=%llx",
					   vmcs_field_name(enc), (unsigned long long)vmread(enc));
		if (len > 100) {
			pr_err("  vmx:%s", line);
			len = 0;
		}
	}
	if (len)
		pr_err("  vmx:%s", line);
}

static void dump_entry_failure(const struct vm_exit *e)
{
	if (e->raw_reason == VMX_ENTRY_INSN_FAILED) {
		pr_err("  vmx: VM-instruction error %llu: %s", (unsigned long long)e->raw_info,
		       vmx_insn_error_name((u32)e->raw_info));
		pr_err("  vmx: controls pin=%llx proc=%llx proc2=%llx exit=%llx entry=%llx",
		       (unsigned long long)vmread(VMCS_PIN_CONTROLS),
		       (unsigned long long)vmread(VMCS_PROC_CONTROLS),
		       (unsigned long long)vmread(VMCS_PROC_CONTROLS2),
		       (unsigned long long)vmread(VMCS_EXIT_CONTROLS),
		       (unsigned long long)vmread(VMCS_ENTRY_CONTROLS));
	} else {
		pr_err("  vmx: entry failure, exit reason %llu: %s",
		       (unsigned long long)(e->raw_reason & VMX_EXIT_REASON_MASK),
		       entry_failure_hint((u32)(e->raw_reason & VMX_EXIT_REASON_MASK)));
	}
	pr_err("  vmx: entry controls=%llx", (unsigned long long)vmread(VMCS_ENTRY_CONTROLS));
	dump_guest_state();
}

void vmx_dump(struct vcpu *v, const struct vm_exit *e)
{
	pr_err("  vmx: reason=%llu qual=%llx gla=%llx gpa=%llx intr-info=%llx",
	       (unsigned long long)(e->raw_reason & VMX_EXIT_REASON_MASK),
	       (unsigned long long)vmread(VMCS_EXIT_QUALIFICATION),
	       (unsigned long long)vmread(VMCS_GUEST_LINEAR_ADDR),
	       (unsigned long long)vmread(VMCS_GUEST_PHYS_ADDR),
	       (unsigned long long)vmread(VMCS_EXIT_INTR_INFO));
	pr_err("  vmx: interruptibility=%llx activity=%llx idt-vectoring=%llx insn-error=%llu",
	       (unsigned long long)vmread(VMCS_GUEST_INTERRUPTIBILITY),
	       (unsigned long long)vmread(VMCS_GUEST_ACTIVITY),
	       (unsigned long long)vmread(VMCS_IDT_VECTORING_INFO),
	       (unsigned long long)vmread(VMCS_VM_INSN_ERROR));
	if (e->reason == EXIT_ENTRY_FAILED)
		dump_entry_failure(e);
}
