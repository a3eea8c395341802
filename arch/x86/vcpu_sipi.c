/* SPDX-License-Identifier: Apache-2.0 */
/*
 * vCPU life cycle and the INIT/SIPI state machine (SDM Vol. 3A
 * "Multiple-Processor (MP) Initialization"). Requests from other CPUs are
 * posted into v->pending with atomics; only the owning CPU applies them,
 * between guest runs, because only it may load its VMCS/VMCB. That is also
 * where the console's register snapshots are taken.
 */
#include <arch/cpu.h>
#include <arch/vcpu.h>
#include <arch/vcpu_vendor.h>
#include <hv/string.h>

void vcpu_setup(struct vcpu *v, struct guest *g, u32 index, u32 pcpu)
{
	memset(v, 0, sizeof(*v));
	v->guest = g;
	v->index = index;
	v->pcpu = pcpu;
	v->state = VCPU_STOPPED;
}

static u32 guest_signature(struct vcpu *v)
{
	struct cpuid_regs r;

	cpuid_policy(v, 1, 0, &r);
	return r.eax;
}

int vcpu_start(struct vcpu *v, hpa_t sl_root, const struct vcpu_init_state *boot)
{
	struct vcpu_init_state wait;
	int err;

	__atomic_store_n(&v->pending, 0, __ATOMIC_SEQ_CST);
	memset(&v->stats, 0, sizeof(v->stats));
	v->xcr0 = 1; /* x87 only, the reset value of XCR0 */
	v->signature = guest_signature(v);
	vlapic_reset(v);
	if (v->index != 0) {
		vcpu_state_reset(&wait, v->signature);
		boot = &wait;
	}
	err = vcpu_ops->vcpu_init(v, sl_root, boot);
	if (err)
		return err;
	v->state = v->index == 0 ? VCPU_RUNNABLE : VCPU_WAIT_FOR_SIPI;
	return 0;
}

void vcpu_post_init(struct vcpu *target)
{
	__atomic_fetch_or(&target->pending, VCPU_REQ_INIT, __ATOMIC_SEQ_CST);
	vcpu_kick(target);
}

/* A SIPI counts only when it reaches a CPU waiting for one; later ones are ignored. */
void vcpu_post_sipi(struct vcpu *target, u8 vector)
{
	target->sipi_vector = vector;
	__atomic_fetch_or(&target->pending, VCPU_REQ_SIPI, __ATOMIC_SEQ_CST);
	vcpu_kick(target);
}

void vcpu_request_stop(struct vcpu *v)
{
	__atomic_fetch_or(&v->pending, VCPU_REQ_STOP, __ATOMIC_SEQ_CST);
	vcpu_kick(v);
}

void vcpu_request_snapshot(struct vcpu *v)
{
	__atomic_fetch_or(&v->pending, VCPU_REQ_SNAPSHOT, __ATOMIC_SEQ_CST);
	vcpu_kick(v);
}

void vcpu_take_snapshot(struct vcpu *v)
{
	struct vcpu_snapshot *s = &v->snap;

	for (unsigned int i = 0; i < GPR_COUNT; i++)
		s->gpr[i] = vcpu_gpr_read(v, i);
	s->rip = vcpu_ops->get_reg(v, VCPU_REG_RIP);
	s->rflags = vcpu_ops->get_reg(v, VCPU_REG_RFLAGS);
	s->cr0 = vcpu_ops->get_reg(v, VCPU_REG_CR0);
	s->cr2 = vcpu_ops->get_reg(v, VCPU_REG_CR2);
	s->cr3 = vcpu_ops->get_reg(v, VCPU_REG_CR3);
	s->cr4 = vcpu_ops->get_reg(v, VCPU_REG_CR4);
	s->efer = vcpu_ops->get_reg(v, VCPU_REG_EFER);
	for (unsigned int i = 0; i < SEG_COUNT && vcpu_ops->get_segment; i++)
		vcpu_ops->get_segment(v, (enum seg_reg)i, &s->seg[i]);
	s->state = v->state;
	s->tsc = vcpu_cycles();
	__atomic_add_fetch(&v->snap_seq, 1, __ATOMIC_RELEASE);
}

static void apply_init(struct vcpu *v)
{
	struct vcpu_init_state s;

	vcpu_state_reset(&s, v->signature);
	vcpu_ops->load_state(v, &s);
	vlapic_reset(v);
	v->xcr0 = 1;
	v->state = VCPU_WAIT_FOR_SIPI;
}

static void apply_sipi(struct vcpu *v, u8 vector)
{
	struct vcpu_init_state s;

	vcpu_state_sipi(&s, v->signature, vector);
	vcpu_ops->load_state(v, &s);
	v->state = VCPU_RUNNABLE;
}

/*
 * Order matters when several requests arrived together: STOP wins; INIT
 * before SIPI (INIT-SIPI sent back to back must start the CPU).
 */
enum vcpu_state vcpu_process_pending(struct vcpu *v)
{
	u32 req = __atomic_exchange_n(&v->pending, 0, __ATOMIC_SEQ_CST);

	if (v->state == VCPU_STOPPED || (req & VCPU_REQ_STOP)) {
		v->state = VCPU_STOPPED;
		vcpu_take_snapshot(v); /* the registers it stopped with, for the console */
		return VCPU_STOPPED;
	}
	if (req & VCPU_REQ_INIT)
		apply_init(v);
	if ((req & VCPU_REQ_SIPI) && v->state == VCPU_WAIT_FOR_SIPI)
		apply_sipi(v, v->sipi_vector);
	if (req & VCPU_REQ_SNAPSHOT)
		vcpu_take_snapshot(v);
	return v->state;
}
