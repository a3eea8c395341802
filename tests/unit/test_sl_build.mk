# SPDX-License-Identifier: Apache-2.0
UNIT_TESTS += test_sl_build
test_sl_build_SRCS := tests/unit/test_sl_build.c kernel/sl_build.c \
	$(sort $(wildcard kernel/config/*.c)) kernel/lib/format.c arch/x86/paging/walk.c \
	arch/x86/paging/format_x86.c arch/x86/paging/format_ept.c
