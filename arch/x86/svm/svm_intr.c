/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Interrupt delivery into the guest (AMD APM Vol. 2, 15.20 "Event
 * Injection", 15.21 "Interrupt and LocalAPIC Support"): the SVM half of the
 * vendor interface's interrupt operations. The interrupt window is a
 * virtual interrupt (V_IRQ, highest priority, TPR ignored) whose delivery
 * the VINTR intercept turns into an exit (15.21.4): it is taken exactly when
 * the guest could take a real one.
 */
#include <arch/vcpu.h>

#include "svm.h"

#define RFLAGS_IF  BIT64(9)
#define NMI_VECTOR 2

static struct vmcb *vmcb_of(struct vcpu *v)
{
	return ((struct svm_vcpu *)v->hw)->vmcb;
}

bool svm_interrupt_allowed(struct vcpu *v)
{
	const struct vmcb *vmcb = vmcb_of(v);

	if (vmcb->ctl.eventinj & SVM_EVENT_V)
		return false;
	return (vmcb->save.rflags & RFLAGS_IF) && !(vmcb->ctl.int_state & SVM_INT_SHADOW);
}

void svm_inject_interrupt(struct vcpu *v, u8 vector)
{
	vmcb_of(v)->ctl.eventinj = vector | SVM_EVENT_TYPE_INTR | SVM_EVENT_V;
}

void svm_interrupt_window(struct vcpu *v, bool on)
{
	struct vmcb *vmcb = vmcb_of(v);

	if (on) {
		vmcb->ctl.vintr |= SVM_V_IRQ | SVM_V_INTR_PRIO | SVM_V_IGN_TPR;
		vmcb->ctl.intercept_misc1 |= SVM_INTERCEPT1_VINTR;
	} else {
		vmcb->ctl.vintr &= ~(SVM_V_IRQ | SVM_V_INTR_PRIO | SVM_V_IGN_TPR);
		vmcb->ctl.intercept_misc1 &= ~SVM_INTERCEPT1_VINTR;
	}
}

/* EVENTINJ of an NMI: the CPU then holds further NMIs until the guest's IRET (15.20). */
bool svm_inject_nmi(struct vcpu *v)
{
	struct vmcb *vmcb = vmcb_of(v);

	if (vmcb->ctl.eventinj & SVM_EVENT_V)
		return false;
	vmcb->ctl.eventinj = NMI_VECTOR | SVM_EVENT_TYPE_NMI | SVM_EVENT_V;
	return true;
}

hpa_t svm_sl_root(struct vcpu *v)
{
	return vmcb_of(v)->ctl.ncr3;
}
