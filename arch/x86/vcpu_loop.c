/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The run loop of one vCPU on its own physical CPU: apply posted requests,
 * wait while not runnable, deliver pending interrupts, enter the guest,
 * account and dispatch the exit. A halted vCPU waits here, in the
 * hypervisor, until an interrupt it accepts, an NMI, its timer or a request
 * wakes it (vcpu_halt_should_wake).
 *
 * The hypervisor tick (arch/tick.h): when the CPU has a tick function (the
 * console CPU running a guest), the loop calls it between two guest runs
 * once per tick period, and tells the backend, through vcpu.exit_by_tsc,
 * to leave the guest by the next tick at the latest.
 */
#include <arch/lapic.h>
#include <arch/percpu.h>
#include <arch/tick.h>
#include <arch/tsc.h>
#include <arch/vcpu.h>
#include <arch/vcpu_vendor.h>

static void account(struct vcpu *v, enum exit_reason r, u64 start)
{
	unsigned int i = (unsigned int)r < EXIT_REASON_COUNT ? r : EXIT_UNHANDLED;

	v->stats.count[i]++;
	v->stats.cycles[i] += vcpu_cycles() - start;
}

/* Runs the tick function when its time has come; returns the next tick's TSC, 0 if none. */
static u64 tick(struct percpu *pc, struct vcpu *v)
{
	cpu_work_fn fn = __atomic_load_n(&pc->tick_fn, __ATOMIC_ACQUIRE);
	u64 now;

	if (!fn) {
		pc->tick_next = 0;
		return 0;
	}
	now = vcpu_cycles();
	if (pc->tick_next > now)
		return pc->tick_next;
	pc->tick_next = tick_advance(pc->tick_next, tick_period(tsc_hz()), now);
	pc->tick_vcpu = v;
	fn(pc->tick_arg);
	pc->tick_vcpu = NULL;
	return pc->tick_next;
}

/*
 * A request posted to this CPU's own vCPU from inside its tick (the console
 * asking for the registers of the guest it shares the CPU with): nobody can
 * kick the loop that is waiting for the tick to return, so the snapshot is
 * taken here and now, between two guest runs, as the loop would.
 */
void vcpu_tick_kick(struct vcpu *v)
{
	if (this_cpu()->tick_vcpu != v)
		return;
	if (__atomic_fetch_and(&v->pending, ~(u32)VCPU_REQ_SNAPSHOT, __ATOMIC_SEQ_CST) &
	    VCPU_REQ_SNAPSHOT)
		vcpu_take_snapshot(v);
}

void vcpu_loop(struct vcpu *v)
{
	struct percpu *pc = this_cpu();
	struct vm_exit e;

	pc->tick_next = 0;
	/* The halted wait sleeps on this CPU's APIC timer, and SVM's guest runs end by it. */
	lapic_timer_setup();
	for (;;) {
		/* The tick first: what it posts (a stop, a snapshot) is applied right after. */
		u64 next_tick = tick(pc, v);
		enum vcpu_state s = vcpu_process_pending(v);
		u64 start;

		if (s == VCPU_STOPPED)
			return;
		if (s == VCPU_HALTED && vcpu_halt_should_wake(v)) {
			v->state = VCPU_RUNNABLE;
			s = VCPU_RUNNABLE;
		}
		if (s != VCPU_RUNNABLE) {
			/* WAIT_FOR_SIPI or HALTED: a posted request, the timer or the tick ends the
			 * wait. */
			vcpu_halt_sleep(v, tick_earliest(vcpu_next_timer(v), next_tick));
			continue;
		}
		vcpu_deliver_events(v);
		v->exit_by_tsc = tick_earliest(v->exit_by_tsc, next_tick);
		vcpu_ops->vcpu_run(v, &e);
		start = vcpu_cycles();
		vcpu_handle_exit(v, &e);
		account(v, e.reason, start);
	}
}
