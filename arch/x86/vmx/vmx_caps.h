/* SPDX-License-Identifier: Apache-2.0 */
/*
 * From raw VMX capability MSRs to the control values Bulkhead uses (pure:
 * host-tested with made-up MSR values). The hardware half (vmx_cpu.c) reads
 * the MSRs and CPUID; everything that decides lives here.
 *
 * Vendor header: included by arch/x86/vmx/ only.
 */
#ifndef VMX_CAPS_H
#define VMX_CAPS_H

#include <hv/types.h>

/* Raw capability MSRs; pin/proc/exit/entry are the TRUE_* ones when VMX_BASIC bit 55 says so. */
struct vmx_msrs {
	u64 basic, misc;
	u64 pin, proc, proc2, exit, entry;
	u64 ept_vpid;
	u64 cr0_fixed0, cr0_fixed1, cr4_fixed0, cr4_fixed1;
};

/* Host CPU features that decide optional secondary controls (the guest may then use them). */
#define VMX_HOST_RDTSCP	 BIT(0)
#define VMX_HOST_INVPCID BIT(1)
#define VMX_HOST_XSAVES	 BIT(2)

/* Everything vcpu_init needs, computed once on the boot CPU. */
struct vmx_config {
	u32 revision; /* VMCS revision identifier */
	u32 region_size;
	u32 pin, proc, proc2, exit, entry; /* entry without IA-32e mode: per vCPU */
	u64 cr0_fixed0, cr0_fixed1, cr4_fixed0, cr4_fixed1;
	u64 ept_vpid;
	u32 sl_leaf_levels; /* pt leaf-level mask: 4 KiB always, 2 MiB/1 GiB if supported */
	u8 timer_rate;	    /* preemption timer: TSC >> rate */
	bool nmi_window;    /* NMI-window exiting may be turned on (vmx_intr.c) */
	bool ept_ad;
};

/*
 * Adjusts a control word: sets the bits the CPU requires (allowed-0 settings,
 * the low 32 bits of the capability MSR), keeps the optional ones the CPU
 * allows (allowed-1, the high 32 bits), SDM Vol. 3D A.3-A.5. Fails with
 * -ENOTSUP when a required bit cannot be 1 (*missing says which) or a
 * forbidden bit cannot be 0.
 */
int vmx_adjust_controls(u64 cap, u32 required, u32 optional, u32 forbidden, u32 *out, u32 *missing);

/*
 * Checks that the CPU can run Bulkhead guests (EPT with a 4-level WB walk,
 * unrestricted guest, VPID with INVEPT/INVVPID, ...) and computes the
 * controls. 0, or -ENOTSUP with *why a static sentence.
 */
int vmx_compute_config(const struct vmx_msrs *m, u32 host_features, struct vmx_config *out,
		       const char **why);

/*
 * CR0/CR4 with the fixed bits applied (SDM Vol. 3D A.7, A.8). For a guest
 * (unrestricted guest) CR0.PE and CR0.PG may be 0 (SDM Vol. 3C 26.3.1.1).
 */
u64 vmx_fixed_cr(u64 val, u64 fixed0, u64 fixed1);
u64 vmx_guest_cr0(const struct vmx_config *c, u64 guest_val);
u64 vmx_guest_cr4(const struct vmx_config *c, u64 guest_val);
/*
 * The guest/host masks: the bits the hypervisor owns (fixed in either
 * direction; CR4.VMXE among them). The guest reads them from the read
 * shadow, and writing a different value exits (SDM Vol. 3C 26.6.6).
 */
u64 vmx_cr0_mask(const struct vmx_config *c);
u64 vmx_cr4_mask(const struct vmx_config *c);

/* Host CR0/CR4 for VMXON (SDM Vol. 3C 24.8 "Restrictions on VMX Operation"). */
u64 vmx_host_cr0(const struct vmx_config *c, u64 cr0);
u64 vmx_host_cr4(const struct vmx_config *c, u64 cr4);

#endif
