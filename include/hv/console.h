/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The serial management console (docs/console.md). The hypervisor's UART
 * carries the log, every guest's output (tagged "[name] ", rate-limited per
 * guest) and the shell; a hot key (Ctrl-A three times) moves input focus
 * between the shell and each guest with a virtual UART.
 *
 * kernel/console/console.c is the machine glue (UART, timing, the polling
 * loop); the other files are pure logic, host-tested.
 */
#ifndef HV_CONSOLE_H
#define HV_CONSOLE_H

#include <hv/compiler.h>
#include <hv/plan.h>
#include <hv/types.h>

/* ---- bring-up (kernel/main.c) ---------------------------------------------------- */

/* Takes over the guests' output and picks the console CPU (plan may be NULL). */
void console_configure(const struct plan *plan, const struct machine_desc *machine);
/* Hands the console loop to its CPU (the calling CPU gets it when it parks). */
void console_start(void);

/* ---- output: where the shell and the commands write (kernel/console/out.c) -------- */

#define CON_JSON_DEPTH 8

struct con_out {
	void (*write)(void *ctx, const char *s, size_t len);
	void *ctx;
	bool json; /* the command was given --json */
	u32 depth; /* JSON nesting */
	bool comma[CON_JSON_DEPTH];
};

void con_write(struct con_out *o, const char *s, size_t len);
void con_puts(struct con_out *o, const char *s);
void con_printf(struct con_out *o, const char *fmt, ...) __printf(2, 3);
/* One error line: "error: ..." or {"error":"..."}. */
void con_error(struct con_out *o, const char *fmt, ...) __printf(2, 3);

/* JSON, one object per line: json_begin, members, json_end (ends the line). */
void json_begin(struct con_out *o);
void json_end(struct con_out *o);
void json_obj(struct con_out *o, const char *key); /* key NULL inside an array */
void json_obj_end(struct con_out *o);
void json_arr(struct con_out *o, const char *key);
void json_arr_end(struct con_out *o);
void json_str(struct con_out *o, const char *key, const char *val);
void json_strn(struct con_out *o, const char *key, const char *val, size_t len);
void json_u64(struct con_out *o, const char *key, u64 val);
void json_hex(struct con_out *o, const char *key, u64 val); /* "0x..." string */
void json_bool(struct con_out *o, const char *key, bool val);

/* ---- commands (kernel/console/commands.c) ------------------------------------------ */

#define CMD_MAX_ARGS 8

/* Splits line in place; removes --json. 0, or -E2BIG / -EINVAL with *err set. */
int cmd_parse(char *line, int *argc, char **argv, bool *json, const char **err);
/* Runs one command line (already without its newline); output to o. */
void cmd_run_line(struct con_out *o, char *line);

/* Hooks the commands need from the machine (console.c; fakes in tests). */
void console_hw_reboot(void);
/* The physical CPU the console runs on. */
u32 console_cpu_index(void);
/* "1.5M", "4G", "640K", "100B": sizes as the configuration writes them. */
void con_size(char *buf, size_t size, u64 bytes);
/* Gives input focus to guest idx (`console NAME`): 0 or -ENODEV (no UART). */
int console_focus_guest(u32 idx);
/* Output-multiplexer counters of guest idx (lines, bytes, dropped). */
struct mux_src;
const struct mux_src *console_mux_of(u32 idx);

/* ---- the output multiplexer (kernel/console/mux.c) -------------------------------- */

/* Per-guest token bucket: rate bytes per second, up to burst at once. */
struct mux_limit {
	u64 rate;
	u64 burst;
};

#define MUX_DEFAULT_RATE  4096
#define MUX_DEFAULT_BURST 32768

struct mux_src {
	u64 tokens;
	u64 last_us;
	bool primed;
	u64 lines, bytes;		  /* passed */
	u64 dropped_lines, dropped_bytes; /* over the limit */
	u64 unreported;			  /* dropped bytes not yet announced */
};

/*
 * Whether a line of len bytes may go out now; a dropped line counts. When
 * it passes after drops, *report gets the bytes dropped since the last
 * report (the caller announces them first), else 0.
 */
bool mux_admit(struct mux_src *s, const struct mux_limit *l, u64 now_us, size_t len, u64 *report);

/* ---- input focus (kernel/console/focus.c) ----------------------------------------- */

#define FOCUS_HOTKEY	   0x01 /* Ctrl-A */
#define FOCUS_HOTKEY_COUNT 3

/* target 0 is the shell, k >= 1 the k-th guest with a UART. */
struct focus {
	u32 target;
	u32 held; /* hot-key bytes seen in a row */
};

enum focus_action {
	FOCUS_DELIVER, /* out[0..*nout) go to the current target */
	FOCUS_HOLD,    /* part of the hot key so far: nothing yet */
	FOCUS_SWITCH,  /* the hot key: target moved to the next */
};

enum focus_action focus_feed(struct focus *f, u8 c, u32 guests, u8 out[FOCUS_HOTKEY_COUNT],
			     size_t *nout);
void focus_set(struct focus *f, u32 target);

/* ---- the shell's line editor (kernel/console/shell.c) ----------------------------- */

#define SHELL_LINE_MAX 255
#define SHELL_PROMPT   "bulkhead> "

struct shell {
	char line[SHELL_LINE_MAX + 1];
	size_t len;
	bool overflow; /* more was typed than fits: the line is refused */
	bool visible;  /* prompt and line are on the screen now */
	bool after_cr; /* a CR ended the last line: swallow its LF */
	u32 esc;       /* terminal escape sequence being skipped */
};

enum shell_event {
	SHELL_NONE,
	SHELL_EXEC, /* a line is complete: shell_exec it */
};

void shell_init(struct shell *sh);
/* One input byte: edits and echoes the line. */
enum shell_event shell_edit(struct shell *sh, u8 c, struct con_out *echo);
/* Runs the finished line, then forgets it. */
void shell_exec(struct shell *sh, struct con_out *o);
/* Shows the prompt and the line typed so far / erases them (another line is coming). */
void shell_show(struct shell *sh, struct con_out *echo);
void shell_hide(struct shell *sh, struct con_out *echo);

#endif
