/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The shell's line editor: printable characters, backspace (BS or DEL),
 * Ctrl-U (erase the line), Ctrl-C (abandon it), CR or LF (run it; CR LF
 * counts once). Terminal escape sequences (arrow keys) and every other
 * control or non-ASCII byte are ignored; a line longer than SHELL_LINE_MAX
 * is refused as a whole when it ends.
 */
#include <hv/console.h>
#include <hv/string.h>

#define CTRL_C 0x03
#define CTRL_U 0x15
#define BS     0x08
#define DEL    0x7f
#define ESC    0x1b

enum { ESC_NONE, ESC_START, ESC_CSI };

void shell_init(struct shell *sh)
{
	memset(sh, 0, sizeof(*sh));
}

void shell_show(struct shell *sh, struct con_out *echo)
{
	if (sh->visible)
		return;
	con_puts(echo, SHELL_PROMPT);
	con_write(echo, sh->line, sh->len);
	sh->visible = true;
}

/* CR, then "erase to end of line" (ECMA-48 EL, CSI K). */
void shell_hide(struct shell *sh, struct con_out *echo)
{
	if (!sh->visible)
		return;
	con_puts(echo, "\r\x1b[K");
	sh->visible = false;
}

/* Skips ESC [ ... final or ESC O x (ECMA-48 control sequences). */
static bool skip_escape(struct shell *sh, u8 c)
{
	switch (sh->esc) {
	case ESC_START:
		sh->esc = (c == '[' || c == 'O') ? ESC_CSI : ESC_NONE;
		return true;
	case ESC_CSI:
		if (c >= 0x40 && c <= 0x7e)
			sh->esc = ESC_NONE;
		return true;
	default:
		if (c != ESC)
			return false;
		sh->esc = ESC_START;
		return true;
	}
}

static void clear_line(struct shell *sh, struct con_out *echo)
{
	sh->len = 0;
	sh->overflow = false;
	if (sh->visible) {
		sh->visible = false;
		shell_hide(sh, echo);
	}
}

static enum shell_event end_line(struct shell *sh, u8 c, struct con_out *echo)
{
	bool swallow = c == '\n' && sh->after_cr;

	sh->after_cr = c == '\r';
	if (swallow)
		return SHELL_NONE;
	if (!sh->visible)
		shell_show(sh, echo);
	con_puts(echo, "\n");
	sh->visible = false;
	sh->line[sh->len] = '\0';
	return SHELL_EXEC;
}

static void backspace(struct shell *sh, struct con_out *echo)
{
	if (!sh->len)
		return;
	sh->len--;
	if (sh->visible)
		con_puts(echo, "\b \b");
}

enum shell_event shell_edit(struct shell *sh, u8 c, struct con_out *echo)
{
	if (skip_escape(sh, c))
		return SHELL_NONE;
	if (c == '\r' || c == '\n')
		return end_line(sh, c, echo);
	sh->after_cr = false;
	shell_show(sh, echo);
	if (c == BS || c == DEL) {
		backspace(sh, echo);
	} else if (c == CTRL_U) {
		clear_line(sh, echo);
		shell_show(sh, echo);
	} else if (c == CTRL_C) {
		con_puts(echo, "^C\n");
		sh->visible = false;
		sh->len = 0;
		sh->overflow = false;
		shell_show(sh, echo);
	} else if (c >= 0x20 && c < 0x7f) {
		if (sh->len < SHELL_LINE_MAX) {
			sh->line[sh->len++] = (char)c;
			con_write(echo, (const char *)&c, 1);
		} else {
			sh->overflow = true;
		}
	}
	return SHELL_NONE;
}

void shell_exec(struct shell *sh, struct con_out *o)
{
	if (sh->overflow)
		con_error(o, "line too long (at most %u characters)", SHELL_LINE_MAX);
	else
		cmd_run_line(o, sh->line);
	sh->len = 0;
	sh->overflow = false;
}
