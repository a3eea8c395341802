/* SPDX-License-Identifier: Apache-2.0 */
/*
 * SVM capability checks and per-CPU enabling (AMD APM Vol. 2, 15.4 "Enabling
 * SVM", 15.30.1 VM_CR, 15.30.4 VM_HSAVE_PA).
 */
#include <arch/cpu.h>
#include <arch/percpu.h>
#include <arch/vcpu.h>
#include <arch/vcpu_vendor.h>
#include <hv/errno.h>
#include <hv/mm.h>
#include <hv/printk.h>

#include "svm.h"

#define CR4_OSXSAVE BIT64(18)

struct svm_caps svm_caps;

/* Per physical CPU: the host save area VMRUN uses, and the page VMSAVE/VMLOAD keep host state in.
 */
hpa_t svm_hsave_pa[MAX_CPUS];
hpa_t svm_host_state_pa[MAX_CPUS];

/* CPUID Fn8000_0001 ECX.SVM, then VM_CR.SVMDIS, then Fn8000_000A (APM 15.4). */
int svm_probe(const char **why)
{
	struct cpuid_regs r = cpuid(CPUID_EXT_MAX, 0);

	*why = "no SVM";
	if (r.eax < CPUID_SVM_FEATURES || !(cpuid(CPUID_EXT_FEATURES, 0).ecx & CPUID_EXT1_ECX_SVM))
		return -ENODEV;
	if (rdmsr(MSR_VM_CR) & VM_CR_SVMDIS) {
		*why = "SVM disabled by firmware (VM_CR.SVMDIS)";
		return -ENOTSUP;
	}
	r = cpuid(CPUID_SVM_FEATURES, 0);
	if (!(r.edx & CPUID_SVM_EDX_NP)) {
		*why = "SVM without NPT";
		return -ENOTSUP;
	}
	if (r.ebx < 2) {
		*why = "SVM without guest ASIDs";
		return -ENOTSUP;
	}
	svm_caps.nasid = r.ebx;
	svm_caps.nrips = r.edx & CPUID_SVM_EDX_NRIPS;
	svm_caps.flush_by_asid = r.edx & CPUID_SVM_EDX_FLUSH_ASID;
	svm_caps.page_1g = cpuid(CPUID_EXT_FEATURES, 0).edx & CPUID_EXT1_EDX_PAGE1G;
	pr_info("svm: revision %u, %u ASIDs, nRIP save %s, flush by ASID %s, 1 GiB NPT pages %s",
		cpuid(CPUID_SVM_FEATURES, 0).eax & 0xff, svm_caps.nasid,
		svm_caps.nrips ? "yes" : "no", svm_caps.flush_by_asid ? "yes" : "no",
		svm_caps.page_1g ? "yes" : "no");
	*why = NULL;
	return 0;
}

static int alloc_cpu_pages(u32 cpu)
{
	if (!svm_hsave_pa[cpu])
		svm_hsave_pa[cpu] = page_alloc(1, PAGE_SIZE, PAGE_ZERO);
	if (!svm_host_state_pa[cpu])
		svm_host_state_pa[cpu] = page_alloc(1, PAGE_SIZE, PAGE_ZERO);
	return svm_hsave_pa[cpu] && svm_host_state_pa[cpu] ? 0 : -ENOMEM;
}

/*
 * EFER.SVME, then VM_HSAVE_PA (APM 15.4, 15.30.4). CR4.OSXSAVE lets the
 * backend load the guest's XCR0 with XSETBV before VMRUN (XCR0 is not part
 * of the VMCB).
 */
int svm_cpu_enable(void)
{
	u32 cpu = this_cpu()->cpu_index;

	if (cpu >= MAX_CPUS || alloc_cpu_pages(cpu))
		return -ENOMEM;
	wrmsr(MSR_EFER, rdmsr(MSR_EFER) | EFER_SVME);
	wrmsr(MSR_VM_HSAVE_PA, svm_hsave_pa[cpu]);
	if (host_xcr0_supported())
		write_cr4(read_cr4() | CR4_OSXSAVE);
	return 0;
}

/* NPT uses the host's long-mode format (APM 15.25.5); 1 GiB leaves only with Page1GB. */
void svm_sl_format(struct sl_format_info *out)
{
	out->fmt = &pt_format_npt;
	out->leaf_levels = BIT(0) | BIT(1) | (svm_caps.page_1g ? BIT(2) : 0);
}
