/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The run loop of one vCPU on its own physical CPU: apply posted requests,
 * wait while not runnable, deliver pending interrupts, enter the guest,
 * account and dispatch the exit. A halted vCPU waits here, in the
 * hypervisor, until an interrupt it accepts, an NMI, its timer or a request
 * wakes it (vcpu_halt_should_wake).
 */
#include <arch/vcpu.h>
#include <arch/vcpu_vendor.h>

static void account(struct vcpu *v, enum exit_reason r, u64 start)
{
	unsigned int i = (unsigned int)r < EXIT_REASON_COUNT ? r : EXIT_UNHANDLED;

	v->stats.count[i]++;
	v->stats.cycles[i] += vcpu_cycles() - start;
}

void vcpu_loop(struct vcpu *v)
{
	struct vm_exit e;

	for (;;) {
		enum vcpu_state s = vcpu_process_pending(v);
		u64 start;

		if (s == VCPU_STOPPED)
			return;
		if (s == VCPU_HALTED && vcpu_halt_should_wake(v)) {
			v->state = VCPU_RUNNABLE;
			s = VCPU_RUNNABLE;
		}
		if (s != VCPU_RUNNABLE) {
			/* WAIT_FOR_SIPI or HALTED: a posted request or the timer ends the wait. */
			__builtin_ia32_pause();
			continue;
		}
		vcpu_deliver_events(v);
		vcpu_ops->vcpu_run(v, &e);
		start = vcpu_cycles();
		vcpu_handle_exit(v, &e);
		account(v, e.reason, start);
	}
}
