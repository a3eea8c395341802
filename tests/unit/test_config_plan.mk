# SPDX-License-Identifier: Apache-2.0
UNIT_TESTS += test_config_plan
test_config_plan_SRCS := tests/unit/test_config_plan.c $(sort $(wildcard kernel/config/*.c)) \
	kernel/lib/format.c
