/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The console's machine side: the polling loop on the console CPU, the one
 * writer of the UART, the guests' output multiplexer and the input focus.
 *
 * Output: every log line (the hypervisor's, and each guest's, which reach
 * the log through the multiplexer) is written whole under out_lock, and the
 * shell's prompt and typed text are erased before and redrawn after it, so
 * lines of different sources never mix. Command output is written a line
 * at a time under the same lock.
 *
 * The console CPU polls the UART: it is a CPU no guest owns (its parked
 * work is this loop). Polling from the hypervisor timer on a CPU that also
 * runs a guest (VMX preemption timer, SVM) is not done yet.
 */
#include <arch/cpu.h>
#include <arch/percpu.h>
#include <arch/smp.h>
#include <arch/tsc.h>
#include <hv/console.h>
#include <hv/guest_admin.h>
#include <hv/printk.h>
#include <hv/spinlock.h>
#include <hv/string.h>
#include <hv/uart.h>

#define POLL_BATCH   64	    /* input bytes handled before the next flush check */
#define FLUSH_US     100000 /* a partial guest line goes out after 100-200 ms idle */
#define LOCK_SPINS   20000000
#define CMD_LINE_BUF 4096

static spinlock_t out_lock = SPINLOCK_INIT;
static struct shell shell;
static struct focus focus;
static u32 focus_guests[CFG_MAX_GUESTS]; /* focus target k is guest focus_guests[k - 1] */
static u32 focus_count;
static struct mux_src mux[CFG_MAX_GUESTS];
static struct mux_limit limit = {MUX_DEFAULT_RATE, MUX_DEFAULT_BURST};
static u32 console_pcpu;
static u64 console_tsc0;

static u64 now_us(void)
{
	return tsc_to_us(rdtsc() - console_tsc0);
}

/* ---- the UART, under out_lock ------------------------------------------------------ */

static bool lock_bounded(void)
{
	for (u32 i = 0; i < LOCK_SPINS; i++) {
		if (spin_trylock(&out_lock))
			return true;
		cpu_relax();
	}
	return false; /* the holder is stuck: write anyway rather than never */
}

static void raw_write(void *ctx, const char *s, size_t len)
{
	uart_write(&console_uart, s, len);
}

static struct con_out term = {.write = raw_write};

/* A log line, whole: the prompt steps aside for it. */
static void log_writer(const char *s, size_t len)
{
	bool locked = lock_bounded();
	bool was_visible = shell.visible;

	shell_hide(&shell, &term);
	uart_write(&console_uart, s, len);
	if (was_visible)
		shell_show(&shell, &term);
	if (locked)
		spin_unlock(&out_lock);
}

/* Command output: collected into lines, each written like a log line. */
static char cmd_buf[CMD_LINE_BUF];
static size_t cmd_len;

static void cmd_flush(void)
{
	if (!cmd_len)
		return;
	log_writer(cmd_buf, cmd_len);
	cmd_len = 0;
}

static void cmd_write(void *ctx, const char *s, size_t len)
{
	for (size_t i = 0; i < len; i++) {
		cmd_buf[cmd_len++] = s[i];
		if (s[i] == '\n' || cmd_len == sizeof(cmd_buf))
			cmd_flush();
	}
}

static struct con_out cmd_out = {.write = cmd_write};

/* ---- guests' output ---------------------------------------------------------------- */

const struct mux_src *console_mux_of(u32 idx)
{
	return idx < CFG_MAX_GUESTS ? &mux[idx] : NULL;
}

/* On the guest's CPU, under its vuart's lock: one line of its output. */
static void guest_line(struct vuart *u, const char *line, size_t len)
{
	int idx = ga_guest_of_uart(u);
	u64 dropped = 0;

	if (idx < 0 || idx >= CFG_MAX_GUESTS) {
		pr_info("%s\n", line);
		return;
	}
	if (!mux_admit(&mux[idx], &limit, now_us(), len, &dropped))
		return;
	if (dropped)
		pr_warn("bulkhead: guest %.*s: %llu bytes of output dropped (rate limit)\n",
			(int)(u->tag_len > 3 ? u->tag_len - 3 : 0), u->tag + 1,
			(unsigned long long)dropped);
	pr_info("%s\n", line);
}

/* ---- input ------------------------------------------------------------------------- */

static void show_focus(void)
{
	struct ga_guest g;
	char line[96];
	bool locked = lock_bounded();

	shell_hide(&shell, &term);
	if (focus.target && !ga_guest_get(focus_guests[focus.target - 1], &g))
		hv_snprintf(line, sizeof(line), "bulkhead: console input to guest %s\n", g.name);
	else
		hv_snprintf(line, sizeof(line), "bulkhead: console input to the shell\n");
	uart_write(&console_uart, line, strlen(line));
	if (!focus.target)
		shell_show(&shell, &term);
	if (locked)
		spin_unlock(&out_lock);
}

int console_focus_guest(u32 idx)
{
	for (u32 k = 0; k < focus_count; k++) {
		if (focus_guests[k] == idx) {
			focus_set(&focus, k + 1);
			return 0;
		}
	}
	return -1;
}

static void shell_byte(u8 c)
{
	bool locked = lock_bounded();
	enum shell_event ev = shell_edit(&shell, c, &term);

	if (locked)
		spin_unlock(&out_lock);
	if (ev != SHELL_EXEC)
		return;
	shell_exec(&shell, &cmd_out);
	cmd_flush();
	if (focus.target) {
		show_focus(); /* `console NAME` moved the focus */
		return;
	}
	locked = lock_bounded();
	shell_show(&shell, &term);
	if (locked)
		spin_unlock(&out_lock);
}

static void console_input(u8 c)
{
	u8 out[FOCUS_HOTKEY_COUNT];
	size_t n;

	switch (focus_feed(&focus, c, focus_count, out, &n)) {
	case FOCUS_SWITCH:
		show_focus();
		return;
	case FOCUS_HOLD:
		return;
	case FOCUS_DELIVER:
		break;
	}
	for (size_t i = 0; i < n; i++) {
		if (focus.target)
			ga_uart_input(focus_guests[focus.target - 1], out[i]);
		else
			shell_byte(out[i]);
	}
}

/* ---- the loop ---------------------------------------------------------------------- */

static void console_loop(void *arg)
{
	u64 next_flush = now_us() + FLUSH_US;

	pr_info("bulkhead: console on CPU %u: press Enter for the shell; Ctrl-A three times "
		"moves input to the next guest\n",
		console_pcpu);
	for (;;) {
		for (int i = 0; i < POLL_BATCH; i++) {
			int c = uart_getc(&console_uart);
			if (c < 0)
				break;
			console_input((u8)c);
		}
		if (now_us() >= next_flush) {
			ga_uart_flush_idle();
			next_flush = now_us() + FLUSH_US;
		}
		cpu_relax();
	}
}

u32 console_cpu_index(void)
{
	return console_pcpu;
}

/* ---- bring-up ---------------------------------------------------------------------- */

static bool pcpu_of(const struct machine_desc *m, u32 n, u32 *out)
{
	for (u32 i = 0; n < m->cpu_count && i < MAX_CPUS; i++) {
		if (percpu_by_index[i] && percpu_by_index[i]->apic_id == m->apic_ids[n]) {
			*out = i;
			return true;
		}
	}
	return false;
}

/* console_cpu, else the first CPU no guest owns, else CPU 0. */
static u32 pick_cpu(const struct plan *p, const struct machine_desc *m)
{
	u32 pcpu;

	if (p->has_console_cpu && pcpu_of(m, p->console_cpu, &pcpu))
		return pcpu;
	for (u32 n = 0; n < m->cpu_count && n < MACHINE_MAX_CPUS; n++)
		if (p->cpu_owner[n] == PLAN_CPU_PARKED && pcpu_of(m, n, &pcpu))
			return pcpu;
	return 0;
}

void console_configure(const struct plan *plan, const struct machine_desc *machine)
{
	console_tsc0 = rdtsc();
	if (plan && machine)
		console_pcpu = pick_cpu(plan, machine);
	vuart_set_source_sink(guest_line);
}

static void collect_focus_targets(void)
{
	struct ga_guest g;

	focus_count = 0;
	for (u32 i = 0; i < ga_guest_count(); i++)
		if (!ga_guest_get(i, &g) && g.uart && focus_count < CFG_MAX_GUESTS)
			focus_guests[focus_count++] = i;
}

static bool cpu_runs_guest(u32 pcpu, const char **name)
{
	struct ga_cpu c;

	if (ga_cpu_get(pcpu, &c) || !c.owner)
		return false;
	*name = c.owner;
	return true;
}

void console_start(void)
{
	struct percpu *self = this_cpu();
	const char *owner = "";

	if (!console_tsc0)
		console_configure(NULL, NULL);
	shell_init(&shell);
	collect_focus_targets();
	if (cpu_runs_guest(console_pcpu, &owner)) {
		pr_warn("bulkhead: console CPU %u runs guest %s: polling from the hypervisor "
			"timer is not implemented yet, so there is no shell\n",
			console_pcpu, owner);
		return;
	}
	console_uart_set_writer(log_writer);
	if (console_pcpu == self->cpu_index) {
		self->work_arg = NULL;
		__atomic_store_n(&self->work, console_loop, __ATOMIC_RELEASE);
	} else if (smp_call_on(console_pcpu, console_loop, NULL)) {
		console_uart_set_writer(NULL);
		pr_err("bulkhead: console CPU %u did not take the console\n", console_pcpu);
	}
}
