/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Why VMRUN refused a VMCB (VMEXIT_INVALID): the illegal-state checks of
 * AMD APM Vol. 2 15.5.1 "Basic Operation" that do not depend on the CPU
 * model, evaluated in order. Pure: host-tested by test_svm_exit.c.
 */
#include "svm.h"

#define CR0_PE_BIT    BIT64(0)
#define CR0_NW_BIT    BIT64(29)
#define CR0_CD_BIT    BIT64(30)
#define CR0_PG_BIT    BIT64(31)
#define CR4_PAE_BIT   BIT64(5)
#define EFER_LME_BIT  BIT64(8)
#define EFER_SVME_BIT BIT64(12)
#define HIGH32	      0xffffffff00000000ULL
#define ATTRIB_L      BIT(9)
#define ATTRIB_DB     BIT(10)

static const char *check_save(const struct vmcb_save *s)
{
	bool long_paging = (s->efer & EFER_LME_BIT) && (s->cr0 & CR0_PG_BIT);

	if (!(s->efer & EFER_SVME_BIT))
		return "EFER.SVME is clear";
	if (!(s->cr0 & CR0_CD_BIT) && (s->cr0 & CR0_NW_BIT))
		return "CR0.NW set without CR0.CD";
	if (s->cr0 & HIGH32)
		return "CR0 bits 63:32 set";
	if (s->cr4 & HIGH32)
		return "CR4 bits 63:32 set";
	if ((s->dr6 & HIGH32) || (s->dr7 & HIGH32))
		return "DR6 or DR7 bits 63:32 set";
	if (long_paging && !(s->cr4 & CR4_PAE_BIT))
		return "EFER.LME and CR0.PG without CR4.PAE";
	if (long_paging && !(s->cr0 & CR0_PE_BIT))
		return "EFER.LME and CR0.PG without CR0.PE";
	if (long_paging && (s->cs.attrib & ATTRIB_L) && (s->cs.attrib & ATTRIB_DB))
		return "long mode with CS.L and CS.D both set";
	return NULL;
}

const char *svm_check_vmcb(const struct vmcb *vmcb)
{
	const struct vmcb_control *c = &vmcb->ctl;

	if (!(c->intercept_misc2 & SVM_INTERCEPT2_VMRUN))
		return "VMRUN intercept clear";
	if (c->asid == 0)
		return "guest ASID 0";
	return check_save(&vmcb->save);
}
