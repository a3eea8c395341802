# SPDX-License-Identifier: Apache-2.0
UNIT_TESTS += test_config_rules
test_config_rules_SRCS := tests/unit/test_config_rules.c $(sort $(wildcard kernel/config/*.c)) \
	kernel/lib/format.c
