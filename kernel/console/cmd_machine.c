/* SPDX-License-Identifier: Apache-2.0 */
/* Machine-wide commands: cpus, mem, stats. */
#include <arch/exit.h>
#include <hv/console.h>
#include <hv/guest_admin.h>
#include <hv/printk.h>
#include <hv/string.h>

#include "commands.h"

/* ---- cpus ------------------------------------------------------------------------ */

static void cpu_owner(const struct ga_cpu *c, char *buf, size_t size)
{
	if (c->owner)
		hv_snprintf(buf, size, "%s vcpu %u", c->owner, c->vcpu);
	else
		hv_snprintf(buf, size, "hypervisor%s",
			    c->index == console_cpu_index() ? " (console)" : "");
}

void cmd_cpus(struct con_out *o, int argc, char **argv)
{
	char owner[64];
	struct ga_cpu c;

	if (o->json)
		json_begin(o), json_arr(o, "cpus");
	else
		con_printf(o, "%-4s %-8s %-8s %s\n", "CPU", "APIC ID", "ONLINE", "OWNER");
	for (u32 i = 0; i < ga_cpu_count(); i++) {
		if (ga_cpu_get(i, &c))
			continue;
		if (!o->json) {
			cpu_owner(&c, owner, sizeof(owner));
			con_printf(o, "%-4u %-8u %-8s %s\n", c.index, c.apic_id,
				   c.online ? "yes" : "no", owner);
			continue;
		}
		json_obj(o, NULL);
		json_u64(o, "cpu", c.index);
		json_u64(o, "apic_id", c.apic_id);
		json_bool(o, "online", c.online);
		json_str(o, "owner", c.owner ? c.owner : "hypervisor");
		if (c.owner)
			json_u64(o, "vcpu", c.vcpu);
		json_bool(o, "console", c.index == console_cpu_index());
		json_obj_end(o);
	}
	if (o->json)
		json_arr_end(o), json_end(o);
}

/* ---- mem ------------------------------------------------------------------------- */

static void mem_range(struct con_out *o, u64 base, u64 size, const char *type, const char *owner)
{
	char sz[24];

	if (o->json) {
		json_obj(o, NULL);
		json_hex(o, "base", base);
		json_u64(o, "size", size);
		json_str(o, "type", type);
		json_str(o, "owner", owner);
		json_obj_end(o);
		return;
	}
	con_size(sz, sizeof(sz), size);
	con_printf(o, "0x%016llx-0x%016llx %-8s %-16s %s\n", (unsigned long long)base,
		   (unsigned long long)(base + size - 1), sz, type, owner);
}

/* Usable RAM is the allocator's (guests' memory is listed apart); loaded: boot files. */
static const char *range_owner(u32 type)
{
	if (type == BOOT_MEM_USABLE)
		return "hypervisor allocator";
	if (type == BOOT_MEM_LOADED)
		return "hypervisor image and boot files";
	return "firmware";
}

static void mem_guests(struct con_out *o)
{
	struct ga_guest g;

	for (u32 i = 0; i < ga_guest_count(); i++) {
		if (ga_guest_get(i, &g))
			continue;
		for (u32 e = 0; e < g.plan->extent_count; e++)
			mem_range(o, g.plan->extents[e].hpa, g.plan->extents[e].size, "guest",
				  g.name);
	}
}

void cmd_mem(struct con_out *o, int argc, char **argv)
{
	const struct boot_mem_range *map;
	u32 n;

	map = ga_memmap(&n);
	if (o->json)
		json_begin(o), json_arr(o, "map");
	else
		con_printf(o, "%-37s %-8s %-16s %s\n", "RANGE", "SIZE", "TYPE", "OWNER");
	for (u32 i = 0; map && i < n; i++)
		mem_range(o, map[i].base, map[i].length, ga_mem_type_name(map[i].type),
			  range_owner(map[i].type));
	if (o->json)
		json_arr_end(o), json_arr(o, "guests");
	else
		con_puts(o, "guest memory (taken from the usable ranges above):\n");
	mem_guests(o);
	if (o->json)
		json_arr_end(o), json_end(o);
}

/* ---- stats ----------------------------------------------------------------------- */

static u64 per_exit(u64 cycles, u64 count)
{
	return count ? cycles / count : 0;
}

static void stats_vcpu_text(struct con_out *o, u32 v, const struct exit_stats *t,
			    const struct exit_stats *r)
{
	for (u32 i = 0; i < EXIT_REASON_COUNT; i++) {
		if (!t->count[i])
			continue;
		con_printf(o, "  %-4u %-16s %12llu %12llu %12llu %12llu\n", v,
			   exit_reason_name((enum exit_reason)i), (unsigned long long)t->count[i],
			   (unsigned long long)per_exit(t->cycles[i], t->count[i]),
			   (unsigned long long)r->count[i],
			   (unsigned long long)per_exit(r->cycles[i], r->count[i]));
	}
}

static void stats_vcpu_json(struct con_out *o, u32 v, const struct exit_stats *t,
			    const struct exit_stats *r)
{
	json_obj(o, NULL);
	json_u64(o, "vcpu", v);
	json_arr(o, "exits");
	for (u32 i = 0; i < EXIT_REASON_COUNT; i++) {
		if (!t->count[i])
			continue;
		json_obj(o, NULL);
		json_str(o, "reason", exit_reason_name((enum exit_reason)i));
		json_u64(o, "count", t->count[i]);
		json_u64(o, "cycles", t->cycles[i]);
		json_u64(o, "count_since_reset", r->count[i]);
		json_u64(o, "cycles_since_reset", r->cycles[i]);
		json_obj_end(o);
	}
	json_arr_end(o);
	json_obj_end(o);
}

static void stats_output(struct con_out *o, u32 idx)
{
	const struct mux_src *m = console_mux_of(idx);
	u64 lines = m ? m->lines : 0, bytes = m ? m->bytes : 0;
	u64 dl = m ? m->dropped_lines : 0, db = m ? m->dropped_bytes : 0;

	if (o->json) {
		json_obj(o, "output");
		json_u64(o, "lines", lines);
		json_u64(o, "bytes", bytes);
		json_u64(o, "dropped_lines", dl);
		json_u64(o, "dropped_bytes", db);
		json_obj_end(o);
	} else {
		con_printf(o, "  output: %llu lines, %llu bytes; dropped %llu lines, %llu bytes\n",
			   (unsigned long long)lines, (unsigned long long)bytes,
			   (unsigned long long)dl, (unsigned long long)db);
	}
}

static void stats_guest(struct con_out *o, u32 idx)
{
	struct exit_stats t, r;
	struct ga_guest g;

	if (ga_guest_get(idx, &g))
		return;
	if (o->json) {
		json_begin(o);
		json_str(o, "guest", g.name);
		stats_output(o, idx);
		json_arr(o, "vcpus");
	} else {
		con_printf(o, "guest %s:\n", g.name);
		stats_output(o, idx);
		con_printf(o, "  %-4s %-16s %12s %12s %12s %12s\n", "VCPU", "REASON", "EXITS",
			   "CYCLES/EXIT", "SINCE RESET", "CYCLES/EXIT");
	}
	for (u32 v = 0; v < g.vcpu_count; v++) {
		if (ga_exit_stats(idx, v, &t, &r))
			continue;
		if (o->json)
			stats_vcpu_json(o, v, &t, &r);
		else
			stats_vcpu_text(o, v, &t, &r);
	}
	if (o->json)
		json_arr_end(o), json_end(o);
}

void cmd_stats(struct con_out *o, int argc, char **argv)
{
	int idx;

	if (argc > 1 && !strcmp(argv[1], "reset")) {
		ga_stats_reset();
		if (o->json)
			json_begin(o), json_str(o, "stats", "reset"), json_end(o);
		else
			con_puts(o, "exit counters reset\n");
		return;
	}
	if (argc > 1) {
		idx = cmd_find_guest(o, argv[1]);
		if (idx >= 0)
			stats_guest(o, (u32)idx);
		return;
	}
	for (u32 i = 0; i < ga_guest_count(); i++)
		stats_guest(o, i);
}
