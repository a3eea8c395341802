/* SPDX-License-Identifier: Apache-2.0 */
/* VMCS field list (arch/x86/vmx/vmcs.h, vmcs_names.c): widths, names, uniqueness, errors. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "../../arch/x86/vmx/vmcs.h"

/* Each field's declared width matches the width its encoding carries (App. B). */
static void test_widths(void **state)
{
	assert_true(vmcs_field_count() > 100);
	for (u32 i = 0; i < vmcs_field_count(); i++) {
		u32 enc = vmcs_field_at(i);

		assert_int_equal((int)vmcs_field_width(enc), vmcs_field_declared_width(enc));
		assert_int_equal(enc & 1, 0); /* "full" access type, never the high half */
		assert_true(enc < 0x8000);
	}
}

static void test_known_encodings(void **state)
{
	/* Spot checks against SDM Vol. 3D Appendix B. */
	assert_int_equal(VMCS_VPID, 0x0000);
	assert_int_equal(VMCS_GUEST_CS_SEL, 0x0802);
	assert_int_equal(VMCS_HOST_TR_SEL, 0x0c0c);
	assert_int_equal(VMCS_EPT_POINTER, 0x201a);
	assert_int_equal(VMCS_VMCS_LINK_POINTER, 0x2800);
	assert_int_equal(VMCS_PROC_CONTROLS2, 0x401e);
	assert_int_equal(VMCS_EXIT_REASON, 0x4402);
	assert_int_equal(VMCS_GUEST_TR_AR, 0x4822);
	assert_int_equal(VMCS_PREEMPTION_TIMER, 0x482e);
	assert_int_equal(VMCS_GUEST_RIP, 0x681e);
	assert_int_equal(VMCS_HOST_RIP, 0x6c16);
	assert_int_equal(vmcs_field_width(VMCS_GUEST_ES_SEL), VMCS_W16);
	assert_int_equal(vmcs_field_width(VMCS_EPT_POINTER), VMCS_W64);
	assert_int_equal(vmcs_field_width(VMCS_GUEST_CS_AR), VMCS_W32);
	assert_int_equal(vmcs_field_width(VMCS_GUEST_CR0), VMCS_WNAT);
	/* Segment fields step by 2 in enum seg_reg order (vmx_state.c relies on it). */
	assert_int_equal(VMCS_GUEST_ES_SEL + 2 * 7, VMCS_GUEST_TR_SEL);
	assert_int_equal(VMCS_GUEST_ES_LIMIT + 2 * 7, VMCS_GUEST_TR_LIMIT);
	assert_int_equal(VMCS_GUEST_ES_AR + 2 * 7, VMCS_GUEST_TR_AR);
	assert_int_equal(VMCS_GUEST_ES_BASE + 2 * 7, VMCS_GUEST_TR_BASE);
}

static void test_names_unique(void **state)
{
	for (u32 i = 0; i < vmcs_field_count(); i++) {
		for (u32 j = i + 1; j < vmcs_field_count(); j++)
			assert_int_not_equal(vmcs_field_at(i), vmcs_field_at(j));
		assert_non_null(vmcs_field_name(vmcs_field_at(i)));
	}
	assert_string_equal(vmcs_field_name(VMCS_GUEST_CS_AR), "GUEST_CS_AR");
	assert_null(vmcs_field_name(0x7ffe));
	assert_int_equal(vmcs_field_declared_width(0x7ffe), -1);
}

static void test_insn_errors(void **state)
{
	assert_string_equal(vmx_insn_error_name(7), "VM entry with invalid control field(s)");
	assert_string_equal(vmx_insn_error_name(8), "VM entry with invalid host-state field(s)");
	assert_string_equal(vmx_insn_error_name(12),
			    "VMREAD/VMWRITE from/to unsupported VMCS component");
	assert_string_equal(vmx_insn_error_name(14), "unknown VM-instruction error");
	assert_string_equal(vmx_insn_error_name(1000), "unknown VM-instruction error");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_widths),
		cmocka_unit_test(test_known_encodings),
		cmocka_unit_test(test_names_unique),
		cmocka_unit_test(test_insn_errors),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
