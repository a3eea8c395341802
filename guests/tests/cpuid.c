/* SPDX-License-Identifier: Apache-2.0 */
/*
 * cpuid: what Bulkhead's CPUID filter promises (docs/guests.md, "CPUID
 * hypervisor leaves"): the hypervisor leaves 0x40000000.. with the
 * "Bulkhead" signature and the TSC frequency, and VMX and SVM hidden.
 */
#include "rt.h"

#define LEAF_FEATURES	  0x1
#define LEAF_EXT_MAX	  0x80000000u
#define LEAF_EXT_FEATURES 0x80000001u
#define LEAF_HV_BASE	  0x40000000u
#define LEAF_HV_TSC	  0x40000001u
#define ECX_VMX		  (1u << 5)   /* CPUID.1:ECX bit 5 (Intel SDM Vol. 2A, CPUID) */
#define ECX_HYPERVISOR	  (1u << 31)  /* CPUID.1:ECX bit 31: running under a hypervisor */
#define EXT_ECX_SVM	  (1u << 2)   /* CPUID.80000001h:ECX bit 2 (AMD APM Vol. 3, E.4.2) */
#define SIG_EBX		  0x6b6c7542u /* "Bulk" */
#define SIG_ECX		  0x64616568u /* "head" */
#define SIG_EDX		  0u

const char guest_name[] = "cpuid";

static void check_signature(void)
{
	uint32_t a, b, c, d;
	char sig[13];

	cpuid(LEAF_HV_BASE, &a, &b, &c, &d);
	for (int i = 0; i < 4; i++) {
		sig[i] = (char)(b >> (8 * i));
		sig[4 + i] = (char)(c >> (8 * i));
		sig[8 + i] = (char)(d >> (8 * i));
	}
	for (int i = 0; i < 12; i++)
		if (sig[i] < 0x20 || sig[i] > 0x7e)
			sig[i] = '.';
	sig[12] = '\0';
	rt_printf("cpuid: leaf 0x40000000: max 0x%08x signature \"%s\"\n", a, sig);
	if (b != SIG_EBX || c != SIG_ECX || d != SIG_EDX)
		rt_fail("not under Bulkhead: signature \"%s\"", sig);
	if (a < LEAF_HV_TSC)
		rt_fail("max hypervisor leaf 0x%08x is below 0x40000001", a);
}

static void check_tsc_leaf(void)
{
	uint32_t a, b, c, d;

	cpuid(LEAF_HV_TSC, &a, &b, &c, &d);
	rt_printf("cpuid: leaf 0x40000001: TSC %u kHz\n", a);
	if (a == 0)
		rt_fail("leaf 0x40000001 gives no TSC frequency");
}

static void check_hidden(void)
{
	uint32_t a, b, c, d;

	cpuid(LEAF_FEATURES, &a, &b, &c, &d);
	rt_printf("cpuid: leaf 1 ecx=0x%08x\n", c);
	if (c & ECX_VMX)
		rt_fail("VMX is visible (CPUID.1:ECX bit 5)");
	if (!(c & ECX_HYPERVISOR))
		rt_fail("hypervisor-present bit (CPUID.1:ECX bit 31) is clear");
	cpuid(LEAF_EXT_MAX, &a, &b, &c, &d);
	if (a < LEAF_EXT_FEATURES)
		return;
	cpuid(LEAF_EXT_FEATURES, &a, &b, &c, &d);
	rt_printf("cpuid: leaf 0x80000001 ecx=0x%08x\n", c);
	if (c & EXT_ECX_SVM)
		rt_fail("SVM is visible (CPUID.80000001h:ECX bit 2)");
}

void guest_main(uint32_t magic, const struct mb_info *mbi)
{
	check_signature();
	check_tsc_leaf();
	check_hidden();
	rt_pass();
}
