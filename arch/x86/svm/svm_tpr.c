/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The guest's task priority under SVM. With V_INTR_MASKING the guest's MOV
 * to and from CR8 use the VMCB's V_TPR and never exit (AMD APM Vol. 2,
 * 15.21.1 "Virtual Interrupt Masking"), while its APIC TPR register is the
 * emulated one (arch/x86/vcpu_lapic.c), which decides what gets injected.
 * CR8 is the TPR's bits 7:4 (Intel SDM Vol. 3A 11.8.6.1): V_TPR is loaded
 * from the emulated TPR before each VMRUN, and a change the guest made
 * through CR8 is copied back after it. Pure, host-tested.
 */
#include "svm.h"

u64 svm_vintr_with_tpr(u64 vintr, u8 tpr)
{
	return (vintr & ~SVM_V_TPR) | (tpr >> 4);
}

u8 svm_tpr_after_run(u64 vintr_before, u64 vintr_after, u8 tpr)
{
	if ((vintr_before & SVM_V_TPR) == (vintr_after & SVM_V_TPR))
		return tpr;
	return (u8)((vintr_after & SVM_V_TPR) << 4);
}
