# SPDX-License-Identifier: Apache-2.0
UNIT_TESTS += test_tick
test_tick_SRCS := tests/unit/test_tick.c arch/x86/tick_calc.c
