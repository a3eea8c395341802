/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Interrupt delivery into the guest, before each entry, on the vCPU's own
 * CPU (SDM Vol. 3A 11.8 "Handling Interrupts"; docs/vcpu.md "Interrupt
 * delivery"): due timers go to IRR; the highest pending vector above the
 * PPR is injected when the guest can take it (it moves to ISR), otherwise
 * the backend is asked for an exit when the window opens. The backend also
 * learns when the next timer expires (vcpu.exit_by_tsc), so a guest that
 * never exits still gets its timer interrupt.
 */
#include <arch/tick.h>
#include <arch/vcpu.h>
#include <arch/vcpu_vendor.h>
#include <arch/vlapic.h>
#include <hv/guest.h>
#include <hv/vdev.h>

#define RFLAGS_IF BIT64(9)

/*
 * Fires what is due: the vCPU's LAPIC timer, and on the boot vCPU the
 * guest's platform timer (the PIT's IRQ 0, through the IOAPIC), which
 * belongs to no vCPU in particular and is polled by the boot vCPU's CPU.
 */
static void update_timers(struct vcpu *v)
{
	struct guest_devices *d = v->index == 0 ? guest_devices(v->guest) : NULL;

	if (d)
		v->platform_next = vpit_poll(&d->platform.pit, &d->platform.ioapic);
	vlapic_timer_update(v, vcpu_cycles());
}

u64 vcpu_next_timer(const struct vcpu *v)
{
	return tick_earliest(vlapic_timer_next(v), v->platform_next);
}

void vcpu_deliver_events(struct vcpu *v)
{
	int vector;

	update_timers(v);
	v->exit_by_tsc = vcpu_next_timer(v);
	if (v->lapic.nmi_pending && vcpu_ops->inject_nmi(v))
		vlapic_take_nmi(v);
	vector = vlapic_pending_vector(v);
	if (vector < 0) {
		vcpu_ops->interrupt_window(v, false);
		return;
	}
	if (!vcpu_ops->interrupt_allowed(v)) {
		vcpu_ops->interrupt_window(v, true);
		return;
	}
	vcpu_ops->interrupt_window(v, false);
	vlapic_accept(v, (u8)vector);
	vcpu_ops->inject_interrupt(v, (u8)vector);
}

/*
 * HLT ends with an NMI, INIT, SMI, or an interrupt the guest accepts (SDM
 * Vol. 2A HLT): with RFLAGS.IF = 0 a pending interrupt does not wake it.
 * INIT arrives as a request and changes the state itself.
 */
bool vcpu_halt_should_wake(struct vcpu *v)
{
	update_timers(v);
	if (v->lapic.nmi_pending)
		return true;
	return vlapic_has_pending(v) && (vcpu_ops->get_reg(v, VCPU_REG_RFLAGS) & RFLAGS_IF);
}
