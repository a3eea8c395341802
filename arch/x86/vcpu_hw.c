/* SPDX-License-Identifier: Apache-2.0 */
/* The hardware the vCPU policy touches, kept apart so the policy host-tests. */
#include <arch/cpu.h>
#include <arch/idle.h>
#include <arch/lapic.h>
#include <arch/percpu.h>
#include <arch/tick.h>
#include <arch/tsc.h>
#include <arch/vcpu.h>
#include <hv/vdev.h>

void host_cpuid(u32 leaf, u32 subleaf, struct cpuid_regs *out)
{
	*out = cpuid(leaf, subleaf);
}

/* CPUID.1:ECX.XSAVE (bit 26), then CPUID.(EAX=0DH,ECX=0):EDX:EAX (SDM Vol. 1 13.2). */
u64 host_xcr0_supported(void)
{
	struct cpuid_regs r = cpuid(1, 0);

	if (!(r.ecx & BIT(26)))
		return 0;
	r = cpuid(0xd, 0);
	return ((u64)r.edx << 32) | r.eax;
}

u64 vcpu_cycles(void)
{
	return rdtsc();
}

/* An NMI makes the target leave guest mode (vendors enable NMI exiting). */
void vcpu_kick(struct vcpu *v)
{
	struct percpu *pc = v->pcpu < MAX_CPUS ? percpu_by_index[v->pcpu] : NULL;

	if (pc == this_cpu()) {
		vcpu_tick_kick(v); /* a request from inside its own loop's tick */
		return;
	}
	if (!pc)
		return;
	cpu_wake(pc); /* out of the guest, or out of the halted wait in vcpu_loop */
}

/*
 * The longest a halted vCPU sleeps. Every wake-up it can expect comes as a
 * kick or at a known deadline; this only bounds the cost of one that does not.
 */
#define HALT_SLEEP_MAX_US 10000

void vcpu_halt_sleep(struct vcpu *v, u64 deadline)
{
	struct percpu *pc = this_cpu();
	u64 now = rdtsc();

	if (!lapic_timer_hz())
		return; /* no timer to end the sleep (never calibrated): the caller polls */
	__atomic_store_n(&pc->wake, 0, __ATOMIC_SEQ_CST);
	if (__atomic_load_n(&v->pending, __ATOMIC_SEQ_CST) || (deadline && deadline <= now))
		return;
	lapic_timer_arm(tick_earliest(deadline, now + us_to_cycles(HALT_SLEEP_MAX_US, tsc_hz())));
	cpu_idle_wait(&pc->wake, true);
	lapic_timer_arm(0);
}

u32 host_pio_read(u16 port, unsigned int size)
{
	if (size == 1)
		return inb(port);
	if (size == 2)
		return inw(port);
	return inl(port);
}

void host_pio_write(u16 port, unsigned int size, u32 val)
{
	if (size == 1)
		outb(port, (u8)val);
	else if (size == 2)
		outw(port, (u16)val);
	else
		outl(port, val);
}
