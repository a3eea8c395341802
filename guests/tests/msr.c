/* SPDX-License-Identifier: Apache-2.0 */
/*
 * msr: RDMSR and WRMSR of an MSR no CPU has must raise #GP (Intel SDM Vol. 2B,
 * RDMSR/WRMSR "Protected Mode Exceptions"); the hypervisor's allow-list must
 * inject it rather than answer or ignore.
 */
#include "rt.h"

#define UNKNOWN_MSR  0xdeadbeefu
#define VEC_GP	     13
#define VEC_UD	     6
#define MSR_INSN_LEN 2 /* 0f 32 (rdmsr), 0f 30 (wrmsr) */
#define UD2_LEN	     2 /* 0f 0b */

const char guest_name[] = "msr";

void guest_main(uint32_t magic, const struct mb_info *mbi)
{
	uint32_t lo = 0, hi = 0;

	/* First prove that the trap path works at all, with an exception nobody intercepts. */
	rt_expect_trap(VEC_UD, UD2_LEN);
	__asm__ volatile("ud2");
	if (rt_trap_count() != 1)
		rt_fail("ud2 was not caught");
	rt_printf("msr: self-check: #UD caught and resumed\n");

	rt_expect_trap(VEC_GP, MSR_INSN_LEN);
	__asm__ volatile("rdmsr" : "=a"(lo), "=d"(hi) : "c"(UNKNOWN_MSR));
	if (rt_trap_count() != 2)
		rt_fail("rdmsr 0x%x gave 0x%08x%08x without #GP", UNKNOWN_MSR, hi, lo);
	rt_printf("msr: rdmsr 0x%x raised #GP\n", UNKNOWN_MSR);

	rt_expect_trap(VEC_GP, MSR_INSN_LEN);
	__asm__ volatile("wrmsr" : : "a"(0), "d"(0), "c"(UNKNOWN_MSR));
	if (rt_trap_count() != 3)
		rt_fail("wrmsr 0x%x did not raise #GP", UNKNOWN_MSR);
	rt_printf("msr: wrmsr 0x%x raised #GP\n", UNKNOWN_MSR);
	rt_pass();
}
