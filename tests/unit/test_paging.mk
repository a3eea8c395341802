# SPDX-License-Identifier: Apache-2.0
UNIT_TESTS += test_paging
test_paging_SRCS := tests/unit/test_paging.c arch/x86/paging/walk.c \
	arch/x86/paging/format_x86.c arch/x86/paging/format_ept.c
