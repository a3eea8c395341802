/* SPDX-License-Identifier: Apache-2.0 */
/* The command table and the commands (kernel/console/cmd_*.c only). */
#ifndef KERNEL_CONSOLE_COMMANDS_H
#define KERNEL_CONSOLE_COMMANDS_H

#include <hv/console.h>

struct command {
	const char *name;
	const char *args;
	const char *help;
	int min_args, max_args; /* after the name */
	void (*run)(struct con_out *o, int argc, char **argv);
};

extern const struct command commands[];

/* The guest's index, or a one-line error and -ENOENT. */
int cmd_find_guest(struct con_out *o, const char *name);

void cmd_list(struct con_out *o, int argc, char **argv);
void cmd_info(struct con_out *o, int argc, char **argv);
void cmd_regs(struct con_out *o, int argc, char **argv);
void cmd_stop(struct con_out *o, int argc, char **argv);
void cmd_start(struct con_out *o, int argc, char **argv);
void cmd_restart(struct con_out *o, int argc, char **argv);
void cmd_cpus(struct con_out *o, int argc, char **argv);
void cmd_mem(struct con_out *o, int argc, char **argv);
void cmd_stats(struct con_out *o, int argc, char **argv);

#endif
