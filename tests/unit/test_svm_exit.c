/* SPDX-License-Identifier: Apache-2.0 */
/* The SVM exit decode table (arch/x86/svm/svm_exit.c): every code the backend intercepts. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "../../arch/x86/svm/svm.h"

#define RIP 0x1000ULL

static struct vm_exit decode(u64 code, u64 info1, u64 info2)
{
	struct vmcb_control c;
	struct vm_exit e;

	memset(&c, 0, sizeof(c));
	c.exitcode = code;
	c.exitinfo1 = info1;
	c.exitinfo2 = info2;
	memset(&e, 0xa5, sizeof(e));
	svm_decode_exit(&c, RIP, &e);
	assert_int_equal(e.rip, RIP);
	assert_int_equal(e.raw_reason, code);
	assert_int_equal(e.raw_qual, info1);
	assert_int_equal(e.raw_info, info2);
	return e;
}

static void test_simple_codes(void **state)
{
	static const struct {
		u64 code;
		enum exit_reason reason;
	} cases[] = {
		{SVM_EXIT_CPUID, EXIT_CPUID},
		{SVM_EXIT_HLT, EXIT_HLT},
		{SVM_EXIT_INIT, EXIT_INIT},
		{SVM_EXIT_SHUTDOWN, EXIT_TRIPLE_FAULT},
		{SVM_EXIT_XSETBV, EXIT_XSETBV},
		{SVM_EXIT_VMMCALL, EXIT_HYPERCALL},
		{SVM_EXIT_INTR, EXIT_EXT_INTR},
		{SVM_EXIT_NMI, EXIT_NMI},
		{SVM_EXIT_INVD, EXIT_INVD},
		{SVM_EXIT_VMRUN, EXIT_UD_INSN},
		{SVM_EXIT_VMLOAD, EXIT_UD_INSN},
		{SVM_EXIT_VMSAVE, EXIT_UD_INSN},
		{SVM_EXIT_STGI, EXIT_UD_INSN},
		{SVM_EXIT_CLGI, EXIT_UD_INSN},
		{SVM_EXIT_SKINIT, EXIT_UD_INSN},
		{SVM_EXIT_INVLPGA, EXIT_UD_INSN},
		{SVM_EXIT_INVALID, EXIT_ENTRY_FAILED},
	};

	for (size_t i = 0; i < ARRAY_SIZE(cases); i++) {
		struct vm_exit e = decode(cases[i].code, 0, 0);
		assert_int_equal(e.reason, cases[i].reason);
		assert_int_equal(e.insn_len, 0);
	}
}

/* Codes nobody intercepts, and codes beyond the table, are never silently handled. */
static void test_unhandled(void **state)
{
	static const u64 codes[] = {0x00, 0x10, 0x14, 0x30, 0x62,  0x6e,  0x77,	 0x7d,
				    0x8e, 0xa4, 0xa5, 0xff, 0x3ff, 0x401, 0x403, (u64)-2};

	for (size_t i = 0; i < ARRAY_SIZE(codes); i++)
		assert_int_equal(decode(codes[i], 0, 0).reason, EXIT_UNHANDLED);
}

/* VINTR is the interrupt window the policy asked for (APM Vol. 2 15.21.4). */
static void test_interrupt_window(void **state)
{
	assert_int_equal(decode(SVM_EXIT_VINTR, 0, 0).reason, EXIT_INTR_WINDOW);
}

static void test_msr(void **state)
{
	assert_int_equal(decode(SVM_EXIT_MSR, 0, 0).reason, EXIT_RDMSR);
	assert_int_equal(decode(SVM_EXIT_MSR, 1, 0).reason, EXIT_WRMSR);
	assert_int_equal(decode(SVM_EXIT_MSR, 2, 0).reason, EXIT_UNHANDLED);
}

/* APM Vol. 2 15.10.2: an `out dx, al` to 0x3f8 (1 byte), then a `rep insd` from 0xf4. */
static void test_ioio(void **state)
{
	struct vm_exit e = decode(SVM_EXIT_IOIO, (0x3f8ULL << 16) | SVM_IOIO_SZ8, RIP + 1);

	assert_int_equal(e.reason, EXIT_IO);
	assert_int_equal(e.u.io.port, 0x3f8);
	assert_int_equal(e.u.io.size, 1);
	assert_false(e.u.io.in);
	assert_false(e.u.io.string);
	assert_false(e.u.io.rep);
	assert_int_equal(e.insn_len, 1);

	e = decode(SVM_EXIT_IOIO,
		   (0xf4ULL << 16) | SVM_IOIO_SZ32 | SVM_IOIO_TYPE_IN | SVM_IOIO_STR | SVM_IOIO_REP,
		   RIP + 2);
	assert_int_equal(e.reason, EXIT_IO);
	assert_int_equal(e.u.io.port, 0xf4);
	assert_int_equal(e.u.io.size, 4);
	assert_true(e.u.io.in);
	assert_true(e.u.io.string);
	assert_true(e.u.io.rep);
	assert_int_equal(e.insn_len, 2);

	e = decode(SVM_EXIT_IOIO, (0x60ULL << 16) | SVM_IOIO_SZ16 | SVM_IOIO_TYPE_IN, RIP + 3);
	assert_int_equal(e.u.io.size, 2);
	assert_int_equal(e.insn_len, 3);
}

/* No size bit, or a next RIP that is not 1-15 bytes on: not decodable or not skippable. */
static void test_ioio_malformed(void **state)
{
	assert_int_equal(decode(SVM_EXIT_IOIO, 0x3f8ULL << 16, RIP + 1).reason, EXIT_UNHANDLED);
	assert_int_equal(decode(SVM_EXIT_IOIO, SVM_IOIO_SZ8, RIP).insn_len, 0);
	assert_int_equal(decode(SVM_EXIT_IOIO, SVM_IOIO_SZ8, RIP + 16).insn_len, 0);
	assert_int_equal(decode(SVM_EXIT_IOIO, SVM_IOIO_SZ8, RIP - 1).insn_len, 0);
}

static void test_npf(void **state)
{
	struct vm_exit e = decode(SVM_EXIT_NPF, SVM_NPF_FINAL | SVM_NPF_US, 0x400000);

	assert_int_equal(e.reason, EXIT_SL_FAULT);
	assert_int_equal(e.u.sl.gpa, 0x400000);
	assert_int_equal(e.u.sl.access, SL_ACCESS_READ);
	assert_false(e.u.sl.misconfig);
	assert_false(e.u.sl.gla_valid);

	e = decode(SVM_EXIT_NPF, SVM_NPF_FINAL | SVM_NPF_P | SVM_NPF_RW, 0x1000);
	assert_int_equal(e.u.sl.access, SL_ACCESS_WRITE);
	e = decode(SVM_EXIT_NPF, SVM_NPF_FINAL | SVM_NPF_ID, 0x2000);
	assert_int_equal(e.u.sl.access, SL_ACCESS_EXEC);
	e = decode(SVM_EXIT_NPF, SVM_NPF_WALK | SVM_NPF_P | SVM_NPF_RSV, 0x3000);
	assert_true(e.u.sl.misconfig);
	assert_int_equal(e.u.sl.gpa, 0x3000);
}

static void test_exceptions(void **state)
{
	for (unsigned int v = 0; v < 32; v++) {
		struct vm_exit e = decode(SVM_EXIT_EXC_BASE + v, 0x18, 0xdead000);
		bool err =
			v == 8 || (v >= 10 && v <= 14) || v == 17 || v == 21 || v == 29 || v == 30;

		assert_int_equal(e.reason, EXIT_EXCEPTION);
		assert_int_equal(e.u.exc.vector, v);
		assert_int_equal(e.u.exc.has_error, err);
		assert_int_equal(e.u.exc.error, err ? 0x18 : 0);
		assert_int_equal(e.u.exc.cr2, v == X86_EXC_PF ? 0xdead000 : 0);
	}
}

/* Every exit that the policy completes by skipping has an opcode, and only those. */
static void test_skip_opcodes(void **state)
{
	static const enum exit_reason skipped[] = {EXIT_CPUID, EXIT_RDMSR,  EXIT_WRMSR,
						   EXIT_HLT,   EXIT_XSETBV, EXIT_HYPERCALL,
						   EXIT_INVD};

	for (size_t i = 0; i < ARRAY_SIZE(skipped); i++)
		assert_non_null(svm_exit_opcode(skipped[i]));
	assert_null(svm_exit_opcode(EXIT_IO)); /* EXITINFO2 gives it */
	assert_null(svm_exit_opcode(EXIT_SL_FAULT));
	assert_null(svm_exit_opcode(EXIT_UNHANDLED));
	assert_null(svm_exit_opcode(EXIT_REASON_COUNT));
}

/* A VMCB as vcpu_init builds it for flat 32-bit protected mode, then one rule broken at a time. */
static void good_vmcb(struct vmcb *v)
{
	memset(v, 0, sizeof(*v));
	v->ctl.intercept_misc2 = SVM_INTERCEPT2_VMRUN;
	v->ctl.asid = 1;
	v->save.efer = BIT64(12);
	v->save.cr0 = 0x11;
	v->save.dr6 = 0xffff0ff0;
	v->save.dr7 = 0x400;
}

static void test_check_vmcb(void **state)
{
	static struct vmcb v;

	good_vmcb(&v);
	assert_null(svm_check_vmcb(&v));
	v.ctl.intercept_misc2 = 0;
	assert_string_equal(svm_check_vmcb(&v), "VMRUN intercept clear");
	good_vmcb(&v);
	v.ctl.asid = 0;
	assert_string_equal(svm_check_vmcb(&v), "guest ASID 0");
	good_vmcb(&v);
	v.save.efer = 0;
	assert_string_equal(svm_check_vmcb(&v), "EFER.SVME is clear");
	good_vmcb(&v);
	v.save.cr0 |= BIT64(29);
	assert_string_equal(svm_check_vmcb(&v), "CR0.NW set without CR0.CD");
	v.save.cr0 |= BIT64(30); /* CD and NW together are legal (the reset state) */
	assert_null(svm_check_vmcb(&v));
	good_vmcb(&v);
	v.save.efer |= BIT64(8);
	v.save.cr0 |= BIT64(31);
	assert_string_equal(svm_check_vmcb(&v), "EFER.LME and CR0.PG without CR4.PAE");
	v.save.cr4 = BIT64(5);
	assert_null(svm_check_vmcb(&v));
	v.save.cs.attrib = BIT(9) | BIT(10);
	assert_string_equal(svm_check_vmcb(&v), "long mode with CS.L and CS.D both set");
	good_vmcb(&v);
	v.save.dr7 |= BIT64(40);
	assert_string_equal(svm_check_vmcb(&v), "DR6 or DR7 bits 63:32 set");
}

/* V_TPR is the emulated TPR's bits 7:4 going in; a CR8 write by the guest comes back out. */
static void test_v_tpr(void **state)
{
	u64 vintr = SVM_V_INTR_MASKING | SVM_V_IRQ | 0x3;

	vintr = svm_vintr_with_tpr(vintr, 0x7c);
	assert_int_equal(vintr, SVM_V_INTR_MASKING | SVM_V_IRQ | 0x7);
	/* Unchanged by the guest: the APIC TPR keeps its low bits. */
	assert_int_equal(svm_tpr_after_run(vintr, vintr, 0x7c), 0x7c);
	/* The guest wrote CR8 = 2, or 0. */
	assert_int_equal(svm_tpr_after_run(vintr, (vintr & ~SVM_V_TPR) | 2, 0x7c), 0x20);
	assert_int_equal(svm_tpr_after_run(vintr, vintr & ~SVM_V_TPR, 0x7c), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_simple_codes),
		cmocka_unit_test(test_unhandled),
		cmocka_unit_test(test_interrupt_window),
		cmocka_unit_test(test_msr),
		cmocka_unit_test(test_ioio),
		cmocka_unit_test(test_ioio_malformed),
		cmocka_unit_test(test_npf),
		cmocka_unit_test(test_exceptions),
		cmocka_unit_test(test_skip_opcodes),
		cmocka_unit_test(test_check_vmcb),
		cmocka_unit_test(test_v_tpr),
	};
	return cmocka_run_group_tests_name("svm_exit", tests, NULL, NULL);
}
