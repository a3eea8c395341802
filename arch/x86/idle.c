/* SPDX-License-Identifier: Apache-2.0 */
/* The C half of the race-free halt (include/arch/idle.h, arch/x86/idle.S). */
#include <arch/idle.h>
#include <arch/lapic.h>

extern const char idle_window_start[], idle_window_hlt[], idle_resume[];

void cpu_wake(struct percpu *pc)
{
	__atomic_store_n(&pc->wake, 1, __ATOMIC_SEQ_CST);
	lapic_send_nmi(pc->apic_id);
}

u64 cpu_idle_nmi_return(u64 rip)
{
	if (rip >= (u64)(uintptr_t)idle_window_start && rip <= (u64)(uintptr_t)idle_window_hlt)
		return (u64)(uintptr_t)idle_resume;
	return rip;
}
