/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Interrupt delivery into the guest (SDM Vol. 3C 27.6 "Event Injection",
 * 26.4.2 "Guest Non-Register State", 25.6.2 interrupt-window exiting): the
 * VMX half of the vendor interface's interrupt operations.
 */
#include <arch/cpu.h>

#include "vmcs.h"
#include "vmx.h"
#include "vmx_bits.h"
#include "vmx_hw.h"

#define RFLAGS_IF  BIT64(9)
#define NMI_VECTOR 2

static bool event_queued(void)
{
	return vmread(VMCS_ENTRY_INTR_INFO) & INTR_INFO_VALID;
}

/* External interrupts need IF = 1 and no STI/MOV SS blocking (26.3.1.5, Table 25-3). */
bool vmx_interrupt_allowed(struct vcpu *v)
{
	u64 shadow = vmread(VMCS_GUEST_INTERRUPTIBILITY);

	if (!(vmread(VMCS_GUEST_RFLAGS) & RFLAGS_IF) || event_queued())
		return false;
	return !(shadow & (INTERRUPTIBILITY_STI | INTERRUPTIBILITY_MOV_SS));
}

void vmx_inject_interrupt(struct vcpu *v, u8 vector)
{
	vmcs_write(VMCS_ENTRY_INTR_INFO, INTR_INFO_VALID | INTR_TYPE_EXT_INTR | vector);
}

static void set_proc_control(u32 bit, bool on)
{
	u64 proc = vmread(VMCS_PROC_CONTROLS);
	u64 want = on ? proc | bit : proc & ~(u64)bit;

	if (want != proc)
		vmcs_write(VMCS_PROC_CONTROLS, want);
}

/* Interrupt-window exiting: an exit before the first instruction run with IF = 1 and no
 * blocking (25.6.2, 26.7.5). */
void vmx_interrupt_window(struct vcpu *v, bool on)
{
	set_proc_control(PROC_INTR_WINDOW, on);
}

/*
 * With virtual NMIs an injected NMI sets virtual-NMI blocking, which the
 * guest's IRET clears (26.3, 27.6.1.2). An NMI that must wait for that asks
 * for NMI-window exiting: an exit once nothing blocks it (25.6.2, 27.7.6);
 * without that control it waits for the next exit of any kind.
 */
bool vmx_inject_nmi(struct vcpu *v)
{
	u64 shadow = vmread(VMCS_GUEST_INTERRUPTIBILITY);

	if (event_queued() ||
	    (shadow & (INTERRUPTIBILITY_STI | INTERRUPTIBILITY_MOV_SS | INTERRUPTIBILITY_NMI))) {
		if (vmx_cfg.nmi_window)
			set_proc_control(PROC_NMI_WINDOW, true);
		return false;
	}
	if (vmx_cfg.nmi_window)
		set_proc_control(PROC_NMI_WINDOW, false);
	vmcs_write(VMCS_ENTRY_INTR_INFO, INTR_INFO_VALID | INTR_TYPE_NMI | NMI_VECTOR);
	return true;
}

hpa_t vmx_sl_root(struct vcpu *v)
{
	return to_vmx(v)->eptp & PAGE_MASK;
}
