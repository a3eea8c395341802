/* SPDX-License-Identifier: Apache-2.0 */
/* VMX capability checks and control computation (vmx_caps.h). Pure: host-tested. */
#include <arch/cpu.h>
#include <arch/paging.h>
#include <hv/errno.h>

#include "vmx_bits.h"
#include "vmx_caps.h"

int vmx_adjust_controls(u64 cap, u32 required, u32 optional, u32 forbidden, u32 *out, u32 *missing)
{
	u32 must_be_one = (u32)cap;
	u32 may_be_one = (u32)(cap >> 32);

	*missing = required & ~may_be_one;
	if (*missing)
		return -ENOTSUP;
	*missing = forbidden & must_be_one;
	if (*missing)
		return -ENOTSUP;
	*out = must_be_one | required | (optional & may_be_one);
	return 0;
}

/* A failing control word names its set for the message. */
struct ctl_want {
	u64 cap;
	u32 required, optional, forbidden;
	u32 *out;
	const char *why;
};

static int adjust_all(const struct ctl_want *w, size_t n, const char **why)
{
	for (size_t i = 0; i < n; i++) {
		u32 missing;

		if (vmx_adjust_controls(w[i].cap, w[i].required, w[i].optional, w[i].forbidden,
					w[i].out, &missing)) {
			*why = w[i].why;
			return -ENOTSUP;
		}
	}
	return 0;
}

static u32 optional_proc2(u32 host_features)
{
	u32 o = 0;

	if (host_features & VMX_HOST_RDTSCP)
		o |= PROC2_RDTSCP;
	if (host_features & VMX_HOST_INVPCID)
		o |= PROC2_INVPCID;
	if (host_features & VMX_HOST_XSAVES)
		o |= PROC2_XSAVES;
	return o;
}

/*
 * Intercept policy (docs/vmx.md): HLT, all I/O and all MSRs (the bitmaps are
 * all ones), CR8 both ways (else the guest would load the physical TPR), NMIs (the hypervisor's
 * kick) and external interrupts (the hypervisor keeps its CPU); CR3 accesses, INVLPG and RDTSC run
 * natively. Virtual NMIs (SDM Vol. 3C 25.3, 27.6.1.2): without them an NMI injected into the guest
 * blocks physical NMIs until the next host IRET, because with NMI exiting the guest's own IRET does
 * not unblock them; the CPU would then miss the hypervisor's kicks, in guest mode and after it too.
 */
static int compute_controls(const struct vmx_msrs *m, u32 host_features, struct vmx_config *c,
			    const char **why)
{
	const struct ctl_want w[] = {
		{m->pin, PIN_EXT_INTR_EXIT | PIN_NMI_EXIT | PIN_VIRTUAL_NMI, PIN_PREEMPT_TIMER, 0,
		 &c->pin, "VMX without NMI or external-interrupt exiting or virtual NMIs"},
		{m->proc,
		 PROC_HLT_EXIT | PROC_IO_BITMAPS | PROC_MSR_BITMAPS | PROC_SECONDARY |
			 PROC_CR8_LOAD_EXIT | PROC_CR8_STORE_EXIT,
		 0,
		 PROC_CR3_LOAD_EXIT | PROC_CR3_STORE_EXIT | PROC_MOV_DR_EXIT | PROC_INVLPG_EXIT |
			 PROC_RDTSC_EXIT | PROC_RDPMC_EXIT | PROC_MWAIT_EXIT | PROC_MONITOR_EXIT,
		 &c->proc, "VMX without I/O or MSR bitmaps, CR8 exiting or secondary controls"},
		{m->proc2, PROC2_EPT | PROC2_VPID | PROC2_UNRESTRICTED,
		 optional_proc2(host_features), 0, &c->proc2,
		 "VMX without EPT, VPID or unrestricted guest"},
		{m->exit,
		 EXIT_HOST_64 | EXIT_SAVE_EFER | EXIT_LOAD_EFER | EXIT_SAVE_PAT | EXIT_LOAD_PAT |
			 EXIT_ACK_INTR,
		 0, 0, &c->exit, "VMX without 64-bit host or EFER/PAT switching on exit"},
		{m->entry, ENTRY_LOAD_EFER | ENTRY_LOAD_PAT, 0, ENTRY_IA32E, &c->entry,
		 "VMX without EFER/PAT loading on entry"},
	};

	if (!((m->entry >> 32) & ENTRY_IA32E)) {
		*why = "VMX without IA-32e mode guests";
		return -ENOTSUP;
	}
	return adjust_all(w, ARRAY_SIZE(w), why);
}

/* Secondary controls one by one, for a precise refusal (the common negative case). */
static int check_proc2(const struct vmx_msrs *m, const char **why)
{
	u32 may = (u32)(m->proc2 >> 32);

	if (!((m->proc >> 32) & PROC_SECONDARY)) {
		*why = "VMX without secondary controls (no EPT)";
		return -ENOTSUP;
	}
	if (!(may & PROC2_EPT)) {
		*why = "VMX without EPT";
		return -ENOTSUP;
	}
	if (!(may & PROC2_UNRESTRICTED)) {
		*why = "VMX without unrestricted guest";
		return -ENOTSUP;
	}
	if (!(may & PROC2_VPID)) {
		*why = "VMX without VPID";
		return -ENOTSUP;
	}
	return 0;
}

static int check_ept(const struct vmx_msrs *m, const char **why)
{
	const u64 need = EPT_CAP_WALK4 | EPT_CAP_WB | EPT_CAP_INVEPT | VPID_CAP_INVVPID;

	if ((m->ept_vpid & need) != need) {
		*why = "VMX EPT without a 4-level write-back walk, INVEPT or INVVPID";
		return -ENOTSUP;
	}
	if (!(m->ept_vpid & (EPT_CAP_INVEPT_CTX | EPT_CAP_INVEPT_ALL)) ||
	    !(m->ept_vpid & (VPID_CAP_INVVPID_CTX | VPID_CAP_INVVPID_ALL))) {
		*why = "VMX without single- or all-context INVEPT/INVVPID";
		return -ENOTSUP;
	}
	return 0;
}

static int check_basic(const struct vmx_msrs *m, const char **why)
{
	u64 size = (m->basic >> VMX_BASIC_SIZE_SHIFT) & VMX_BASIC_SIZE_MASK;

	if (size == 0 || size > PAGE_SIZE ||
	    ((m->basic >> VMX_BASIC_MEMTYPE_SHIFT) & VMX_BASIC_MEMTYPE_MASK) != VMX_MEMTYPE_WB) {
		*why = "VMX with an unsupported VMCS size or memory type";
		return -ENOTSUP;
	}
	/* Unrestricted guests switch IA-32e mode without exits (SDM Vol. 3D A.6). */
	if (!(m->misc & VMX_MISC_STORES_LMA)) {
		*why = "VMX that does not save EFER.LMA on exit";
		return -ENOTSUP;
	}
	return 0;
}

static u32 leaf_levels(u64 ept_vpid)
{
	u32 l = BIT(0);

	if (ept_vpid & EPT_CAP_2M)
		l |= BIT(1);
	if ((ept_vpid & EPT_CAP_2M) && (ept_vpid & EPT_CAP_1G))
		l |= BIT(2);
	return l;
}

int vmx_compute_config(const struct vmx_msrs *m, u32 host_features, struct vmx_config *c,
		       const char **why)
{
	int err;

	*c = (struct vmx_config){0};
	err = check_basic(m, why);
	if (!err)
		err = check_proc2(m, why);
	if (!err)
		err = check_ept(m, why);
	if (!err)
		err = compute_controls(m, host_features, c, why);
	if (err)
		return err;
	c->revision = (u32)(m->basic & VMX_BASIC_REVISION_MASK);
	c->region_size = (u32)((m->basic >> VMX_BASIC_SIZE_SHIFT) & VMX_BASIC_SIZE_MASK);
	c->cr0_fixed0 = m->cr0_fixed0;
	c->cr0_fixed1 = m->cr0_fixed1;
	c->cr4_fixed0 = m->cr4_fixed0;
	c->cr4_fixed1 = m->cr4_fixed1;
	c->ept_vpid = m->ept_vpid;
	c->sl_leaf_levels = leaf_levels(m->ept_vpid);
	c->timer_rate = (u8)(m->misc & VMX_MISC_TIMER_RATE_MASK);
	c->nmi_window = (m->proc >> 32) & PROC_NMI_WINDOW;
	c->ept_ad = false; /* A/D flags are not used: nothing reads them */
	return 0;
}

u64 vmx_fixed_cr(u64 val, u64 fixed0, u64 fixed1)
{
	return (val | fixed0) & fixed1;
}

/* With unrestricted guest, PE and PG are exempt from CR0_FIXED0 (SDM Vol. 3C 26.3.1.1). */
static u64 guest_cr0_fixed0(const struct vmx_config *c)
{
	return c->cr0_fixed0 & ~(CR0_PE | CR0_PG);
}

u64 vmx_guest_cr0(const struct vmx_config *c, u64 guest_val)
{
	return vmx_fixed_cr(guest_val, guest_cr0_fixed0(c), c->cr0_fixed1);
}

u64 vmx_guest_cr4(const struct vmx_config *c, u64 guest_val)
{
	return vmx_fixed_cr(guest_val, c->cr4_fixed0, c->cr4_fixed1);
}

u64 vmx_cr0_mask(const struct vmx_config *c)
{
	return guest_cr0_fixed0(c) | (~c->cr0_fixed1 & 0xffffffffULL);
}

u64 vmx_cr4_mask(const struct vmx_config *c)
{
	return c->cr4_fixed0 | CR4_VMXE | ~c->cr4_fixed1;
}

u64 vmx_host_cr0(const struct vmx_config *c, u64 cr0)
{
	return vmx_fixed_cr(cr0, c->cr0_fixed0, c->cr0_fixed1);
}

u64 vmx_host_cr4(const struct vmx_config *c, u64 cr4)
{
	return vmx_fixed_cr(cr4 | CR4_VMXE, c->cr4_fixed0, c->cr4_fixed1);
}
