/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The console's pure logic: the command parser, every command's output
 * (text and JSON) against a fake machine (a fake guest_admin), the output
 * multiplexer's rate limiting, the focus state machine and the line editor.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include <arch/vcpu.h>
#include <hv/console.h>
#include <hv/errno.h>
#include <hv/guest_admin.h>
#include <hv/printk.h>

/* ---- captured output ----------------------------------------------------------------- */

static char out_buf[65536];
static size_t out_len;

static void cap_write(void *ctx, const char *s, size_t len)
{
	assert_true(out_len + len < sizeof(out_buf));
	memcpy(out_buf + out_len, s, len);
	out_len += len;
	out_buf[out_len] = '\0';
}

static struct con_out out = {.write = cap_write};

static const char *run(const char *line)
{
	char copy[512];

	out_len = 0;
	out_buf[0] = '\0';
	snprintf(copy, sizeof(copy), "%s", line);
	cmd_run_line(&out, copy);
	return out_buf;
}

/* Every line of the output (after a --json command) is a JSON object. */
static void assert_json_lines(const char *s)
{
	int depth = 0;
	bool str = false, esc = false;

	assert_true(*s == '{');
	for (; *s; s++) {
		if (str) {
			assert_true((unsigned char)*s >= 0x20);
			if (esc)
				esc = false;
			else if (*s == '\\')
				esc = true;
			else if (*s == '"')
				str = false;
			continue;
		}
		if (*s == '"')
			str = true;
		else if (*s == '{' || *s == '[')
			depth++;
		else if (*s == '}' || *s == ']')
			depth--;
		else if (*s == '\n')
			assert_int_equal(depth, 0);
		assert_true(depth >= 0);
	}
	assert_int_equal(depth, 0);
	assert_false(str);
}

/* ---- the fake machine ---------------------------------------------------------------- */

static struct cfg_guest cfgs[2];
static struct plan_guest plans[2];
static struct vdev_bus buses[2];
static struct vuart uarts[2];
static struct exit_stats stats[2];
static int fake_state[2] = {GA_RUNNING, GA_STOPPED};
static int stop_calls, start_calls, restart_calls, reset_calls, reboot_calls, focus_calls;
static int action_rc;
static struct mux_src fake_mux[2];
static struct boot_mem_range fake_map[2] = {
	{0, 0xa0000, BOOT_MEM_USABLE},
	{0x100000, 0x3ff00000, BOOT_MEM_USABLE},
};

static void fake_setup(void)
{
	memset(cfgs, 0, sizeof(cfgs));
	snprintf(cfgs[0].name, sizeof(cfgs[0].name), "web");
	cfgs[0].memory = 4 << 20;
	cfgs[0].format = CFG_FORMAT_MULTIBOOT;
	cfgs[0].kernel = "guests/web.elf";
	cfgs[0].cmdline = "a=\"1\"";
	cfgs[0].uart_port = 0x3f8;
	cfgs[0].autostart = true;
	snprintf(cfgs[1].name, sizeof(cfgs[1].name), "db");
	cfgs[1].memory = 64 << 20;
	cfgs[1].format = CFG_FORMAT_RAW;
	cfgs[1].kernel = "guests/db.bin";
	cfgs[1].on_fault = CFG_FAULT_RESTART;
	for (int i = 0; i < 2; i++) {
		plans[i].extent_count = 1;
		plans[i].extents[0] = (struct plan_extent){0x8000000 * (i + 1), 0, cfgs[i].memory};
		plans[i].cpu_count = 1;
		plans[i].cpus[0] = (u16)(i + 1);
		memset(&buses[i], 0, sizeof(buses[i]));
	}
	buses[0].pio_count = 1;
	buses[0].pio[0] = (struct vdev){"uart", 0x3f8, 8, NULL, NULL};
	buses[0].mmio_count = 1;
	buses[0].mmio[0] = (struct vdev){"lapic", 0xfee00000, 0x1000, NULL, NULL};
	buses[0].pass_count = 1;
	buses[0].pass[0] = (struct vdev_range){0x60, 1};
	memset(stats, 0, sizeof(stats));
	stats[0].count[EXIT_IO] = 10;
	stats[0].cycles[EXIT_IO] = 5000;
	fake_state[0] = GA_RUNNING;
	fake_state[1] = GA_STOPPED;
	stop_calls = start_calls = restart_calls = reset_calls = reboot_calls = focus_calls = 0;
	action_rc = 0;
	memset(fake_mux, 0, sizeof(fake_mux));
	fake_mux[0].lines = 3;
	fake_mux[0].bytes = 60;
	fake_mux[0].dropped_lines = 2;
	fake_mux[0].dropped_bytes = 40;
}

u32 ga_guest_count(void)
{
	return 2;
}

int ga_guest_find(const char *name)
{
	for (int i = 0; i < 2; i++)
		if (!strcmp(cfgs[i].name, name))
			return i;
	return -ENOENT;
}

int ga_guest_of_uart(const struct vuart *u)
{
	return -ENOENT;
}

int ga_guest_get(u32 idx, struct ga_guest *g)
{
	if (idx >= 2)
		return -ENOENT;
	memset(g, 0, sizeof(*g));
	g->name = cfgs[idx].name;
	g->state = (enum ga_state)fake_state[idx];
	g->stop_reason = idx ? "npt-fault gpa=0x5000000 rip=0x100123" : "";
	g->uptime_us = idx ? 0 : 1234567;
	snprintf(g->cpus, sizeof(g->cpus), "%u", idx + 1);
	g->vcpu_count = 1;
	g->restarts = idx;
	g->cfg = &cfgs[idx];
	g->plan = &plans[idx];
	g->bus = &buses[idx];
	g->uart = cfgs[idx].uart_port ? &uarts[idx] : NULL;
	return 0;
}

int ga_stop(u32 idx)
{
	stop_calls++;
	return fake_state[idx] == GA_RUNNING ? action_rc : -EINVAL;
}

int ga_start(u32 idx)
{
	start_calls++;
	return fake_state[idx] == GA_RUNNING ? -EBUSY : action_rc;
}

int ga_restart(u32 idx)
{
	restart_calls++;
	return action_rc;
}

int ga_regs(u32 idx, u32 vcpu, struct vcpu_snapshot *s, bool *live)
{
	if (vcpu >= 1)
		return -ENOENT;
	memset(s, 0, sizeof(*s));
	s->gpr[GPR_RAX] = 0x1234;
	s->rip = 0x100abc;
	s->seg[SEG_CS].sel = 8;
	*live = idx == 0;
	return 0;
}

const char *ga_vcpu_state(u32 idx, u32 vcpu)
{
	return idx ? "stopped" : "running";
}

int ga_exit_stats(u32 idx, u32 vcpu, struct exit_stats *t, struct exit_stats *r)
{
	if (vcpu >= 1)
		return -ENOENT;
	*t = stats[idx];
	*r = stats[idx];
	r->count[EXIT_IO] /= 2;
	r->cycles[EXIT_IO] /= 2;
	return 0;
}

void ga_stats_reset(void)
{
	reset_calls++;
}

u32 ga_cpu_count(void)
{
	return 3;
}

int ga_cpu_get(u32 i, struct ga_cpu *c)
{
	memset(c, 0, sizeof(*c));
	c->index = i;
	c->apic_id = i * 2;
	c->online = true;
	c->owner = i ? cfgs[i - 1].name : NULL;
	return 0;
}

const struct boot_mem_range *ga_memmap(u32 *count)
{
	*count = 2;
	return fake_map;
}

const char *ga_mem_type_name(u32 type)
{
	return type == BOOT_MEM_USABLE ? "usable" : "other";
}

int ga_uart_input(u32 idx, u8 c)
{
	return 0;
}

void ga_uart_flush_idle(void)
{
}

const struct mux_src *console_mux_of(u32 idx)
{
	return idx < 2 ? &fake_mux[idx] : NULL;
}

void console_hw_reboot(void)
{
	reboot_calls++;
}

int console_focus_guest(u32 idx)
{
	focus_calls++;
	return cfgs[idx].uart_port ? 0 : -1;
}

u32 console_cpu_index(void)
{
	return 0;
}

const char *vcpu_platform_name(void)
{
	return "vmx";
}

size_t log_read_ring(char *buf, size_t size)
{
	const char *ring = "[    0.1] bulkhead: ready\n[    0.2] [web] \"quoted\"\n";

	snprintf(buf, size, "%s", ring);
	return strlen(buf);
}

/* ---- parser -------------------------------------------------------------------------- */

static void test_parse(void **state)
{
	char line[] = "  stats\tweb --json  ";
	char *argv[CMD_MAX_ARGS];
	const char *err = NULL;
	bool json;
	int argc;

	assert_int_equal(cmd_parse(line, &argc, argv, &json, &err), 0);
	assert_int_equal(argc, 2);
	assert_string_equal(argv[0], "stats");
	assert_string_equal(argv[1], "web");
	assert_true(json);

	char many[] = "a b c d e f g h i";
	assert_int_equal(cmd_parse(many, &argc, argv, &json, &err), -E2BIG);
	char opt[] = "list --yaml";
	assert_int_equal(cmd_parse(opt, &argc, argv, &json, &err), -EINVAL);
	char empty[] = "   ";
	assert_int_equal(cmd_parse(empty, &argc, argv, &json, &err), 0);
	assert_int_equal(argc, 0);
}

static void test_errors(void **state)
{
	fake_setup();
	assert_string_equal(run("frobnicate"), "error: unknown command 'frobnicate' (try: help)\n");
	assert_string_equal(run("info"), "error: usage: info NAME\n");
	assert_string_equal(run("info nosuch"), "error: no guest named 'nosuch' (try: list)\n");
	assert_string_equal(run("info nosuch --json"),
			    "{\"error\":\"no guest named 'nosuch' (try: list)\"}\n");
	assert_string_equal(run("stop db"), "error: guest db is not running\n");
	assert_string_equal(run("start web"),
			    "error: guest web is running (stop it first, or restart it)\n");
	assert_string_equal(run("regs web x"), "error: 'x' is not a vCPU number\n");
	assert_string_equal(run("regs web 3"), "error: guest web has no vCPU 3\n");
	assert_string_equal(run("console db"), "error: guest db has no UART\n");
	assert_string_equal(run("list a b c d e f g h"), "error: too many arguments\n");
	assert_string_equal(run(""), "");
}

static void test_list(void **state)
{
	fake_setup();
	assert_string_equal(
		run("list"),
		"NAME             STATE            CPUS     MEMORY   UPTIME       RESTARTS\n"
		"web              running          1        4M       1.234s       0\n"
		"db               faulted          2        64M      -            1\n");
	fake_state[1] = GA_EXITED;
	assert_non_null(strstr(run("list"), "db               exited code 0"));
	assert_string_equal(
		run("list --json"),
		"{\"guests\":[{\"name\":\"web\",\"state\":\"running\",\"cpus\":\"1\",\"memory\":"
		"4194304,"
		"\"uptime_us\":1234567,\"restarts\":0},{\"name\":\"db\",\"state\":\"exited\","
		"\"exit_code\":0,\"cpus\":\"2\",\"memory\":67108864,\"uptime_us\":0,\"restarts\":1}"
		"]}\n");
}

static void test_info(void **state)
{
	const char *s;

	fake_setup();
	s = run("info web");
	assert_non_null(strstr(s, "guest web: running, restarts 0\n"));
	assert_non_null(strstr(
		s, "  config:  cpus 1, memory 4M, format multiboot, kernel guests/web.elf\n"));
	assert_non_null(strstr(s, "  memory:  gpa 0-0x3fffff at hpa 0x8000000-0x83fffff\n"));
	assert_non_null(strstr(s, "  vcpu 0:  cpu 1, running\n"));
	assert_non_null(strstr(s, "  device:  uart ports 0x3f8-0x3ff\n"));
	assert_non_null(strstr(s, "  device:  lapic mmio 0xfee00000-0xfee00fff\n"));
	assert_non_null(strstr(s, "  device:  passthrough ports 0x60-0x60\n"));
	assert_non_null(strstr(s, "  output:  3 lines, 60 bytes; dropped 2 lines, 40 bytes"));
	s = run("info db");
	assert_non_null(strstr(s, "  stopped: npt-fault gpa=0x5000000 rip=0x100123\n"));
	s = run("info web --json");
	assert_json_lines(s);
	assert_non_null(strstr(s, "\"cmdline\":\"a=\\\"1\\\"\""));
	assert_non_null(strstr(s, "\"dropped_bytes\":40"));
}

static void test_regs_stats_cpus_mem(void **state)
{
	const char *s;

	fake_setup();
	s = run("regs web");
	assert_non_null(strstr(s, "guest web vcpu 0 (live):\n"));
	assert_non_null(strstr(s, "  rax=0000000000001234 "));
	assert_non_null(strstr(s, "  rip=0000000000100abc "));
	assert_non_null(strstr(s, "  cs   sel=0008 "));
	assert_non_null(strstr(run("regs db 0"), "(as it stopped)"));
	assert_json_lines(run("regs web --json"));

	s = run("stats web");
	assert_non_null(strstr(
		s,
		"  0    io                         10          500            5          500\n"));
	assert_json_lines(run("stats --json"));
	assert_string_equal(run("stats reset"), "exit counters reset\n");
	assert_int_equal(reset_calls, 1);

	assert_string_equal(run("cpus"), "CPU  APIC ID  ONLINE   OWNER\n"
					 "0    0        yes      hypervisor (console)\n"
					 "1    2        yes      web vcpu 0\n"
					 "2    4        yes      db vcpu 0\n");
	assert_json_lines(run("cpus --json"));
	s = run("mem");
	assert_non_null(strstr(s, "0x0000000000100000-0x000000003fffffff 1023M    usable"));
	assert_non_null(
		strstr(s, "0x0000000008000000-0x00000000083fffff 4M       guest            web\n"));
	assert_json_lines(run("mem --json"));
}

static void test_actions_and_small(void **state)
{
	fake_setup();
	assert_string_equal(run("stop web"), "guest web stopped\n");
	assert_string_equal(run("start db"), "guest db started\n");
	assert_string_equal(run("restart db --json"),
			    "{\"guest\":\"db\",\"done\":\"restarted\"}\n");
	action_rc = -ETIMEDOUT;
	assert_string_equal(run("restart web"), "error: guest web: its CPUs did not answer\n");
	assert_string_equal(run("version"), "Bulkhead 0.1.0, virtualization vmx\n");
	assert_string_equal(run("log"), "[    0.1] bulkhead: ready\n[    0.2] [web] \"quoted\"\n");
	assert_string_equal(run("log --json"), "{\"log\":\"[    0.1] bulkhead: ready\"}\n"
					       "{\"log\":\"[    0.2] [web] \\\"quoted\\\"\"}\n");
	assert_string_equal(run("console web"), "");
	assert_int_equal(focus_calls, 1);
	run("reboot");
	assert_int_equal(reboot_calls, 1);
	assert_non_null(strstr(run("help"), "  regs     NAME [VCPU]    a vCPU's registers\n"));
	assert_json_lines(run("help --json"));
}

static void test_json_escaping(void **state)
{
	out_len = 0;
	out.json = true;
	json_begin(&out);
	json_strn(&out, "s", "a\x1b[2Jb\n\"\\\x80", 10);
	json_end(&out);
	assert_string_equal(out_buf, "{\"s\":\"a\\u001b[2Jb\\u000a\\\"\\\\\\u0080\"}\n");
}

/* ---- multiplexer ------------------------------------------------------------------------ */

static void test_mux_rate(void **state)
{
	struct mux_limit l = {1000, 2000};
	struct mux_src s = {0};
	u64 report;

	assert_true(mux_admit(&s, &l, 0, 1500, &report));
	assert_int_equal(report, 0);
	assert_false(mux_admit(&s, &l, 0, 600, &report));      /* 500 left */
	assert_false(mux_admit(&s, &l, 100000, 700, &report)); /* 600 */
	assert_int_equal(s.dropped_lines, 2);
	assert_int_equal(s.dropped_bytes, 1300);
	assert_true(mux_admit(&s, &l, 200000, 700, &report)); /* 700 */
	assert_int_equal(report, 1300);
	assert_true(mux_admit(&s, &l, 200000, 0, &report));
	assert_int_equal(report, 0);
	/* A long pause refills only up to the burst. */
	assert_true(mux_admit(&s, &l, 100000000, 2000, &report));
	assert_false(mux_admit(&s, &l, 100000000, 1, &report));
	assert_int_equal(s.lines, 4);
	assert_int_equal(s.bytes, 4200);
	/* No limit: everything passes. */
	struct mux_limit none = {0, 0};
	struct mux_src u = {0};
	for (int i = 0; i < 1000; i++)
		assert_true(mux_admit(&u, &none, 0, 10000, &report));
}

/* ---- focus ----------------------------------------------------------------------------- */

static void test_focus(void **state)
{
	struct focus f = {0};
	u8 o[FOCUS_HOTKEY_COUNT];
	size_t n;

	assert_int_equal(focus_feed(&f, 'x', 2, o, &n), FOCUS_DELIVER);
	assert_int_equal(n, 1);
	assert_int_equal(o[0], 'x');
	for (u32 want = 1; want <= 3; want++) {
		assert_int_equal(focus_feed(&f, 1, 2, o, &n), FOCUS_HOLD);
		assert_int_equal(focus_feed(&f, 1, 2, o, &n), FOCUS_HOLD);
		assert_int_equal(focus_feed(&f, 1, 2, o, &n), FOCUS_SWITCH);
		assert_int_equal(f.target, want % 3);
	}
	/* Two Ctrl-As and a letter: all three are delivered. */
	focus_feed(&f, 1, 2, o, &n);
	focus_feed(&f, 1, 2, o, &n);
	assert_int_equal(focus_feed(&f, 'q', 2, o, &n), FOCUS_DELIVER);
	assert_int_equal(n, 3);
	assert_memory_equal(o, "\x01\x01q", 3);
	assert_int_equal(f.target, 0);
	/* No guest with a UART: the hot key stays on the shell. */
	struct focus g = {0};
	for (int i = 0; i < 3; i++)
		focus_feed(&g, 1, 0, o, &n);
	assert_int_equal(g.target, 0);
	focus_set(&f, 2);
	assert_int_equal(f.target, 2);
}

/* ---- line editor ------------------------------------------------------------------------ */

static struct shell sh;

static enum shell_event type(const char *s)
{
	enum shell_event ev = SHELL_NONE;

	for (; *s; s++)
		ev = shell_edit(&sh, (u8)*s, &out);
	return ev;
}

static void test_shell_edit(void **state)
{
	fake_setup();
	shell_init(&sh);
	out_len = 0;
	assert_int_equal(type("lsx\b\x7fist"), SHELL_NONE);
	assert_string_equal(out_buf, "bulkhead> lsx\b \b\b \bist");
	assert_int_equal(type("\r"), SHELL_EXEC);
	assert_string_equal(sh.line, "list");
	out_len = 0;
	shell_exec(&sh, &out);
	assert_non_null(strstr(out_buf, "web              running"));
	/* CR LF is one line end; arrow keys and other control bytes are ignored. */
	assert_int_equal(type("\n"), SHELL_NONE);
	assert_int_equal(type("\x1b[Aver\x02\x1bOBsion\xff\n"), SHELL_EXEC);
	assert_string_equal(sh.line, "version");
	shell_exec(&sh, &out);
	/* Ctrl-U and Ctrl-C abandon what was typed. */
	type("junk\x15help");
	assert_int_equal(type("\r"), SHELL_EXEC);
	assert_string_equal(sh.line, "help");
	shell_exec(&sh, &out);
	type("junk\x03");
	assert_int_equal(sh.len, 0);
}

static void test_shell_long_and_garbage(void **state)
{
	char big[10001];

	fake_setup();
	shell_init(&sh);
	memset(big, 'a', sizeof(big) - 1);
	big[sizeof(big) - 1] = '\0';
	type(big);
	assert_int_equal(sh.len, SHELL_LINE_MAX);
	assert_int_equal(type("\r"), SHELL_EXEC);
	out_len = 0;
	shell_exec(&sh, &out);
	assert_string_equal(out_buf, "error: line too long (at most 255 characters)\n");
	/* Random bytes: whatever runs must not crash, and the line stays bounded. */
	srand(1);
	for (int i = 0; i < 200000; i++) {
		u8 c = (u8)rand();
		if (shell_edit(&sh, c, &out) == SHELL_EXEC) {
			out_len = 0;
			shell_exec(&sh, &out);
		}
		assert_true(sh.len <= SHELL_LINE_MAX);
		if (out_len > sizeof(out_buf) / 2)
			out_len = 0;
	}
}

static void test_shell_hide_show(void **state)
{
	shell_init(&sh);
	out_len = 0;
	type("li");
	shell_hide(&sh, &out);
	shell_hide(&sh, &out);
	shell_show(&sh, &out);
	shell_show(&sh, &out);
	assert_string_equal(out_buf, "bulkhead> li\r\x1b[Kbulkhead> li");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_parse),
		cmocka_unit_test(test_errors),
		cmocka_unit_test(test_list),
		cmocka_unit_test(test_info),
		cmocka_unit_test(test_regs_stats_cpus_mem),
		cmocka_unit_test(test_actions_and_small),
		cmocka_unit_test(test_json_escaping),
		cmocka_unit_test(test_mux_rate),
		cmocka_unit_test(test_focus),
		cmocka_unit_test(test_shell_edit),
		cmocka_unit_test(test_shell_long_and_garbage),
		cmocka_unit_test(test_shell_hide_show),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
