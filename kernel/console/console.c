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
 * The console CPU polls the UART, one pass at a time (console_poll), in
 * either of two modes with the same code: while no guest runs there, its
 * parked work is console_park, which polls and also runs the work other
 * CPUs hand to it (a vCPU of a guest that owns the CPU too); while a vCPU
 * runs there, its loop calls console_tick from the hypervisor tick
 * (percpu.tick_fn, arch/tick.h: VMX preemption timer, SVM local APIC timer)
 * between two guest runs, every 1 ms even if the guest never exits.
 */
#include <arch/cpu.h>
#include <arch/idle.h>
#include <arch/lapic.h>
#include <arch/percpu.h>
#include <arch/smp.h>
#include <arch/tick.h>
#include <arch/tsc.h>
#include <hv/console.h>
#include <hv/guest_admin.h>
#include <hv/printk.h>
#include <hv/spinlock.h>
#include <hv/string.h>
#include <hv/uart.h>

#define CONSOLE_IDLE_US	 2000  /* input latency bound while idle */
#define CONSOLE_BURST_US 50000 /* keep polling this long after input arrives */

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

static u64 next_flush_us;
static bool in_poll;	    /* console_poll is running (no re-entry) */
static bool park_running;   /* console_park is on the console CPU's stack */
static cpu_work_fn boot_fn; /* work the console CPU had been given before the console */
static void *boot_arg;

/* One pass: input, then the timed flush of partial guest lines. Returns the bytes read. */
static int console_poll(void)
{
	int got = 0;

	if (in_poll)
		return 0;
	in_poll = true;
	for (; got < POLL_BATCH; got++) {
		int c = uart_getc(&console_uart);
		if (c < 0)
			break;
		console_input((u8)c);
	}
	if (now_us() >= next_flush_us) {
		ga_uart_flush_idle();
		next_flush_us = now_us() + FLUSH_US;
	}
	in_poll = false;
	return got;
}

/* Work handed to this CPU (smp_call_on, or its own guest dispatch): taken as ap_park would. */
static void run_handed_work(struct percpu *self)
{
	cpu_work_fn fn = boot_fn;
	void *arg = boot_arg;

	if (fn) {
		boot_fn = NULL;
	} else {
		fn = __atomic_load_n(&self->work, __ATOMIC_ACQUIRE);
		if (!fn)
			return;
		arg = self->work_arg;
		__atomic_store_n(&self->work, NULL, __ATOMIC_RELEASE);
	}
	fn(arg); /* a vCPU: it returns when the vCPU stops, polling from the tick meanwhile */
}

/*
 * Between polls the console CPU sleeps until its local APIC timer (one-shot,
 * CONSOLE_IDLE_US) or an NMI (work handed to it, arch/idle.h) wakes it: a
 * spinning CPU would cost an emulator as much as a busy guest, and real
 * hardware power. Interrupts are open only inside the halt.
 */
static void console_idle(struct percpu *self)
{
	__atomic_store_n(&self->wake, 0, __ATOMIC_SEQ_CST);
	if (__atomic_load_n(&self->work, __ATOMIC_ACQUIRE))
		return;
	lapic_timer_arm(rdtsc() + us_to_cycles(CONSOLE_IDLE_US, tsc_hz()));
	cpu_idle_wait(&self->wake, true);
}

/* The console CPU's parked work: it never returns, and stands in for the park loop. */
static void console_park(void *arg)
{
	struct percpu *self = this_cpu();
	u64 last_input = 0;

	park_running = true;
	lapic_timer_setup();
	for (;;) {
		run_handed_work(self);
		/*
		 * Sleep only once the line has been quiet for CONSOLE_BURST_US:
		 * pasted or piped input comes in bursts that a UART's small
		 * FIFO cannot hold across a sleep.
		 */
		if (console_poll())
			last_input = rdtsc();
		else if (rdtsc() - last_input > us_to_cycles(CONSOLE_BURST_US, tsc_hz()))
			console_idle(self);
	}
}

/*
 * The hypervisor tick while a vCPU runs on the console CPU. If that vCPU was
 * started by the park loop rather than by console_park (an AP that got its
 * guest first, or a guest restarted from its own CPU), console_park is
 * queued so that the console stays when the guest ends.
 */
static void console_tick(void *arg)
{
	struct percpu *self = this_cpu();
	cpu_work_fn none = NULL;

	if (!park_running)
		__atomic_compare_exchange_n(&self->work, &none, console_park, false,
					    __ATOMIC_ACQ_REL, __ATOMIC_ACQUIRE);
	console_poll();
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

/*
 * Queues console_park on another CPU and wakes it (arch/idle.h: a parked
 * CPU cannot miss it). A CPU busy with its guest takes it when the guest
 * ends; it polls from the tick meanwhile. False if the CPU is not there or
 * has other work queued.
 */
static bool hand_to(struct percpu *pc)
{
	cpu_work_fn none = NULL;

	if (!pc || !pc->online)
		return false;
	pc->work_arg = NULL;
	if (!__atomic_compare_exchange_n(&pc->work, &none, console_park, false, __ATOMIC_ACQ_REL,
					 __ATOMIC_ACQUIRE))
		return false;
	cpu_wake(pc);
	return true;
}

/* Our own CPU: console_park runs when it parks, after the guest work it may already hold. */
static void take_own_cpu(struct percpu *self)
{
	boot_fn = __atomic_load_n(&self->work, __ATOMIC_ACQUIRE);
	boot_arg = self->work_arg;
	self->work_arg = NULL;
	__atomic_store_n(&self->work, console_park, __ATOMIC_RELEASE);
}

void console_start(void)
{
	struct percpu *self = this_cpu();
	struct percpu *pc = console_pcpu < MAX_CPUS ? percpu_by_index[console_pcpu] : NULL;
	const char *owner = "";

	if (!console_tsc0)
		console_configure(NULL, NULL);
	shell_init(&shell);
	collect_focus_targets();
	next_flush_us = now_us() + FLUSH_US;
	console_uart_set_writer(log_writer);
	if (pc) {
		pc->tick_arg = NULL;
		__atomic_store_n(&pc->tick_fn, console_tick, __ATOMIC_RELEASE);
	}
	if (pc == self) {
		take_own_cpu(self);
	} else if (!hand_to(pc)) {
		console_uart_set_writer(NULL);
		pr_err("bulkhead: console CPU %u did not take the console\n", console_pcpu);
		return;
	}
	pr_info("bulkhead: console on CPU %u: press Enter for the shell; Ctrl-A three times "
		"moves input to the next guest\n",
		console_pcpu);
	if (cpu_runs_guest(console_pcpu, &owner))
		pr_info("bulkhead: console CPU %u also runs guest %s: the console polls from the "
			"hypervisor tick (%u times a second)\n",
			console_pcpu, owner, HV_TICK_HZ);
}
