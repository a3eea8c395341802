/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The console's view of the guests and its actions on them
 * (include/hv/guest_admin.h). Runs on the console CPU; it changes a guest
 * only through the guest layer's protocol: a stop is claimed like
 * guest_stop() claims it, vCPUs are asked through their pending word, and a
 * guest is launched again only once its boot vCPU has finished with it.
 */
#include <arch/cpu.h>
#include <arch/percpu.h>
#include <arch/tsc.h>
#include <hv/errno.h>
#include <hv/guest_admin.h>
#include <hv/mm.h>
#include <hv/printk.h>
#include <hv/string.h>

#include "guest_priv.h"

#define ADMIN_WAIT_US 3000000 /* a guest's CPUs answer within this (Bochs is slow) */
#define ADMIN_POLL_US 100

static struct exit_stats baseline[CFG_MAX_GUESTS][CFG_MAX_GUEST_CPUS];
static u32 baseline_gen[CFG_MAX_GUESTS]; /* restarts count when the baseline was taken */
static u32 flush_seen[CFG_MAX_GUESTS];

static struct guest *get(u32 idx)
{
	return idx < guest_count ? &guests[idx] : NULL;
}

u32 ga_guest_count(void)
{
	return guest_count;
}

int ga_guest_find(const char *name)
{
	for (u32 i = 0; i < guest_count; i++)
		if (!strcmp(guests[i].cfg->name, name))
			return (int)i;
	return -ENOENT;
}

int ga_guest_of_uart(const struct vuart *u)
{
	for (u32 i = 0; i < guest_count; i++)
		if (&guests[i].devices.uart == u)
			return (int)i;
	return -ENOENT;
}

int ga_guest_get(u32 idx, struct ga_guest *out)
{
	struct guest *g = get(idx);

	if (!g)
		return -ENOENT;
	memset(out, 0, sizeof(*out));
	out->name = g->cfg->name;
	out->state = (enum ga_state)g->state;
	out->active = __atomic_load_n(&g->active, __ATOMIC_ACQUIRE);
	out->exit_code = g->exit_code;
	out->restarts = g->restarts;
	out->stop_reason = g->stop_reason;
	if (g->state == GUEST_RUNNING && g->started_tsc)
		out->uptime_us = tsc_to_us(rdtsc() - g->started_tsc);
	guest_format_cpus(g, out->cpus, sizeof(out->cpus));
	out->vcpu_count = g->vcpu_count;
	out->cfg = g->cfg;
	out->plan = g->plan;
	out->bus = &g->devices.bus;
	out->uart = g->cfg->uart_port ? &g->devices.uart : NULL;
	return 0;
}

static bool wait_inactive(struct guest *g)
{
	for (u64 t = 0; t < ADMIN_WAIT_US; t += ADMIN_POLL_US) {
		if (!__atomic_load_n(&g->active, __ATOMIC_ACQUIRE))
			return true;
		tsc_delay_us(ADMIN_POLL_US);
	}
	return false;
}

/*
 * Whether the caller is the hypervisor tick of one of g's own vCPUs (the
 * console sharing a CPU with the guest): that vCPU can only stop once the
 * tick returns, so waiting for it here would wait for ourselves.
 */
static bool runs_here(const struct guest *g)
{
	u32 me = this_cpu()->cpu_index;

	for (u32 i = 0; i < g->vcpu_count; i++)
		if (g->pcpu[i] == me && g->vcpus[i].state != VCPU_STOPPED)
			return true;
	return false;
}

/* The operator's stop: guest_stop()'s protocol, but never restarted by on_fault. */
static int stop_guest(struct guest *g)
{
	u32 expected = 0;

	if (!__atomic_load_n(&g->active, __ATOMIC_ACQUIRE))
		return -EINVAL;
	if (__atomic_compare_exchange_n(&g->stopping, &expected, 1, false, __ATOMIC_ACQ_REL,
					__ATOMIC_ACQUIRE)) {
		hv_strlcpy(g->stop_reason, "by the operator", sizeof(g->stop_reason));
		g->restart_requested = false;
		g->state = GUEST_STOPPED;
		vuart_flush(&g->devices.uart);
		pr_info("bulkhead: guest %s stopped: by the operator", g->cfg->name);
	}
	for (u32 i = 0; i < g->vcpu_count; i++)
		vcpu_request_stop(&g->vcpus[i]);
	if (runs_here(g))
		return -EINPROGRESS;
	return wait_inactive(g) ? 0 : -ETIMEDOUT;
}

int ga_stop(u32 idx)
{
	struct guest *g = get(idx);

	return g ? stop_guest(g) : -ENOENT;
}

static int relaunch(struct guest *g)
{
	bool reload = g->state != GUEST_CREATED;

	if (g->state == GUEST_FAILED && !g->restarts && !g->started_tsc)
		return -EIO; /* never built */
	return guest_relaunch(g, reload);
}

int ga_start(u32 idx)
{
	struct guest *g = get(idx);

	if (!g)
		return -ENOENT;
	if (__atomic_load_n(&g->active, __ATOMIC_ACQUIRE))
		return -EBUSY;
	return relaunch(g);
}

int ga_restart(u32 idx)
{
	struct guest *g = get(idx);
	int rc;

	if (!g)
		return -ENOENT;
	rc = stop_guest(g);
	if (rc && rc != -EINVAL)
		return rc;
	return relaunch(g);
}

static bool wait_snapshot(struct vcpu *v, u32 before)
{
	for (u64 t = 0; t < ADMIN_WAIT_US; t += ADMIN_POLL_US) {
		if (__atomic_load_n(&v->snap_seq, __ATOMIC_ACQUIRE) != before)
			return true;
		if (v->state == VCPU_STOPPED)
			return false;
		tsc_delay_us(ADMIN_POLL_US);
	}
	return false;
}

int ga_regs(u32 idx, u32 vcpu, struct vcpu_snapshot *out, bool *live)
{
	struct guest *g = get(idx);
	struct vcpu *v = g ? guest_vcpu(g, vcpu) : NULL;
	u32 before;

	if (!v)
		return -ENOENT;
	*live = false;
	if (g->state == GUEST_RUNNING && v->state != VCPU_STOPPED) {
		before = __atomic_load_n(&v->snap_seq, __ATOMIC_ACQUIRE);
		vcpu_request_snapshot(v);
		*live = wait_snapshot(v, before);
		if (!*live && v->state != VCPU_STOPPED)
			return -ETIMEDOUT;
	}
	if (!v->snap.tsc)
		return -ENOSYS;
	*out = v->snap;
	return 0;
}

const char *ga_vcpu_state(u32 idx, u32 vcpu)
{
	static const char *const names[] = {
		[VCPU_WAIT_FOR_SIPI] = "wait-for-sipi",
		[VCPU_RUNNABLE] = "running",
		[VCPU_HALTED] = "halted",
		[VCPU_STOPPED] = "stopped",
	};
	struct guest *g = get(idx);
	struct vcpu *v = g ? guest_vcpu(g, vcpu) : NULL;

	if (!v || v->state > VCPU_STOPPED)
		return "?";
	return names[v->state];
}

int ga_exit_stats(u32 idx, u32 vcpu, struct exit_stats *total, struct exit_stats *since)
{
	struct guest *g = get(idx);
	struct vcpu *v = g ? guest_vcpu(g, vcpu) : NULL;
	const struct exit_stats *b;

	if (!v)
		return -ENOENT;
	*total = v->stats;
	b = &baseline[idx][vcpu];
	for (u32 r = 0; r < EXIT_REASON_COUNT; r++) {
		/* A restart zeroes the counters: an older baseline no longer applies. */
		bool stale = baseline_gen[idx] != g->restarts || b->count[r] > total->count[r];

		since->count[r] = total->count[r] - (stale ? 0 : b->count[r]);
		since->cycles[r] = total->cycles[r] - (stale ? 0 : b->cycles[r]);
	}
	return 0;
}

void ga_stats_reset(void)
{
	for (u32 i = 0; i < guest_count; i++) {
		for (u32 c = 0; c < guests[i].vcpu_count; c++)
			baseline[i][c] = guests[i].vcpus[c].stats;
		baseline_gen[i] = guests[i].restarts;
	}
}

u32 ga_cpu_count(void)
{
	u32 n = 0;

	for (u32 i = 0; i < MAX_CPUS; i++)
		if (percpu_by_index[i])
			n = i + 1;
	return n;
}

int ga_cpu_get(u32 index, struct ga_cpu *out)
{
	struct percpu *pc = index < MAX_CPUS ? percpu_by_index[index] : NULL;

	if (!pc)
		return -ENOENT;
	memset(out, 0, sizeof(*out));
	out->index = index;
	out->apic_id = pc->apic_id;
	out->online = pc->online || index == 0;
	for (u32 i = 0; i < guest_count; i++)
		for (u32 c = 0; c < guests[i].vcpu_count; c++)
			if (guests[i].pcpu[c] == index && guests[i].state != GUEST_FAILED) {
				out->owner = guests[i].cfg->name;
				out->vcpu = c;
			}
	return 0;
}

const struct boot_mem_range *ga_memmap(u32 *count)
{
	return mm_memmap(count);
}

const char *ga_mem_type_name(u32 type)
{
	return mm_type_name(type);
}

int ga_uart_input(u32 idx, u8 c)
{
	struct guest *g = get(idx);

	if (!g || !g->cfg->uart_port)
		return -ENODEV;
	return vuart_receive(&g->devices.uart, c);
}

void ga_uart_flush_idle(void)
{
	for (u32 i = 0; i < guest_count; i++)
		if (guests[i].cfg->uart_port)
			vuart_flush_if_idle(&guests[i].devices.uart, &flush_seen[i]);
}
