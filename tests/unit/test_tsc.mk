# SPDX-License-Identifier: Apache-2.0
UNIT_TESTS += test_tsc
test_tsc_SRCS := tests/unit/test_tsc.c arch/x86/tsc_calc.c arch/x86/exception_names.c
