/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The shell's commands: parsing (validate, then act), the command table and
 * the small commands (help, version, log, console, reboot). Guest commands
 * are in cmd_guests.c, machine-wide ones in cmd_machine.c.
 */
#include <arch/vcpu.h>
#include <hv/console.h>
#include <hv/errno.h>
#include <hv/guest_admin.h>
#include <hv/printk.h>
#include <hv/string.h>
#include <hv/version.h>

#include "commands.h"

#define LOG_COPY_SIZE (64 * 1024)

static bool is_space(char c)
{
	return c == ' ' || c == '\t';
}

int cmd_parse(char *line, int *argc, char **argv, bool *json, const char **err)
{
	char *p = line;

	*argc = 0;
	*json = false;
	for (;;) {
		while (is_space(*p))
			*p++ = '\0';
		if (!*p)
			return 0;
		if (*argc == CMD_MAX_ARGS) {
			*err = "too many arguments";
			return -E2BIG;
		}
		argv[(*argc)++] = p;
		while (*p && !is_space(*p))
			p++;
		if (*p)
			*p++ = '\0';
		if (!strcmp(argv[*argc - 1], "--json")) {
			*json = true;
			(*argc)--;
		} else if (argv[*argc - 1][0] == '-' && argv[*argc - 1][1] == '-') {
			*err = "unknown option (only --json is known)";
			return -EINVAL;
		}
	}
}

void con_size(char *buf, size_t size, u64 bytes)
{
	static const char units[] = "KMGT";
	u64 v = bytes;
	int u = -1;

	while (v >= 1024 && !(v % 1024) && u < 3) {
		v /= 1024;
		u++;
	}
	if (u < 0)
		hv_snprintf(buf, size, "%lluB", (unsigned long long)bytes);
	else
		hv_snprintf(buf, size, "%llu%c", (unsigned long long)v, units[u]);
}

int cmd_find_guest(struct con_out *o, const char *name)
{
	int idx = ga_guest_find(name);

	if (idx < 0)
		con_error(o, "no guest named '%.40s' (try: list)", name);
	return idx;
}

/* ---- small commands -------------------------------------------------------------- */

static void cmd_help(struct con_out *o, int argc, char **argv)
{
	const struct command *c;

	if (o->json)
		json_begin(o), json_arr(o, "commands");
	for (c = commands; c->name; c++) {
		if (o->json) {
			json_obj(o, NULL);
			json_str(o, "name", c->name);
			json_str(o, "args", c->args);
			json_str(o, "help", c->help);
			json_obj_end(o);
		} else {
			con_printf(o, "  %-8s %-14s %s\n", c->name, c->args, c->help);
		}
	}
	if (o->json)
		json_arr_end(o), json_end(o);
	else
		con_puts(o,
			 "Every command accepts --json. Ctrl-A three times moves input focus.\n");
}

static void cmd_version(struct con_out *o, int argc, char **argv)
{
	if (o->json) {
		json_begin(o);
		json_str(o, "version", BULKHEAD_VERSION);
		json_str(o, "virtualization", vcpu_platform_name());
		json_end(o);
		return;
	}
	con_printf(o, "Bulkhead %s, virtualization %s\n", BULKHEAD_VERSION, vcpu_platform_name());
}

static char log_copy[LOG_COPY_SIZE];

static const char *find_nl(const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (s[i] == '\n')
			return s + i;
	return NULL;
}

static void log_json_lines(struct con_out *o, const char *s, size_t n)
{
	while (n) {
		const char *nl = find_nl(s, n);
		size_t len = nl ? (size_t)(nl - s) : n;

		json_begin(o);
		json_strn(o, "log", s, len);
		json_end(o);
		len += nl ? 1 : 0;
		s += len;
		n -= len;
	}
}

static void cmd_log(struct con_out *o, int argc, char **argv)
{
	size_t n = log_read_ring(log_copy, sizeof(log_copy));
	const char *s = log_copy;

	/* The ring may start in the middle of a line: show whole lines only. */
	if (n == sizeof(log_copy) - 1) {
		const char *nl = find_nl(s, n);
		if (nl) {
			n -= (size_t)(nl + 1 - s);
			s = nl + 1;
		}
	}
	if (o->json)
		log_json_lines(o, s, n);
	else
		con_write(o, s, n);
}

static void cmd_console(struct con_out *o, int argc, char **argv)
{
	int idx = cmd_find_guest(o, argv[1]);

	if (idx < 0)
		return;
	if (console_focus_guest((u32)idx)) {
		con_error(o, "guest %s has no UART", argv[1]);
		return;
	}
	if (o->json) {
		json_begin(o);
		json_str(o, "focus", argv[1]);
		json_end(o);
	}
}

static void cmd_reboot(struct con_out *o, int argc, char **argv)
{
	if (o->json) {
		json_begin(o);
		json_str(o, "reboot", "now");
		json_end(o);
	} else {
		con_puts(o, "rebooting\n");
	}
	console_hw_reboot();
}

const struct command commands[] = {
	{"help", "", "this list", 0, 0, cmd_help},
	{"version", "", "the hypervisor's version", 0, 0, cmd_version},
	{"list", "", "every guest: state, CPUs, memory, uptime", 0, 0, cmd_list},
	{"info", "NAME", "a guest's configuration, plan, devices, counters", 1, 1, cmd_info},
	{"cpus", "", "every CPU with its APIC ID and owner", 0, 0, cmd_cpus},
	{"mem", "", "the physical memory map and the guests' memory", 0, 0, cmd_mem},
	{"stats", "[NAME|reset]", "exits per reason and vCPU, with cycles", 0, 1, cmd_stats},
	{"regs", "NAME [VCPU]", "a vCPU's registers", 1, 2, cmd_regs},
	{"stop", "NAME", "stop a guest", 1, 1, cmd_stop},
	{"start", "NAME", "start a stopped guest (from its pristine image)", 1, 1, cmd_start},
	{"restart", "NAME", "stop, scrub, reload and start a guest", 1, 1, cmd_restart},
	{"console", "NAME", "give input focus to a guest", 1, 1, cmd_console},
	{"log", "", "the hypervisor's log ring", 0, 0, cmd_log},
	{"reboot", "", "reset the machine", 0, 0, cmd_reboot},
	{NULL, NULL, NULL, 0, 0, NULL},
};

static const struct command *find_command(const char *name)
{
	for (const struct command *c = commands; c->name; c++)
		if (!strcmp(c->name, name))
			return c;
	return NULL;
}

void cmd_run_line(struct con_out *o, char *line)
{
	char *argv[CMD_MAX_ARGS];
	const struct command *c;
	const char *err = "";
	int argc;

	o->json = false;
	if (cmd_parse(line, &argc, argv, &o->json, &err)) {
		con_error(o, "%s", err);
		return;
	}
	if (!argc)
		return;
	c = find_command(argv[0]);
	if (!c) {
		con_error(o, "unknown command '%.40s' (try: help)", argv[0]);
		return;
	}
	if (argc - 1 < c->min_args || argc - 1 > c->max_args) {
		con_error(o, "usage: %s %s", c->name, c->args);
		return;
	}
	c->run(o, argc, argv);
}
