/* SPDX-License-Identifier: Apache-2.0 */
/* VMX capability checks, control adjustment and CR0/CR4 fixed bits (arch/x86/vmx/vmx_caps.c). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include <arch/cpu.h>
#include <hv/errno.h>

#include "../../arch/x86/vmx/vmx_bits.h"
#include "../../arch/x86/vmx/vmx_caps.h"

/* Capability MSRs as a Skylake-class CPU reports them (TRUE controls, EPT, VPID, UG). */
static struct vmx_msrs skylake(void)
{
	struct vmx_msrs m = {
		.basic = 0x00da040000000004ULL, /* revision 4, 1 KiB regions, WB, TRUE controls */
		.misc = 0x7004c1e7ULL,		/* timer rate 7, stores LMA */
		.pin = 0x0000007f00000016ULL,
		.proc = 0xfff9fffe04006172ULL,
		.proc2 = 0x00553cfe00000000ULL,
		.exit = 0x01ffffff00036dfbULL,
		.entry = 0x0003ffff000011fbULL,
		.ept_vpid = 0x00000f0106734141ULL,
		.cr0_fixed0 = 0x80000021ULL,
		.cr0_fixed1 = 0xffffffffULL,
		.cr4_fixed0 = 0x2000ULL,
		.cr4_fixed1 = 0x3767ffULL,
	};
	return m;
}

static void test_adjust(void **state)
{
	u32 out, missing;

	/* allowed-0 (bits 1, 2, 4) forced on, optional bit 6 allowed, required 0 and 3 kept. */
	assert_int_equal(vmx_adjust_controls(0x0000007f00000016ULL, 0x9, 0x40, 0, &out, &missing),
			 0);
	assert_int_equal(out, 0x5f);
	/* An optional bit the CPU does not allow is dropped. */
	assert_int_equal(vmx_adjust_controls(0x0000003f00000016ULL, 0x9, 0x40, 0, &out, &missing),
			 0);
	assert_int_equal(out, 0x1f);
	/* A required bit outside allowed-1 fails and is named. */
	assert_int_equal(vmx_adjust_controls(0x0000007f00000016ULL, 0x80, 0, 0, &out, &missing),
			 -ENOTSUP);
	assert_int_equal(missing, 0x80);
	/* A forbidden bit the CPU forces to 1 fails. */
	assert_int_equal(vmx_adjust_controls(0x0000007f00000016ULL, 0, 0, 0x2, &out, &missing),
			 -ENOTSUP);
	assert_int_equal(missing, 0x2);
}

static void test_config_skylake(void **state)
{
	struct vmx_msrs m = skylake();
	struct vmx_config c;
	const char *why = NULL;

	assert_int_equal(vmx_compute_config(&m, VMX_HOST_RDTSCP | VMX_HOST_INVPCID, &c, &why), 0);
	assert_int_equal(c.revision, 4);
	assert_int_equal(c.region_size, 0x400);
	assert_true(c.pin & PIN_NMI_EXIT);
	assert_true(c.pin & PIN_EXT_INTR_EXIT);
	assert_true(c.pin & PIN_PREEMPT_TIMER);
	assert_true(c.pin & PIN_VIRTUAL_NMI);
	/* NMI-window exiting is available but off until an NMI waits (vmx_intr.c). */
	assert_true(c.nmi_window);
	assert_false(c.proc & (PROC_NMI_WINDOW | PROC_INTR_WINDOW));
	assert_true(c.proc & PROC_HLT_EXIT);
	assert_true(c.proc & PROC_IO_BITMAPS);
	assert_true(c.proc & PROC_MSR_BITMAPS);
	assert_false(c.proc & (PROC_CR3_LOAD_EXIT | PROC_CR3_STORE_EXIT | PROC_INVLPG_EXIT));
	assert_int_equal(c.proc & (PROC_CR8_LOAD_EXIT | PROC_CR8_STORE_EXIT),
			 PROC_CR8_LOAD_EXIT | PROC_CR8_STORE_EXIT);
	assert_int_equal(c.proc2 & (PROC2_EPT | PROC2_VPID | PROC2_UNRESTRICTED),
			 PROC2_EPT | PROC2_VPID | PROC2_UNRESTRICTED);
	assert_true(c.proc2 & PROC2_RDTSCP);
	assert_true(c.proc2 & PROC2_INVPCID);
	assert_false(c.proc2 & PROC2_XSAVES); /* the host did not report XSAVES */
	assert_int_equal(c.exit & (EXIT_HOST_64 | EXIT_LOAD_EFER | EXIT_SAVE_EFER | EXIT_ACK_INTR),
			 EXIT_HOST_64 | EXIT_LOAD_EFER | EXIT_SAVE_EFER | EXIT_ACK_INTR);
	assert_false(c.entry & ENTRY_IA32E); /* per vCPU, from its state */
	assert_true(c.entry & ENTRY_LOAD_EFER);
	assert_int_equal(c.sl_leaf_levels, BIT(0) | BIT(1) | BIT(2));
	assert_int_equal(c.timer_rate, 7);
	/* Every value respects allowed-0 and allowed-1. */
	assert_int_equal(c.pin & (u32)m.pin, (u32)m.pin);
	assert_int_equal(c.proc & ~(u32)(m.proc >> 32), 0);
	assert_int_equal(c.proc2 & ~(u32)(m.proc2 >> 32), 0);
	assert_int_equal(c.exit & ~(u32)(m.exit >> 32), 0);
	assert_int_equal(c.entry & (u32)m.entry, (u32)m.entry);
}

static void refuses(struct vmx_msrs m, const char *expect)
{
	struct vmx_config c;
	const char *why = NULL;

	assert_int_equal(vmx_compute_config(&m, 0, &c, &why), -ENOTSUP);
	assert_non_null(why);
	assert_string_equal(why, expect);
}

static void test_refusals(void **state)
{
	struct vmx_msrs m = skylake();

	/* Core 2 class: no secondary controls at all. */
	m.proc &= ~((u64)PROC_SECONDARY << 32);
	refuses(m, "VMX without secondary controls (no EPT)");
	m = skylake();
	m.proc2 &= ~((u64)PROC2_EPT << 32);
	refuses(m, "VMX without EPT");
	m = skylake();
	m.proc2 &= ~((u64)PROC2_UNRESTRICTED << 32);
	refuses(m, "VMX without unrestricted guest");
	m = skylake();
	m.proc2 &= ~((u64)PROC2_VPID << 32);
	refuses(m, "VMX without VPID");
	m = skylake();
	m.ept_vpid &= ~EPT_CAP_WB;
	refuses(m, "VMX EPT without a 4-level write-back walk, INVEPT or INVVPID");
	m = skylake();
	m.misc &= ~VMX_MISC_STORES_LMA;
	refuses(m, "VMX that does not save EFER.LMA on exit");
	m = skylake();
	m.pin &= ~((u64)PIN_NMI_EXIT << 32);
	refuses(m, "VMX without NMI or external-interrupt exiting or virtual NMIs");
	m = skylake();
	m.pin &= ~((u64)PIN_VIRTUAL_NMI << 32);
	refuses(m, "VMX without NMI or external-interrupt exiting or virtual NMIs");
	m = skylake();
	m.proc |= PROC_CR3_LOAD_EXIT; /* non-TRUE MSR forcing CR3 exits */
	refuses(m, "VMX without I/O or MSR bitmaps, CR8 exiting or secondary controls");
}

static void test_page_sizes(void **state)
{
	struct vmx_msrs m = skylake();
	struct vmx_config c;
	const char *why;

	m.ept_vpid &= ~EPT_CAP_1G;
	assert_int_equal(vmx_compute_config(&m, 0, &c, &why), 0);
	assert_int_equal(c.sl_leaf_levels, BIT(0) | BIT(1));
	m.ept_vpid &= ~EPT_CAP_2M;
	assert_int_equal(vmx_compute_config(&m, 0, &c, &why), 0);
	assert_int_equal(c.sl_leaf_levels, BIT(0));
}

static void test_no_nmi_window(void **state)
{
	struct vmx_msrs m = skylake();
	struct vmx_config c;
	const char *why;

	m.proc &= ~((u64)PROC_NMI_WINDOW << 32);
	assert_int_equal(vmx_compute_config(&m, 0, &c, &why), 0);
	assert_false(c.nmi_window);
}

static void test_fixed_crs(void **state)
{
	struct vmx_msrs m = skylake();
	struct vmx_config c;
	const char *why;

	assert_int_equal(vmx_compute_config(&m, 0, &c, &why), 0);
	/* Reset CR0 (CD NW ET): NE is forced, PE and PG may stay 0 (unrestricted guest). */
	assert_int_equal(vmx_guest_cr0(&c, 0x60000010ULL), 0x60000030ULL);
	assert_int_equal(vmx_guest_cr0(&c, 0x80000011ULL), 0x80000031ULL);
	/* The guest owns PE and PG; NE is the hypervisor's. */
	assert_int_equal(vmx_cr0_mask(&c), CR0_NE);
	/* CR4: VMXE forced and owned, so the guest never sees it. */
	assert_int_equal(vmx_guest_cr4(&c, 0), CR4_VMXE);
	assert_true(vmx_cr4_mask(&c) & CR4_VMXE);
	assert_false(vmx_cr4_mask(&c) & CR4_PAE);
	/* Bits the CPU cannot set (outside CR4_FIXED1) are owned too: writing them exits. */
	assert_true(vmx_cr4_mask(&c) & BIT64(12));
	/* Host: PE, NE, PG forced for VMXON; VMXE set. */
	assert_int_equal(vmx_host_cr0(&c, 0x80000011ULL), 0x80000031ULL);
	assert_int_equal(vmx_host_cr4(&c, CR4_PAE), CR4_PAE | CR4_VMXE);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_adjust),	      cmocka_unit_test(test_config_skylake),
		cmocka_unit_test(test_refusals),      cmocka_unit_test(test_page_sizes),
		cmocka_unit_test(test_no_nmi_window), cmocka_unit_test(test_fixed_crs),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
