/* SPDX-License-Identifier: Apache-2.0 */
/*
 * What happens when the hypervisor itself faults: print the exception, every
 * register and a short frame-pointer backtrace, then stop this CPU (and ask
 * the others to stop). Also panic(), which ends the same way, and the
 * debug-only debug_fault= option that lets a test provoke an exception.
 */
#include <arch/cpu.h>
#include <arch/idle.h>
#include <arch/idt.h>
#include <arch/lapic.h>
#include <arch/percpu.h>
#include <hv/cmdline.h>
#include <hv/panic.h>
#include <hv/printk.h>
#include <hv/string.h>

#define BACKTRACE_DEPTH	    8
#define BACKTRACE_MAX_FRAME (64 * 1024) /* a larger step means rbp is not a frame pointer */
#define DEBUG_FAULT_PF_ADDR 0x00007ffffffff000ULL /* canonical, never mapped by the hypervisor */
#define DEBUG_FAULT_GP_ADDR 0x8000000000000000ULL /* non-canonical: #GP */

static volatile bool stopping; /* set once a CPU stops for good */
static u32 early_exc_depth;    /* nested-fault guard before per-CPU data exists */

/* The running CPU's per-CPU struct, or NULL when GS base does not point at one yet. */
static struct percpu *cpu_or_null(void)
{
	struct percpu *pc = (struct percpu *)(uintptr_t)rdmsr(MSR_GS_BASE);

	return pc && pc->self == pc ? pc : NULL;
}

static u32 *exc_depth(struct percpu *pc)
{
	return pc ? &pc->exc_depth : &early_exc_depth;
}

void cpu_stop_others(void)
{
	stopping = true;
	if (lapic_ready())
		lapic_send_nmi_all_but_self();
}

static __noreturn void stop_this_cpu(const char *last_line)
{
	pr_err("%s", last_line);
	cpu_stop_others();
	cpu_halt_forever();
}

static void dump_registers(const struct exc_frame *f)
{
	pr_err("  RIP %016llx  CS %04llx  RFLAGS %016llx", (unsigned long long)f->rip,
	       (unsigned long long)f->cs, (unsigned long long)f->rflags);
	pr_err("  RSP %016llx  SS %04llx", (unsigned long long)f->rsp, (unsigned long long)f->ss);
	pr_err("  RAX %016llx  RBX %016llx  RCX %016llx", (unsigned long long)f->rax,
	       (unsigned long long)f->rbx, (unsigned long long)f->rcx);
	pr_err("  RDX %016llx  RSI %016llx  RDI %016llx", (unsigned long long)f->rdx,
	       (unsigned long long)f->rsi, (unsigned long long)f->rdi);
	pr_err("  RBP %016llx  R8  %016llx  R9  %016llx", (unsigned long long)f->rbp,
	       (unsigned long long)f->r8, (unsigned long long)f->r9);
	pr_err("  R10 %016llx  R11 %016llx  R12 %016llx", (unsigned long long)f->r10,
	       (unsigned long long)f->r11, (unsigned long long)f->r12);
	pr_err("  R13 %016llx  R14 %016llx  R15 %016llx", (unsigned long long)f->r13,
	       (unsigned long long)f->r14, (unsigned long long)f->r15);
	pr_err("  CR0 %016llx  CR2 %016llx  CR3 %016llx  CR4 %016llx",
	       (unsigned long long)read_cr0(), (unsigned long long)read_cr2(),
	       (unsigned long long)read_cr3(), (unsigned long long)read_cr4());
}

/*
 * The core is built with frame pointers: [rbp] is the caller's rbp and
 * [rbp + 8] the return address. Frames grow towards higher addresses; a walk
 * that goes backwards or jumps far has left the stack and stops (core_start
 * clears rbp, which ends a good walk).
 */
static void dump_backtrace(u64 rbp)
{
	pr_err("  backtrace:");
	for (int i = 0; i < BACKTRACE_DEPTH && rbp && IS_ALIGNED(rbp, 8); i++) {
		const u64 *frame = (const u64 *)(uintptr_t)rbp;
		u64 next = frame[0];

		pr_err("    %016llx", (unsigned long long)frame[1]);
		if (next <= rbp || next - rbp > BACKTRACE_MAX_FRAME)
			break;
		rbp = next;
	}
}

static void report_exception(const struct exc_frame *f, struct percpu *pc)
{
	pr_err("bulkhead: exception %s (vector %llu) on CPU %d, error code %#llx",
	       exception_name(f->vector), (unsigned long long)f->vector,
	       pc ? (int)pc->cpu_index : -1, (unsigned long long)f->error_code);
	if (f->vector == EXC_PF)
		pr_err("  page fault address (CR2) %016llx, %s %s%s",
		       (unsigned long long)read_cr2(),
		       f->error_code & BIT(0) ? "protection violation" : "not present",
		       f->error_code & BIT(1) ? "on write" : "on read",
		       f->error_code & BIT(4) ? " (instruction fetch)" : "");
	dump_registers(f);
	dump_backtrace(f->rbp);
}

/*
 * A CPU asked to stop by cpu_stop_others(): NMIs stay blocked without IRET,
 * so hlt is final. Any other NMI is a wake-up (arch/idle.h): one that struck
 * a CPU on its way into hlt returns past the hlt.
 */
static void handle_nmi(struct exc_frame *f)
{
	if (stopping)
		cpu_halt_forever();
	f->rip = cpu_idle_nmi_return(f->rip);
}

void exception_dispatch(struct exc_frame *f)
{
	struct percpu *pc;
	u32 *depth;

	if (f->vector == EXC_SLOT_SPURIOUS) {
		lapic_spurious_interrupt();
		return;
	}
	if (f->vector == EXC_NMI) {
		handle_nmi(f);
		return;
	}
	pc = cpu_or_null();
	depth = exc_depth(pc);
	if ((*depth)++) {
		/* Faulted while reporting: say so with as little as possible. */
		pr_err("bulkhead: nested exception %s at %016llx", exception_name(f->vector),
		       (unsigned long long)f->rip);
		stop_this_cpu("bulkhead: fatal exception");
	}
	report_exception(f, pc);
	stop_this_cpu("bulkhead: fatal exception");
}

void panic(const char *fmt, ...)
{
	static volatile u32 panicking;
	char msg[256];
	va_list ap;

	irq_disable();
	/* A second panic (on this or another CPU) just stops: the first one reports. */
	if (__atomic_exchange_n(&panicking, 1, __ATOMIC_SEQ_CST))
		cpu_halt_forever();
	va_start(ap, fmt);
	hv_vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	pr_err("bulkhead: panic: %s", msg);
	dump_backtrace((u64)(uintptr_t)__builtin_frame_address(0));
	stop_this_cpu("bulkhead: halted");
}

void debug_fault_maybe(const char *cmdline)
{
	char kind[8];

	if (!cmdline_get(cmdline, "debug_fault", kind, sizeof(kind)))
		return;
	pr_warn("bulkhead: debug_fault=%s: provoking an exception", kind);
	if (!strcmp(kind, "ud"))
		__asm__ volatile("ud2");
	else if (!strcmp(kind, "pf"))
		(void)*(volatile u64 *)(uintptr_t)DEBUG_FAULT_PF_ADDR;
	else if (!strcmp(kind, "gp"))
		(void)*(volatile u64 *)(uintptr_t)DEBUG_FAULT_GP_ADDR;
	pr_warn("bulkhead: debug_fault=%s: unknown kind or no fault (want ud, pf or gp)", kind);
}
