/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Discovering and enabling VMX (SDM Vol. 3C 24.6 "Discovering Support for
 * VMX", 24.7 "Enabling and Entering VMX Operation", 24.8 "Restrictions on VMX
 * Operation"; capability MSRs in Vol. 3D Appendix A), and the backend's ops
 * table.
 */
#include <arch/cpu.h>
#include <arch/percpu.h>
#include <hv/errno.h>
#include <hv/mm.h>
#include <hv/printk.h>

#include "vmx.h"
#include "vmx_bits.h"
#include "vmx_hw.h"

struct vmx_config vmx_cfg;

/* Each CPU's VMXON region, non-zero once that CPU is in VMX operation. */
static hpa_t vmxon_region[MAX_CPUS];

static bool cpu_has_vmx(void)
{
	return cpuid(1, 0).ecx & CPUID1_ECX_VMX;
}

/* The TRUE_* MSRs when IA32_VMX_BASIC bit 55 says they exist (Appendix A.2). */
static void read_control_msrs(struct vmx_msrs *m)
{
	bool true_ctls = m->basic & VMX_BASIC_TRUE_CTLS;

	m->pin = rdmsr(true_ctls ? MSR_VMX_TRUE_PINBASED : MSR_VMX_PINBASED);
	m->proc = rdmsr(true_ctls ? MSR_VMX_TRUE_PROCBASED : MSR_VMX_PROCBASED);
	m->exit = rdmsr(true_ctls ? MSR_VMX_TRUE_EXIT : MSR_VMX_EXIT);
	m->entry = rdmsr(true_ctls ? MSR_VMX_TRUE_ENTRY : MSR_VMX_ENTRY);
	/* PROCBASED_CTLS2 exists only with allowed-1 "activate secondary controls" (A.3.3). */
	m->proc2 = (m->proc >> 32) & PROC_SECONDARY ? rdmsr(MSR_VMX_PROCBASED2) : 0;
	/* EPT_VPID_CAP exists only if EPT or VPID may be enabled (A.10). */
	m->ept_vpid = (m->proc2 >> 32) & (PROC2_EPT | PROC2_VPID) ? rdmsr(MSR_VMX_EPT_VPID_CAP) : 0;
}

static void read_msrs(struct vmx_msrs *m)
{
	m->basic = rdmsr(MSR_VMX_BASIC);
	m->misc = rdmsr(MSR_VMX_MISC);
	m->cr0_fixed0 = rdmsr(MSR_VMX_CR0_FIXED0);
	m->cr0_fixed1 = rdmsr(MSR_VMX_CR0_FIXED1);
	m->cr4_fixed0 = rdmsr(MSR_VMX_CR4_FIXED0);
	m->cr4_fixed1 = rdmsr(MSR_VMX_CR4_FIXED1);
	read_control_msrs(m);
}

static u32 host_features(void)
{
	u32 f = 0;

	if (cpuid(0x80000000, 0).eax >= 0x80000001 &&
	    (cpuid(0x80000001, 0).edx & CPUID81_EDX_RDTSCP))
		f |= VMX_HOST_RDTSCP;
	if (cpuid(0, 0).eax >= 7 && (cpuid(7, 0).ebx & CPUID7_EBX_INVPCID))
		f |= VMX_HOST_INVPCID;
	if (cpuid(0, 0).eax >= 0xd && (cpuid(0xd, 1).eax & CPUIDD1_EAX_XSAVES))
		f |= VMX_HOST_XSAVES;
	return f;
}

/* Locked without VMXON outside SMX: firmware disabled VMX (24.7). */
static bool firmware_disabled(u64 fc)
{
	return (fc & FEATURE_CONTROL_LOCK) && !(fc & FEATURE_CONTROL_VMXON_NO_SMX);
}

static int vmx_probe(const char **why)
{
	struct vmx_msrs m;
	int err;

	if (!cpu_has_vmx()) {
		*why = "no VMX";
		return -ENODEV;
	}
	if (firmware_disabled(rdmsr(MSR_IA32_FEATURE_CONTROL))) {
		*why = "VMX disabled by firmware (IA32_FEATURE_CONTROL locked)";
		return -ENOTSUP;
	}
	read_msrs(&m);
	err = vmx_compute_config(&m, host_features(), &vmx_cfg, why);
	if (err)
		return err;
	pr_info("vmx: VMCS revision %u, EPT%s%s, VPID, unrestricted guest, preemption timer %s",
		vmx_cfg.revision, vmx_cfg.sl_leaf_levels & BIT(1) ? " 2M" : "",
		vmx_cfg.sl_leaf_levels & BIT(2) ? " 1G" : "",
		vmx_cfg.pin & PIN_PREEMPT_TIMER ? "on" : "absent");
	return 0;
}

/* OVMF leaves IA32_FEATURE_CONTROL unlocked (0): allow VMXON outside SMX and lock it. */
static int enable_feature_control(void)
{
	u64 fc = rdmsr(MSR_IA32_FEATURE_CONTROL);

	if (firmware_disabled(fc)) {
		pr_err("vmx: VMX disabled by firmware (IA32_FEATURE_CONTROL=0x%llx, locked)",
		       (unsigned long long)fc);
		return -ENOTSUP;
	}
	if (!(fc & FEATURE_CONTROL_LOCK))
		wrmsr(MSR_IA32_FEATURE_CONTROL,
		      fc | FEATURE_CONTROL_LOCK | FEATURE_CONTROL_VMXON_NO_SMX);
	return 0;
}

/* CR0/CR4 fixed bits and CR4.VMXE (24.8); OSXSAVE so guest XCR0 can be loaded. */
static void prepare_control_registers(void)
{
	u64 cr4 = vmx_host_cr4(&vmx_cfg, read_cr4());

	if (cpuid(1, 0).ecx & CPUID1_ECX_XSAVE)
		cr4 |= CR4_OSXSAVE;
	write_cr0(vmx_host_cr0(&vmx_cfg, read_cr0()));
	write_cr4(cr4);
}

static int vmx_cpu_enable(void)
{
	u32 cpu = this_cpu()->cpu_index;
	hpa_t region;
	int err;

	if (cpu >= MAX_CPUS)
		return -EINVAL;
	if (vmxon_region[cpu])
		return 0; /* already in VMX operation */
	err = enable_feature_control();
	if (err)
		return err;
	prepare_control_registers();
	region = page_alloc(1, 0, PAGE_ZERO | PAGE_BELOW_4G);
	if (!region)
		return -ENOMEM;
	*(u32 *)phys_to_virt(region) = vmx_cfg.revision; /* 24.11.5 "VMXON Region" */
	if (!vmxon(region)) {
		pr_err("vmx: cpu %u: VMXON failed", cpu);
		page_free(region, 1);
		return -EIO;
	}
	vmxon_region[cpu] = region;
	return 0;
}

static void vmx_sl_format(struct sl_format_info *out)
{
	out->fmt = &pt_format_ept;
	out->leaf_levels = vmx_cfg.sl_leaf_levels;
}

const struct vcpu_vendor vmx_vendor = {
	.name = "vmx",
	.probe = vmx_probe,
	.cpu_enable = vmx_cpu_enable,
	.sl_format = vmx_sl_format,
	.vcpu_init = vmx_vcpu_init,
	.load_state = vmx_load_state,
	.vcpu_run = vmx_vcpu_run,
	.get_reg = vmx_get_reg,
	.set_reg = vmx_set_reg,
	.get_segment = vmx_get_segment,
	.skip_instruction = vmx_skip_instruction,
	.inject_exception = vmx_inject_exception,
	.interrupt_allowed = vmx_interrupt_allowed,
	.inject_interrupt = vmx_inject_interrupt,
	.interrupt_window = vmx_interrupt_window,
	.inject_nmi = vmx_inject_nmi,
	.sl_root = vmx_sl_root,
	.dump = vmx_dump,
};
