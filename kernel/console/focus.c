/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Input focus: the shell, or one guest with a UART. Ctrl-A typed three
 * times in a row moves focus on (shell -> first guest -> ... -> shell), the
 * Xen convention. Fewer Ctrl-As followed by anything else are delivered
 * as typed, so a guest still receives its own Ctrl-A.
 */
#include <hv/console.h>

enum focus_action focus_feed(struct focus *f, u8 c, u32 guests, u8 out[FOCUS_HOTKEY_COUNT],
			     size_t *nout)
{
	*nout = 0;
	if (c == FOCUS_HOTKEY) {
		if (++f->held < FOCUS_HOTKEY_COUNT)
			return FOCUS_HOLD;
		f->held = 0;
		f->target = f->target >= guests ? 0 : f->target + 1;
		return FOCUS_SWITCH;
	}
	while (f->held) {
		out[(*nout)++] = FOCUS_HOTKEY;
		f->held--;
	}
	out[(*nout)++] = c;
	return FOCUS_DELIVER;
}

void focus_set(struct focus *f, u32 target)
{
	f->target = target;
	f->held = 0;
}
