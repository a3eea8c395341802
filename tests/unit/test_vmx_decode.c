/* SPDX-License-Identifier: Apache-2.0 */
/*
 * VMX exit decoding (arch/x86/vmx/vmx_decode.c): every raw reason maps to a
 * neutral one (or UNHANDLED), the qualification layouts decode as the SDM
 * tables say, and entry failures are recognised by bit 31.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include <arch/cpu.h>
#include <arch/vcpu_vendor.h>

#include "../../arch/x86/vmx/vmx_bits.h"
#include "../../arch/x86/vmx/vmx_decode.h"

static u64 gprs[GPR_COUNT];

static struct vmx_exit_raw raw_exit(u32 reason, u64 qual)
{
	struct vmx_exit_raw r = {0};

	for (unsigned int i = 0; i < GPR_COUNT; i++)
		gprs[i] = 0x1000 + i;
	r.reason = reason;
	r.qual = qual;
	r.insn_len = 2;
	r.rip = 0x100000;
	r.gpr = gprs;
	return r;
}

static enum exit_reason decode(u32 reason, u64 qual, struct vm_exit *e)
{
	struct vmx_exit_raw r = raw_exit(reason, qual);

	vmx_decode_exit(&r, e);
	return e->reason;
}

static void test_simple_reasons(void **state)
{
	struct vm_exit e;
	const struct {
		u32 raw;
		enum exit_reason neutral;
		bool has_len;
	} cases[] = {
		{VMX_EXIT_CPUID, EXIT_CPUID, true},
		{VMX_EXIT_HLT, EXIT_HLT, true},
		{VMX_EXIT_RDMSR, EXIT_RDMSR, true},
		{VMX_EXIT_WRMSR, EXIT_WRMSR, true},
		{VMX_EXIT_XSETBV, EXIT_XSETBV, true},
		{VMX_EXIT_VMCALL, EXIT_HYPERCALL, true},
		{VMX_EXIT_INVD, EXIT_INVD, true},
		{VMX_EXIT_VMXON, EXIT_UD_INSN, true},
		{VMX_EXIT_VMLAUNCH, EXIT_UD_INSN, true},
		{VMX_EXIT_INVEPT, EXIT_UD_INSN, true},
		{VMX_EXIT_INVVPID, EXIT_UD_INSN, true},
		{VMX_EXIT_TRIPLE_FAULT, EXIT_TRIPLE_FAULT, false},
		{VMX_EXIT_INIT, EXIT_INIT, false},
		{VMX_EXIT_EXT_INTR, EXIT_EXT_INTR, false},
		{VMX_EXIT_PREEMPT_TIMER, EXIT_PREEMPT_TIMER, false},
	};

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		assert_int_equal(decode(cases[i].raw, 0, &e), cases[i].neutral);
		assert_int_equal(e.insn_len, cases[i].has_len ? 2 : 0);
		assert_int_equal(e.rip, 0x100000);
		assert_int_equal(e.raw_reason, cases[i].raw);
	}
}

/* No raw reason is silently dropped: each one is mapped, or UNHANDLED (fatal). */
static void test_every_reason(void **state)
{
	struct vm_exit e;

	for (u32 r = 0; r < 0x10000; r++) {
		enum exit_reason n = decode(r, 0, &e);

		assert_true(n < EXIT_REASON_COUNT);
		if (!vmx_exit_mapped(r))
			assert_int_equal(n, EXIT_UNHANDLED);
	}
	/* Reasons the hypervisor never enables stay fatal rather than being skipped. */
	assert_int_equal(decode(VMX_EXIT_TASK_SWITCH, 0, &e), EXIT_UNHANDLED);
	assert_int_equal(decode(VMX_EXIT_MOV_DR, 0, &e), EXIT_UNHANDLED);
	assert_int_equal(decode(VMX_EXIT_RDTSC, 0, &e), EXIT_UNHANDLED);
	assert_int_equal(decode(VMX_EXIT_MAX + 5, 0, &e), EXIT_UNHANDLED);
}

static void test_entry_failure(void **state)
{
	struct vm_exit e;

	assert_int_equal(decode(VMX_EXIT_ENTRY_FAILED | VMX_EXIT_BAD_GUEST_STATE, 0, &e),
			 EXIT_ENTRY_FAILED);
	assert_int_equal(decode(VMX_EXIT_ENTRY_FAILED | VMX_EXIT_MSR_LOADING, 3, &e),
			 EXIT_ENTRY_FAILED);
	assert_int_equal(e.raw_qual, 3);
	assert_int_equal(decode(VMX_EXIT_ENTRY_FAILED | VMX_EXIT_MACHINE_CHECK, 0, &e),
			 EXIT_ENTRY_FAILED);
}

static void test_io(void **state)
{
	struct vm_exit e;

	/* out %al, $0xf4: size 1, OUT, immediate (bit 6), port 0xf4. */
	assert_int_equal(decode(VMX_EXIT_IO, (0xf4ULL << 16) | BIT64(6), &e), EXIT_IO);
	assert_int_equal(e.u.io.port, 0xf4);
	assert_int_equal(e.u.io.size, 1);
	assert_false(e.u.io.in);
	assert_false(e.u.io.string);
	assert_int_equal(e.insn_len, 2);
	/* in %dx, %eax from 0x3fd: size 4 (encoded 3), IN. */
	decode(VMX_EXIT_IO, (0x3fdULL << 16) | IOQ_IN | 3, &e);
	assert_int_equal(e.u.io.port, 0x3fd);
	assert_int_equal(e.u.io.size, 4);
	assert_true(e.u.io.in);
	/* rep outsw to 0x1f0. */
	decode(VMX_EXIT_IO, (0x1f0ULL << 16) | IOQ_REP | IOQ_STRING | 1, &e);
	assert_int_equal(e.u.io.size, 2);
	assert_true(e.u.io.string);
	assert_true(e.u.io.rep);
}

static void test_cr_access(void **state)
{
	struct vm_exit e;

	/* mov %rbx, %cr0: CR 0, type MOV to CR, GPR 3. */
	assert_int_equal(decode(VMX_EXIT_CR_ACCESS, (3ULL << CRQ_GPR_SHIFT), &e), EXIT_CR_WRITE);
	assert_int_equal(e.u.cr.cr, 0);
	assert_int_equal(e.u.cr.value, 0x1000 + GPR_RBX);
	/* mov %r12, %cr4 */
	decode(VMX_EXIT_CR_ACCESS, 4 | (12ULL << CRQ_GPR_SHIFT), &e);
	assert_int_equal(e.u.cr.cr, 4);
	assert_int_equal(e.u.cr.value, 0x1000 + GPR_R12);
	/* mov %rsp, %cr4 reads the RSP the caller filled in. */
	decode(VMX_EXIT_CR_ACCESS, 4 | (4ULL << CRQ_GPR_SHIFT), &e);
	assert_int_equal(e.u.cr.value, 0x1000 + GPR_RSP);
	/* mov %rdx, %cr8 and mov %cr8, %r9: the TPR, both ways. */
	assert_int_equal(decode(VMX_EXIT_CR_ACCESS, 8 | (2ULL << CRQ_GPR_SHIFT), &e),
			 EXIT_CR_WRITE);
	assert_int_equal(e.u.cr.cr, 8);
	assert_int_equal(e.u.cr.value, 0x1000 + GPR_RDX);
	assert_int_equal(decode(VMX_EXIT_CR_ACCESS,
				8 | (CRQ_TYPE_MOV_FROM << CRQ_TYPE_SHIFT) | (9ULL << CRQ_GPR_SHIFT),
				&e),
			 EXIT_CR_READ);
	assert_int_equal(e.u.cr.cr, 8);
	assert_int_equal(e.u.cr.gpr, GPR_R9);
	assert_int_equal(e.insn_len, 2);
	/* MOV to CR3 and MOV from CR0 are not expected: fatal, not ignored. */
	assert_int_equal(decode(VMX_EXIT_CR_ACCESS, 3, &e), EXIT_UNHANDLED);
	assert_int_equal(decode(VMX_EXIT_CR_ACCESS, (CRQ_TYPE_MOV_FROM << CRQ_TYPE_SHIFT), &e),
			 EXIT_UNHANDLED);
	assert_int_equal(decode(VMX_EXIT_CR_ACCESS, (CRQ_TYPE_CLTS << CRQ_TYPE_SHIFT), &e),
			 EXIT_UNHANDLED);
}

static void test_lmsw(void **state)
{
	struct vmx_exit_raw r =
		raw_exit(VMX_EXIT_CR_ACCESS,
			 (CRQ_TYPE_LMSW << CRQ_TYPE_SHIFT) | (0xeULL << CRQ_LMSW_SRC_SHIFT));
	struct vm_exit e;

	/* LMSW with PE clear cannot leave protected mode; MP/EM/TS come from the source. */
	r.cr0 = 0x80000011ULL;
	vmx_decode_exit(&r, &e);
	assert_int_equal(e.reason, EXIT_CR_WRITE);
	assert_int_equal(e.u.cr.cr, 0);
	assert_int_equal(e.u.cr.value, 0x8000001fULL);
}

static void test_ept(void **state)
{
	struct vmx_exit_raw r = raw_exit(VMX_EXIT_EPT_VIOLATION, EPTQ_WRITE | EPTQ_GLA_VALID);
	struct vm_exit e;

	r.gpa = 0xfee00030;
	r.gla = 0xfee00030;
	vmx_decode_exit(&r, &e);
	assert_int_equal(e.reason, EXIT_SL_FAULT);
	assert_int_equal(e.u.sl.gpa, 0xfee00030);
	assert_int_equal(e.u.sl.access, SL_ACCESS_WRITE);
	assert_true(e.u.sl.gla_valid);
	assert_int_equal(e.u.sl.gla, 0xfee00030);
	assert_false(e.u.sl.misconfig);
	assert_int_equal(e.insn_len, 0);

	r = raw_exit(VMX_EXIT_EPT_VIOLATION, EPTQ_FETCH | EPTQ_READ);
	r.gpa = 0x40000000;
	vmx_decode_exit(&r, &e);
	assert_int_equal(e.u.sl.access, SL_ACCESS_EXEC | SL_ACCESS_READ);
	assert_false(e.u.sl.gla_valid);

	r = raw_exit(VMX_EXIT_EPT_MISCONFIG, 0);
	r.gpa = 0x2000;
	vmx_decode_exit(&r, &e);
	assert_int_equal(e.reason, EXIT_SL_FAULT);
	assert_true(e.u.sl.misconfig);
	assert_int_equal(e.u.sl.gpa, 0x2000);
}

static void test_exceptions_and_nmi(void **state)
{
	struct vmx_exit_raw r = raw_exit(VMX_EXIT_EXC_NMI, 0);
	struct vm_exit e;

	r.intr_info = INTR_INFO_VALID | INTR_TYPE_NMI | 2;
	vmx_decode_exit(&r, &e);
	assert_int_equal(e.reason, EXIT_NMI);

	r = raw_exit(VMX_EXIT_EXC_NMI, 0);
	r.intr_info = INTR_INFO_VALID | INTR_TYPE_HW_EXC | INTR_INFO_HAS_ERROR | 17;
	r.intr_error = 0;
	vmx_decode_exit(&r, &e);
	assert_int_equal(e.reason, EXIT_EXCEPTION);
	assert_int_equal(e.u.exc.vector, 17);
	assert_true(e.u.exc.has_error);

	r = raw_exit(VMX_EXIT_EXC_NMI, 0xdead000);
	r.intr_info = INTR_INFO_VALID | INTR_TYPE_HW_EXC | INTR_INFO_HAS_ERROR | 14;
	r.intr_error = 6;
	vmx_decode_exit(&r, &e);
	assert_int_equal(e.u.exc.vector, 14);
	assert_int_equal(e.u.exc.error, 6);
	assert_int_equal(e.u.exc.cr2, 0xdead000);

	r = raw_exit(VMX_EXIT_EXC_NMI, 0x4001);
	r.intr_info = INTR_INFO_VALID | INTR_TYPE_HW_EXC | 1;
	vmx_decode_exit(&r, &e);
	assert_int_equal(e.u.exc.vector, 1);
	assert_false(e.u.exc.has_error);
}

/* A fault on an IRET that unblocked virtual NMIs: bit 12, per exit kind (SDM 28.2.3). */
static void test_nmi_unblocking_iret(void **state)
{
	struct vmx_exit_raw r = raw_exit(VMX_EXIT_EPT_VIOLATION, EPTQ_READ | EPTQ_NMI_UNBLOCK);

	assert_true(vmx_exit_unblocked_nmi(&r));
	r.qual = EPTQ_READ;
	assert_false(vmx_exit_unblocked_nmi(&r));
	r = raw_exit(VMX_EXIT_EXC_NMI, 0);
	r.intr_info = INTR_INFO_VALID | INTR_TYPE_HW_EXC | INTR_INFO_HAS_ERROR |
		      INTR_INFO_NMI_UNBLOCK | 14;
	assert_true(vmx_exit_unblocked_nmi(&r));
	r.intr_info &= ~INTR_INFO_NMI_UNBLOCK;
	assert_false(vmx_exit_unblocked_nmi(&r));
	/* Other reasons carry no such bit, whatever the qualification holds. */
	r = raw_exit(VMX_EXIT_IO, EPTQ_NMI_UNBLOCK);
	assert_false(vmx_exit_unblocked_nmi(&r));
}

static void test_nmi_window(void **state)
{
	struct vm_exit e;

	assert_int_equal(decode(VMX_EXIT_NMI_WINDOW, 0, &e), EXIT_INTR_WINDOW);
}

static void test_sipi(void **state)
{
	struct vm_exit e;

	assert_int_equal(decode(VMX_EXIT_SIPI, 0x9a, &e), EXIT_SIPI);
	assert_int_equal(e.u.sipi_vector, 0x9a);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_simple_reasons),
		cmocka_unit_test(test_every_reason),
		cmocka_unit_test(test_entry_failure),
		cmocka_unit_test(test_io),
		cmocka_unit_test(test_cr_access),
		cmocka_unit_test(test_lmsw),
		cmocka_unit_test(test_ept),
		cmocka_unit_test(test_exceptions_and_nmi),
		cmocka_unit_test(test_sipi),
		cmocka_unit_test(test_nmi_unblocking_iret),
		cmocka_unit_test(test_nmi_window),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
