/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Raw VMX exit information -> struct vm_exit (arch/exit.h). Pure: the
 * hardware half (vmx_run.c) reads the VMCS fields into struct vmx_exit_raw,
 * the const table in vmx_decode.c turns them into the neutral exit.
 *
 * Vendor header: included by arch/x86/vmx/ only.
 */
#ifndef VMX_DECODE_H
#define VMX_DECODE_H

#include <arch/exit.h>
#include <hv/vcpu_state.h>

struct vmx_exit_raw {
	u32 reason;	/* the exit-reason field, bit 31 included */
	u64 qual;	/* exit qualification */
	u32 intr_info;	/* VM-exit interruption information */
	u32 intr_error; /* VM-exit interruption error code */
	u32 insn_len;	/* VM-exit instruction length */
	u64 gpa;	/* guest-physical address (EPT exits) */
	u64 gla;	/* guest-linear address */
	u64 rip;
	u64 cr0;	/* CR0 as the guest sees it (LMSW) */
	const u64 *gpr; /* GPRs in enum gpr order, gpr[GPR_RSP] valid */
};

/* Fills *out; reasons the table does not map become EXIT_UNHANDLED. */
void vmx_decode_exit(const struct vmx_exit_raw *raw, struct vm_exit *out);

/* Whether the VMX exit reason `basic` has a decoder (tests: the table is what it claims). */
bool vmx_exit_mapped(u32 basic);

/*
 * True when the exit was a fault on a guest IRET that had unblocked virtual
 * NMIs (SDM Vol. 3C 28.2.3): bit 12 of the interruption information for
 * exceptions, of the qualification for EPT violations.
 */
bool vmx_exit_unblocked_nmi(const struct vmx_exit_raw *raw);

#endif
