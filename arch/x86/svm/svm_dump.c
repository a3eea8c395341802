/* SPDX-License-Identifier: Apache-2.0 */
/* The VMCB fields that explain a fatal exit (AMD APM Vol. 2 Appendix B). */
#include <arch/vcpu.h>
#include <arch/vcpu_vendor.h>
#include <hv/printk.h>

#include "svm.h"

typedef unsigned long long ull;

static void dump_seg(const char *name, const struct vmcb_seg *s)
{
	pr_err("  %-4s sel %04x attrib %03x limit %08x base %016llx", name, s->sel, s->attrib,
	       s->limit, (ull)s->base);
}

static void dump_control(const struct vmcb_control *c)
{
	pr_err("  svm: exitcode %#llx exitinfo1 %#llx exitinfo2 %#llx exitintinfo %#llx",
	       (ull)c->exitcode, (ull)c->exitinfo1, (ull)c->exitinfo2, (ull)c->exitintinfo);
	pr_err("  svm: eventinj %#llx int_state %#llx vintr %#llx asid %u tlb_control %u",
	       (ull)c->eventinj, (ull)c->int_state, (ull)c->vintr, c->asid, c->tlb_control);
	pr_err("  svm: intercepts cr %08x dr %08x exc %08x misc %08x %08x np %#llx ncr3 %#llx",
	       c->intercept_cr, c->intercept_dr, c->intercept_exc, c->intercept_misc1,
	       c->intercept_misc2, (ull)c->np_control, (ull)c->ncr3);
	pr_err("  svm: iopm %#llx msrpm %#llx nrip %#llx", (ull)c->iopm_base_pa,
	       (ull)c->msrpm_base_pa, (ull)c->nrip);
}

static void dump_save(const struct vmcb_save *s)
{
	pr_err("  svm: cpl %u efer %#llx cr0 %#llx cr3 %#llx cr4 %#llx", s->cpl, (ull)s->efer,
	       (ull)s->cr0, (ull)s->cr3, (ull)s->cr4);
	pr_err("  svm: rip %#llx rsp %#llx rax %#llx rflags %#llx dr7 %#llx g_pat %#llx",
	       (ull)s->rip, (ull)s->rsp, (ull)s->rax, (ull)s->rflags, (ull)s->dr7, (ull)s->g_pat);
	dump_seg("cs", &s->cs);
	dump_seg("ss", &s->ss);
	dump_seg("ds", &s->ds);
	dump_seg("es", &s->es);
	dump_seg("fs", &s->fs);
	dump_seg("gs", &s->gs);
	dump_seg("tr", &s->tr);
	dump_seg("ldtr", &s->ldtr);
	dump_seg("gdtr", &s->gdtr);
	dump_seg("idtr", &s->idtr);
}

void svm_dump(struct vcpu *v, const struct vm_exit *e)
{
	const struct svm_vcpu *s = v->hw;

	if (!s || !s->vmcb)
		return;
	if (e->raw_reason == SVM_EXIT_INVALID) {
		const char *why = svm_check_vmcb(s->vmcb);
		pr_err("  svm: VMRUN refused the VMCB: %s", why ? why : "no known check fails");
	}
	dump_control(&s->vmcb->ctl);
	dump_save(&s->vmcb->save);
}
