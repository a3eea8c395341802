/* SPDX-License-Identifier: Apache-2.0 */
/* Guest commands: list, info, regs, stop, start, restart. */
#include <hv/console.h>
#include <hv/errno.h>
#include <hv/guest_admin.h>
#include <hv/printk.h>
#include <hv/string.h>

#include "commands.h"

static const char *const gpr_names[GPR_COUNT] = {
	"rax", "rcx", "rdx", "rbx", "rsp", "rbp", "rsi", "rdi",
	"r8",  "r9",  "r10", "r11", "r12", "r13", "r14", "r15",
};
static const char *const seg_names[SEG_COUNT] = {"es", "cs", "ss", "ds", "fs", "gs", "ldtr", "tr"};

/* "running", "stopped" (by the operator), "faulted", "exited", "created", "failed". */
static const char *state_name(const struct ga_guest *g)
{
	switch (g->state) {
	case GA_CREATED:
		return "created";
	case GA_RUNNING:
		return "running";
	case GA_STOPPED:
		return strcmp(g->stop_reason, "by the operator") ? "faulted" : "stopped";
	case GA_EXITED:
		return "exited";
	case GA_FAILED:
		return "failed";
	}
	return "?";
}

static void state_text(const struct ga_guest *g, char *buf, size_t size)
{
	if (g->state == GA_EXITED)
		hv_snprintf(buf, size, "exited code %u", g->exit_code);
	else
		hv_snprintf(buf, size, "%s", state_name(g));
}

/* ---- list ------------------------------------------------------------------------ */

static void list_json(struct con_out *o, const struct ga_guest *g)
{
	json_obj(o, NULL);
	json_str(o, "name", g->name);
	json_str(o, "state", state_name(g));
	if (g->state == GA_EXITED)
		json_u64(o, "exit_code", g->exit_code);
	json_str(o, "cpus", g->cpus);
	json_u64(o, "memory", g->cfg->memory);
	json_u64(o, "uptime_us", g->uptime_us);
	json_u64(o, "restarts", g->restarts);
	json_obj_end(o);
}

static void list_text(struct con_out *o, const struct ga_guest *g)
{
	char state[32], mem[24], up[24] = "-";

	state_text(g, state, sizeof(state));
	con_size(mem, sizeof(mem), g->cfg->memory);
	if (g->uptime_us)
		hv_snprintf(up, sizeof(up), "%llu.%03llus",
			    (unsigned long long)(g->uptime_us / 1000000),
			    (unsigned long long)(g->uptime_us / 1000 % 1000));
	con_printf(o, "%-16s %-16s %-8s %-8s %-12s %u\n", g->name, state, g->cpus, mem, up,
		   g->restarts);
}

void cmd_list(struct con_out *o, int argc, char **argv)
{
	struct ga_guest g;

	if (o->json)
		json_begin(o), json_arr(o, "guests");
	else
		con_printf(o, "%-16s %-16s %-8s %-8s %-12s %s\n", "NAME", "STATE", "CPUS", "MEMORY",
			   "UPTIME", "RESTARTS");
	for (u32 i = 0; i < ga_guest_count(); i++) {
		if (ga_guest_get(i, &g))
			continue;
		if (o->json)
			list_json(o, &g);
		else
			list_text(o, &g);
	}
	if (o->json)
		json_arr_end(o), json_end(o);
}

/* ---- info ------------------------------------------------------------------------ */

static const char *format_name(enum cfg_format f)
{
	static const char *const names[] = {
		[CFG_FORMAT_NONE] = "none",
		[CFG_FORMAT_LINUX] = "linux",
		[CFG_FORMAT_MULTIBOOT] = "multiboot",
		[CFG_FORMAT_ELF] = "elf",
		[CFG_FORMAT_RAW] = "raw",
	};
	return (unsigned)f <= CFG_FORMAT_RAW ? names[f] : "?";
}

static void info_text_config(struct con_out *o, const struct ga_guest *g)
{
	const struct cfg_guest *c = g->cfg;
	char mem[24];

	con_size(mem, sizeof(mem), c->memory);
	con_printf(o, "  config:  cpus %s, memory %s, format %s, kernel %s\n", g->cpus, mem,
		   format_name(c->format), c->kernel ? c->kernel : "-");
	con_printf(o, "           cmdline \"%s\", on_fault %s, autostart %s, uart %#x\n",
		   c->cmdline ? c->cmdline : "",
		   c->on_fault == CFG_FAULT_RESTART ? "restart" : "stop",
		   c->autostart ? "yes" : "no", c->uart_port);
}

static void info_text_plan(struct con_out *o, u32 idx, const struct ga_guest *g)
{
	const struct plan_guest *p = g->plan;

	for (u32 i = 0; i < p->extent_count; i++) {
		const struct plan_extent *e = &p->extents[i];
		con_printf(o, "  memory:  gpa %#llx-%#llx at hpa %#llx-%#llx\n",
			   (unsigned long long)e->gpa, (unsigned long long)(e->gpa + e->size - 1),
			   (unsigned long long)e->hpa, (unsigned long long)(e->hpa + e->size - 1));
	}
	for (u32 i = 0; i < g->vcpu_count && i < p->cpu_count; i++)
		con_printf(o, "  vcpu %u:  cpu %u, %s\n", i, p->cpus[i], ga_vcpu_state(idx, i));
}

static void info_text_devices(struct con_out *o, const struct ga_guest *g)
{
	const struct vdev_bus *b = g->bus;

	for (u32 i = 0; i < b->pio_count; i++)
		con_printf(o, "  device:  %s ports %#llx-%#llx\n", b->pio[i].name,
			   (unsigned long long)b->pio[i].base,
			   (unsigned long long)(b->pio[i].base + b->pio[i].size - 1));
	for (u32 i = 0; i < b->mmio_count; i++)
		con_printf(o, "  device:  %s mmio %#llx-%#llx\n", b->mmio[i].name,
			   (unsigned long long)b->mmio[i].base,
			   (unsigned long long)(b->mmio[i].base + b->mmio[i].size - 1));
	for (u32 i = 0; i < b->pass_count; i++)
		con_printf(o, "  device:  passthrough ports %#llx-%#llx\n",
			   (unsigned long long)b->pass[i].base,
			   (unsigned long long)(b->pass[i].base + b->pass[i].size - 1));
}

static void info_text_io(struct con_out *o, u32 idx, const struct ga_guest *g)
{
	const struct mux_src *m = console_mux_of(idx);

	if (m)
		con_printf(o,
			   "  output:  %llu lines, %llu bytes; dropped %llu lines, %llu bytes "
			   "(rate limit)\n",
			   (unsigned long long)m->lines, (unsigned long long)m->bytes,
			   (unsigned long long)m->dropped_lines,
			   (unsigned long long)m->dropped_bytes);
	if (g->uart)
		con_printf(o, "  input:   %llu bytes, dropped %llu\n",
			   (unsigned long long)g->uart->rx_bytes,
			   (unsigned long long)g->uart->rx_dropped);
}

static void info_json_plan(struct con_out *o, u32 idx, const struct ga_guest *g)
{
	json_arr(o, "memory_map");
	for (u32 i = 0; i < g->plan->extent_count; i++) {
		const struct plan_extent *e = &g->plan->extents[i];
		json_obj(o, NULL);
		json_hex(o, "gpa", e->gpa);
		json_hex(o, "hpa", e->hpa);
		json_u64(o, "size", e->size);
		json_obj_end(o);
	}
	json_arr_end(o);
	json_arr(o, "vcpus");
	for (u32 i = 0; i < g->vcpu_count && i < g->plan->cpu_count; i++) {
		json_obj(o, NULL);
		json_u64(o, "vcpu", i);
		json_u64(o, "cpu", g->plan->cpus[i]);
		json_str(o, "state", ga_vcpu_state(idx, i));
		json_obj_end(o);
	}
	json_arr_end(o);
}

static void info_json_devices(struct con_out *o, const struct ga_guest *g)
{
	const struct vdev_bus *b = g->bus;

	json_arr(o, "devices");
	for (u32 i = 0; i < b->pio_count + b->mmio_count; i++) {
		const struct vdev *d = i < b->pio_count ? &b->pio[i] : &b->mmio[i - b->pio_count];
		json_obj(o, NULL);
		json_str(o, "name", d->name);
		json_str(o, "kind", i < b->pio_count ? "pio" : "mmio");
		json_hex(o, "base", d->base);
		json_u64(o, "size", d->size);
		json_obj_end(o);
	}
	for (u32 i = 0; i < b->pass_count; i++) {
		json_obj(o, NULL);
		json_str(o, "name", "passthrough");
		json_str(o, "kind", "pio");
		json_hex(o, "base", b->pass[i].base);
		json_u64(o, "size", b->pass[i].size);
		json_obj_end(o);
	}
	json_arr_end(o);
}

static void info_json_io(struct con_out *o, u32 idx, const struct ga_guest *g)
{
	const struct mux_src *m = console_mux_of(idx);

	json_obj(o, "output");
	json_u64(o, "lines", m ? m->lines : 0);
	json_u64(o, "bytes", m ? m->bytes : 0);
	json_u64(o, "dropped_lines", m ? m->dropped_lines : 0);
	json_u64(o, "dropped_bytes", m ? m->dropped_bytes : 0);
	json_obj_end(o);
	json_obj(o, "input");
	json_u64(o, "bytes", g->uart ? g->uart->rx_bytes : 0);
	json_u64(o, "dropped", g->uart ? g->uart->rx_dropped : 0);
	json_obj_end(o);
}

static void info_json(struct con_out *o, u32 idx, const struct ga_guest *g)
{
	const struct cfg_guest *c = g->cfg;

	json_begin(o);
	json_str(o, "name", g->name);
	json_str(o, "state", state_name(g));
	json_u64(o, "exit_code", g->exit_code);
	json_str(o, "stop_reason", g->state == GA_STOPPED ? g->stop_reason : "");
	json_u64(o, "restarts", g->restarts);
	json_u64(o, "uptime_us", g->uptime_us);
	json_str(o, "cpus", g->cpus);
	json_u64(o, "memory", c->memory);
	json_str(o, "format", format_name(c->format));
	json_str(o, "kernel", c->kernel);
	json_str(o, "cmdline", c->cmdline ? c->cmdline : "");
	json_str(o, "on_fault", c->on_fault == CFG_FAULT_RESTART ? "restart" : "stop");
	json_bool(o, "autostart", c->autostart);
	json_hex(o, "uart", c->uart_port);
	info_json_plan(o, idx, g);
	info_json_devices(o, g);
	info_json_io(o, idx, g);
	json_end(o);
}

void cmd_info(struct con_out *o, int argc, char **argv)
{
	int idx = cmd_find_guest(o, argv[1]);
	char state[32];
	struct ga_guest g;

	if (idx < 0 || ga_guest_get((u32)idx, &g))
		return;
	if (o->json) {
		info_json(o, (u32)idx, &g);
		return;
	}
	state_text(&g, state, sizeof(state));
	con_printf(o, "guest %s: %s, restarts %u\n", g.name, state, g.restarts);
	if (g.state == GA_STOPPED)
		con_printf(o, "  stopped: %s\n", g.stop_reason);
	info_text_config(o, &g);
	info_text_plan(o, (u32)idx, &g);
	info_text_devices(o, &g);
	info_text_io(o, (u32)idx, &g);
}

/* ---- regs ------------------------------------------------------------------------ */

static void regs_text(struct con_out *o, const struct vcpu_snapshot *s)
{
	for (u32 i = 0; i < GPR_COUNT; i += 4)
		con_printf(o, "  %-3s=%016llx %-3s=%016llx %-3s=%016llx %-3s=%016llx\n",
			   gpr_names[i], (unsigned long long)s->gpr[i], gpr_names[i + 1],
			   (unsigned long long)s->gpr[i + 1], gpr_names[i + 2],
			   (unsigned long long)s->gpr[i + 2], gpr_names[i + 3],
			   (unsigned long long)s->gpr[i + 3]);
	con_printf(o, "  rip=%016llx rflags=%016llx efer=%016llx\n", (unsigned long long)s->rip,
		   (unsigned long long)s->rflags, (unsigned long long)s->efer);
	con_printf(o, "  cr0=%016llx cr2=%016llx cr3=%016llx cr4=%016llx\n",
		   (unsigned long long)s->cr0, (unsigned long long)s->cr2,
		   (unsigned long long)s->cr3, (unsigned long long)s->cr4);
	for (u32 i = 0; i < SEG_COUNT; i++)
		con_printf(o, "  %-4s sel=%04x base=%016llx limit=%08x ar=%05x\n", seg_names[i],
			   s->seg[i].sel, (unsigned long long)s->seg[i].base, s->seg[i].limit,
			   s->seg[i].ar);
}

static void regs_json(struct con_out *o, const char *name, u32 vcpu, bool live,
		      const struct vcpu_snapshot *s)
{
	json_begin(o);
	json_str(o, "guest", name);
	json_u64(o, "vcpu", vcpu);
	json_bool(o, "live", live);
	for (u32 i = 0; i < GPR_COUNT; i++)
		json_hex(o, gpr_names[i], s->gpr[i]);
	json_hex(o, "rip", s->rip);
	json_hex(o, "rflags", s->rflags);
	json_hex(o, "efer", s->efer);
	json_hex(o, "cr0", s->cr0);
	json_hex(o, "cr2", s->cr2);
	json_hex(o, "cr3", s->cr3);
	json_hex(o, "cr4", s->cr4);
	for (u32 i = 0; i < SEG_COUNT; i++) {
		json_obj(o, seg_names[i]);
		json_hex(o, "sel", s->seg[i].sel);
		json_hex(o, "base", s->seg[i].base);
		json_hex(o, "limit", s->seg[i].limit);
		json_hex(o, "ar", s->seg[i].ar);
		json_obj_end(o);
	}
	json_end(o);
}

static bool parse_index(const char *s, u32 *out)
{
	u32 v = 0;

	if (!*s)
		return false;
	for (; *s; s++) {
		if (*s < '0' || *s > '9' || v > 100000)
			return false;
		v = v * 10 + (u32)(*s - '0');
	}
	*out = v;
	return true;
}

void cmd_regs(struct con_out *o, int argc, char **argv)
{
	int idx = cmd_find_guest(o, argv[1]);
	struct vcpu_snapshot s;
	u32 vcpu = 0;
	bool live;
	int rc;

	if (idx < 0)
		return;
	if (argc > 2 && !parse_index(argv[2], &vcpu)) {
		con_error(o, "'%.20s' is not a vCPU number", argv[2]);
		return;
	}
	rc = ga_regs((u32)idx, vcpu, &s, &live);
	if (rc == -ENOENT)
		con_error(o, "guest %s has no vCPU %u", argv[1], vcpu);
	else if (rc == -ENOSYS)
		con_error(o, "guest %s vCPU %u has not run", argv[1], vcpu);
	else if (rc)
		con_error(o, "guest %s vCPU %u did not answer", argv[1], vcpu);
	else if (o->json)
		regs_json(o, argv[1], vcpu, live, &s);
	else {
		con_printf(o, "guest %s vcpu %u (%s):\n", argv[1], vcpu,
			   live ? "live" : "as it stopped");
		regs_text(o, &s);
	}
}

/* ---- stop, start, restart ---------------------------------------------------------- */

static void action_done(struct con_out *o, const char *name, const char *what, int rc)
{
	if (rc == -EINPROGRESS) { /* the guest shares the console's CPU: it stops after this */
		what = "stopping";
		rc = 0;
		if (!o->json) {
			con_printf(o, "guest %s is stopping (it shares the console's CPU)\n", name);
			return;
		}
	}
	if (rc == -EINVAL)
		con_error(o, "guest %s is not running", name);
	else if (rc == -EBUSY)
		con_error(o, "guest %s is running (stop it first, or restart it)", name);
	else if (rc == -EIO)
		con_error(o, "guest %s could not be reloaded", name);
	else if (rc)
		con_error(o, "guest %s: its CPUs did not answer", name);
	else if (o->json) {
		json_begin(o);
		json_str(o, "guest", name);
		json_str(o, "done", what);
		json_end(o);
	} else {
		con_printf(o, "guest %s %s\n", name, what);
	}
}

void cmd_stop(struct con_out *o, int argc, char **argv)
{
	int idx = cmd_find_guest(o, argv[1]);

	if (idx >= 0)
		action_done(o, argv[1], "stopped", ga_stop((u32)idx));
}

void cmd_start(struct con_out *o, int argc, char **argv)
{
	int idx = cmd_find_guest(o, argv[1]);

	if (idx >= 0)
		action_done(o, argv[1], "started", ga_start((u32)idx));
}

void cmd_restart(struct con_out *o, int argc, char **argv)
{
	int idx = cmd_find_guest(o, argv[1]);

	if (idx >= 0)
		action_done(o, argv[1], "restarted", ga_restart((u32)idx));
}
