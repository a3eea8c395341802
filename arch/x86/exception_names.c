/* SPDX-License-Identifier: Apache-2.0 */
/* Exception vector names (Intel SDM Vol. 3A Table "Protected-Mode Exceptions and Interrupts"; AMD
 * APM Vol. 2 §8.2). */
#include <arch/idt.h>

static const char *const names[EXC_COUNT] = {
	[EXC_DE] = "#DE divide error",
	[EXC_DB] = "#DB debug",
	[EXC_NMI] = "NMI non-maskable interrupt",
	[EXC_BP] = "#BP breakpoint",
	[EXC_OF] = "#OF overflow",
	[EXC_BR] = "#BR bound range exceeded",
	[EXC_UD] = "#UD invalid opcode",
	[EXC_NM] = "#NM device not available",
	[EXC_DF] = "#DF double fault",
	[9] = "coprocessor segment overrun",
	[EXC_TS] = "#TS invalid TSS",
	[EXC_NP] = "#NP segment not present",
	[EXC_SS] = "#SS stack-segment fault",
	[EXC_GP] = "#GP general protection",
	[EXC_PF] = "#PF page fault",
	[EXC_MF] = "#MF x87 floating-point error",
	[EXC_AC] = "#AC alignment check",
	[EXC_MC] = "#MC machine check",
	[EXC_XM] = "#XM SIMD floating-point exception",
	[EXC_VE] = "#VE virtualization exception",
	[EXC_CP] = "#CP control protection",
	[EXC_HV] = "#HV hypervisor injection",
	[EXC_VC] = "#VC VMM communication",
	[EXC_SX] = "#SX security exception",
};

const char *exception_name(u64 vector)
{
	if (vector < EXC_COUNT && names[vector])
		return names[vector];
	return vector < EXC_COUNT ? "reserved" : "interrupt";
}
