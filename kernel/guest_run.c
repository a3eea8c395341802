/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Building the guests of the plan and running their vCPUs on the physical
 * CPUs they own. Every vCPU runs on its own CPU as that CPU's parked work
 * (smp_call_on). The boot vCPU's CPU also coordinates a guest's end: it waits
 * until every vCPU of the guest has left guest mode, prints the statistics,
 * and for `on_fault = restart` scrubs the memory, reloads the pristine image
 * and starts the guest again.
 */
#include <arch/cpu.h>
#include <arch/percpu.h>
#include <arch/smp.h>
#include <arch/tsc.h>
#include <hv/boot_info.h>
#include <hv/errno.h>
#include <hv/mm.h>
#include <hv/partition.h>
#include <hv/printk.h>
#include <hv/sl_build.h>
#include <hv/string.h>

#include "guest_priv.h"

/* How long a CPU still leaving its last guest may take to accept new guest work. */
#define DISPATCH_GRACE_US 5000000

static volatile bool cpu_virt_enabled[MAX_CPUS];

/* Physical CPU index of configuration CPU n: the n-th enabled MADT CPU, by APIC ID. */
static int pcpu_of(const struct machine_desc *m, u32 n, u32 *out)
{
	for (u32 i = 0; n < m->cpu_count && i < MAX_CPUS; i++) {
		struct percpu *pc = percpu_by_index[i];
		if (pc && pc->online && pc->apic_id == m->apic_ids[n]) {
			*out = i;
			return 0;
		}
	}
	return -ENODEV;
}

static int enable_this_cpu(void)
{
	u32 me = this_cpu()->cpu_index;
	int rc;

	if (cpu_virt_enabled[me])
		return 0;
	rc = vcpu_cpu_enable();
	if (!rc)
		cpu_virt_enabled[me] = true;
	return rc;
}

/* Runs one vCPU until it stops; true if this was the guest's last one out. */
static bool run_vcpu(struct vcpu *v)
{
	struct guest *g = v->guest;
	int rc = enable_this_cpu();

	if (!rc)
		rc = vcpu_start(v, g->sl.root, &g->boot_state);
	if (rc)
		guest_stop(g, rc == -ENODEV ? "virtualization unavailable on its CPU"
					    : "its vCPU could not be started");
	else
		vcpu_loop(v);
	return __atomic_sub_fetch(&g->vcpus_running, 1, __ATOMIC_ACQ_REL) == 0;
}

static void dispatch(u32 pcpu, cpu_work_fn fn, void *arg)
{
	struct percpu *self = this_cpu();
	int rc;

	if (pcpu == self->cpu_index) {
		/* Our own CPU: picked up when this CPU parks. */
		self->work_arg = arg;
		__atomic_store_n(&self->work, fn, __ATOMIC_RELEASE);
		return;
	}
	rc = smp_call_on(pcpu, fn, arg);
	/* A CPU still leaving its last guest takes the call late: give it time. */
	for (u64 waited = 0; rc == -ETIMEDOUT && waited < DISPATCH_GRACE_US; waited += 1000) {
		tsc_delay_us(1000);
		if (!__atomic_load_n(&percpu_by_index[pcpu]->work, __ATOMIC_ACQUIRE))
			rc = 0;
	}
	if (rc)
		pr_err("bulkhead: CPU %u did not take its guest work (%d)", pcpu, rc);
}

static void secondary_vcpu_work(void *arg);
static void boot_vcpu_work(void *arg);

static void launch(struct guest *g)
{
	char cpus[64];

	g->active = true;
	g->restart_requested = false;
	g->stopping = 0;
	g->state = GUEST_RUNNING;
	g->vcpus_running = g->vcpu_count;
	g->started_tsc = rdtsc();
	guest_format_cpus(g, cpus, sizeof(cpus));
	if (!g->restarts)
		pr_info("bulkhead: guest %s started on cpus %s", g->cfg->name, cpus);
	for (u32 i = 1; i < g->vcpu_count; i++)
		dispatch(g->pcpu[i], secondary_vcpu_work, &g->vcpus[i]);
	dispatch(g->pcpu[0], boot_vcpu_work, &g->vcpus[0]);
}

static void secondary_vcpu_work(void *arg)
{
	run_vcpu(arg);
}

static void wait_for_all_vcpus(struct guest *g)
{
	while (__atomic_load_n(&g->vcpus_running, __ATOMIC_ACQUIRE))
		cpu_relax();
}

static bool restart(struct guest *g)
{
	if (guest_load_image(g) || guest_devices_init(&g->devices, g, g->cfg)) {
		pr_err("bulkhead: guest %s cannot be restarted", g->cfg->name);
		g->state = GUEST_FAILED;
		return false;
	}
	g->restarts++;
	pr_info("bulkhead: guest %s restarted", g->cfg->name);
	return true;
}

static void boot_vcpu_work(void *arg)
{
	struct vcpu *v = arg;
	struct guest *g = v->guest;

	if (!run_vcpu(v))
		wait_for_all_vcpus(g);
	guest_print_stats(g);
	if (g->restart_requested && restart(g)) {
		launch(g);
		return;
	}
	__atomic_store_n(&g->active, false, __ATOMIC_RELEASE);
}

/* The console's start and restart (kernel/guest_admin.c): g is not active. */
int guest_relaunch(struct guest *g, bool reload)
{
	if (reload && !restart(g))
		return -EIO;
	launch(g);
	return 0;
}

/* ---- building ------------------------------------------------------------------ */

static bool shared_claimed[CFG_MAX_SHARED];

/* Shared regions belong to no guest: taken once, zeroed once, never scrubbed by a restart. */
static void claim_shared_regions(const struct plan *plan)
{
	for (u32 i = 0; i < plan->shared_count; i++) {
		const struct plan_shared *s = &plan->shared[i];

		if (mm_claim(s->hpa, s->size)) {
			pr_err("bulkhead: shared region %s: host memory %#llx+%#llx is not free",
			       s->name, (unsigned long long)s->hpa, (unsigned long long)s->size);
			continue;
		}
		memset(phys_to_virt(s->hpa), 0, s->size);
		shared_claimed[i] = true;
	}
}

/* A guest may only map shared regions whose memory was really taken for them. */
static int check_shared_regions(const struct guest *g)
{
	const struct plan *plan = g->whole_plan;

	for (u32 i = 0; i < plan->shared_count; i++)
		if (plan_shared_has_guest(&plan->shared[i], g->plan_index) && !shared_claimed[i]) {
			pr_err("bulkhead: guest %s: shared region %s is unavailable", g->cfg->name,
			       plan->shared[i].name);
			return -EBUSY;
		}
	return 0;
}

static int setup_vcpus(struct guest *g, const struct machine_desc *m)
{
	g->vcpu_count = g->plan->cpu_count;
	for (u32 i = 0; i < g->vcpu_count; i++) {
		if (pcpu_of(m, g->plan->cpus[i], &g->pcpu[i])) {
			pr_err("bulkhead: guest %s: CPU %u is not online", g->cfg->name,
			       g->plan->cpus[i]);
			return -ENODEV;
		}
		vcpu_setup(&g->vcpus[i], g, i, g->pcpu[i]);
	}
	return 0;
}

static int build_guest(struct guest *g, const struct boot_info *bi, const struct machine_desc *m)
{
	int rc;

	g->boot = bi;
	g->image = boot_find_file(bi, g->cfg->kernel);
	if (!g->image) {
		pr_err("bulkhead: guest %s: image %s was not loaded", g->cfg->name, g->cfg->kernel);
		return -ENOENT;
	}
	rc = check_shared_regions(g);
	if (!rc)
		rc = setup_vcpus(g, m);
	if (!rc)
		rc = guest_build_memory(g);
	if (!rc)
		rc = guest_devices_init(&g->devices, g, g->cfg);
	if (!rc)
		rc = guest_load_image(g);
	return rc;
}

void guests_create_and_start(const struct boot_info *bi, const struct config *cfg,
			     const struct plan *plan, const struct machine_desc *m)
{
	claim_shared_regions(plan);
	for (u32 i = 0; i < plan->guest_count; i++) {
		struct guest *g = &guests[guest_count++];

		g->whole_plan = plan;
		g->plan_index = i;
		g->plan = &plan->guests[i];
		g->cfg = &cfg->guests[g->plan->cfg_index];
		if (build_guest(g, bi, m)) {
			g->state = GUEST_FAILED;
			pr_err("bulkhead: guest %s not started", g->cfg->name);
			continue;
		}
		if (g->cfg->autostart)
			launch(g);
	}
}

bool guests_active(void)
{
	for (u32 i = 0; i < guest_count; i++) {
		if (__atomic_load_n(&guests[i].active, __ATOMIC_ACQUIRE))
			return true;
	}
	return false;
}
