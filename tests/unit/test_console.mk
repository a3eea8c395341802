# SPDX-License-Identifier: Apache-2.0
UNIT_TESTS += test_console
test_console_SRCS := tests/unit/test_console.c kernel/console/commands.c \
	kernel/console/cmd_guests.c kernel/console/cmd_machine.c kernel/console/out.c \
	kernel/console/mux.c kernel/console/focus.c kernel/console/shell.c \
	arch/x86/vcpu_names.c kernel/lib/format.c kernel/lib/strlcpy.c
