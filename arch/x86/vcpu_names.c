/* SPDX-License-Identifier: Apache-2.0 */
/* Stable exit reason names: the console, the counters and docs/vcpu.md use them. */
#include <arch/exit.h>

static const char *const exit_names[EXIT_REASON_COUNT] = {
	[EXIT_UNHANDLED] = "unhandled",
	[EXIT_CPUID] = "cpuid",
	[EXIT_RDMSR] = "rdmsr",
	[EXIT_WRMSR] = "wrmsr",
	[EXIT_IO] = "io",
	[EXIT_HLT] = "hlt",
	[EXIT_INIT] = "init",
	[EXIT_SIPI] = "sipi",
	[EXIT_XSETBV] = "xsetbv",
	[EXIT_HYPERCALL] = "hypercall",
	[EXIT_CR_WRITE] = "cr-write",
	[EXIT_TRIPLE_FAULT] = "triple-fault",
	[EXIT_SL_FAULT] = "sl-fault",
	[EXIT_EXT_INTR] = "ext-intr",
	[EXIT_NMI] = "nmi",
	[EXIT_PREEMPT_TIMER] = "preempt-timer",
	[EXIT_ENTRY_FAILED] = "entry-failed",
	[EXIT_EXCEPTION] = "exception",
	[EXIT_UD_INSN] = "ud-insn",
	[EXIT_INVD] = "invd",
	[EXIT_INTR_WINDOW] = "intr-window",
	[EXIT_CR_READ] = "cr-read",
};

const char *exit_reason_name(enum exit_reason r)
{
	if ((unsigned int)r >= EXIT_REASON_COUNT || !exit_names[r])
		return "?";
	return exit_names[r];
}
