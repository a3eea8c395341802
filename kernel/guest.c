/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Guests: what each one is, its life-cycle events, and how it is stopped.
 * Event lines are stable (docs/console.md):
 *	bulkhead: guest NAME started on cpus 1-2
 *	bulkhead: guest NAME exited code=N
 *	bulkhead: guest NAME stopped: WHY
 *	bulkhead: guest NAME restarted
 *	bulkhead: guest NAME powered off
 *	bulkhead: guest NAME reset
 */
#include <arch/cpu.h>
#include <arch/tsc.h>
#include <hv/printk.h>
#include <hv/string.h>

#include "guest_priv.h"

struct guest guests[CFG_MAX_GUESTS];
u32 guest_count;

const char *guest_name(const struct guest *g)
{
	return g->cfg->name;
}

u32 guest_vcpu_count(const struct guest *g)
{
	return g->vcpu_count;
}

struct vcpu *guest_vcpu(struct guest *g, u32 index)
{
	return index < g->vcpu_count ? &g->vcpus[index] : NULL;
}

struct guest_devices *guest_devices(struct guest *g)
{
	return &g->devices;
}

/* The first stop of a run wins; later calls (other vCPUs, the exit port) only kick. */
static bool claim_stop(struct guest *g)
{
	u32 expected = 0;

	return __atomic_compare_exchange_n(&g->stopping, &expected, 1, false, __ATOMIC_ACQ_REL,
					   __ATOMIC_ACQUIRE);
}

static void stop_all_vcpus(struct guest *g)
{
	for (u32 i = 0; i < g->vcpu_count; i++)
		vcpu_request_stop(&g->vcpus[i]);
}

void guest_stop(struct guest *g, const char *why)
{
	if (!claim_stop(g)) {
		stop_all_vcpus(g);
		return;
	}
	hv_strlcpy(g->stop_reason, why, sizeof(g->stop_reason));
	g->restart_requested = g->cfg->on_fault == CFG_FAULT_RESTART;
	g->state = GUEST_STOPPED;
	vuart_flush(&g->devices.uart);
	pr_err("bulkhead: guest %s stopped: %s", g->cfg->name, why);
	stop_all_vcpus(g);
}

void guest_exit_code(struct guest *g, u32 code)
{
	if (!claim_stop(g)) {
		stop_all_vcpus(g);
		return;
	}
	g->exit_code = code;
	g->restart_requested = false;
	g->state = GUEST_EXITED;
	vuart_flush(&g->devices.uart);
	pr_info("bulkhead: guest %s exited code=%u", g->cfg->name, code);
	stop_all_vcpus(g);
}

void guest_power_off(struct guest *g)
{
	if (!claim_stop(g)) {
		stop_all_vcpus(g);
		return;
	}
	hv_strlcpy(g->stop_reason, "powered off", sizeof(g->stop_reason));
	g->restart_requested = false;
	g->state = GUEST_STOPPED;
	vuart_flush(&g->devices.uart);
	pr_info("bulkhead: guest %s powered off", g->cfg->name);
	stop_all_vcpus(g);
}

/* The restart itself happens once every vCPU has stopped (guest_run.c, boot_vcpu_work). */
void guest_reset(struct guest *g)
{
	if (!claim_stop(g)) {
		stop_all_vcpus(g);
		return;
	}
	hv_strlcpy(g->stop_reason, "reset", sizeof(g->stop_reason));
	g->restart_requested = true;
	g->state = GUEST_STOPPED;
	vuart_flush(&g->devices.uart);
	pr_info("bulkhead: guest %s reset", g->cfg->name);
	stop_all_vcpus(g);
}

/* Exit counts per reason, per vCPU (issue: counters printed at guest stop). */
void guest_print_stats(struct guest *g)
{
	u64 us = tsc_to_us(rdtsc() - g->started_tsc);

	pr_info("bulkhead: guest %s ran %llu.%03llu ms; exits per reason:", g->cfg->name,
		(unsigned long long)(us / 1000), (unsigned long long)(us % 1000));
	for (u32 i = 0; i < g->vcpu_count; i++)
		vcpu_print_stats(&g->vcpus[i]);
}

/* "1-2,5" from the guest's CPU list, in the configuration's order. */
void guest_format_cpus(const struct guest *g, char *buf, size_t size)
{
	size_t len = 0;

	buf[0] = '\0';
	for (u32 i = 0; i < g->plan->cpu_count && len < size; i++) {
		u32 first = g->plan->cpus[i], last = first;

		while (i + 1 < g->plan->cpu_count && g->plan->cpus[i + 1] == last + 1)
			last = g->plan->cpus[++i];
		if (last == first)
			len += (size_t)hv_snprintf(buf + len, size - len, "%s%u", len ? "," : "",
						   first);
		else
			len += (size_t)hv_snprintf(buf + len, size - len, "%s%u-%u", len ? "," : "",
						   first, last);
	}
}
