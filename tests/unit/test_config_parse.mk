# SPDX-License-Identifier: Apache-2.0
UNIT_TESTS += test_config_parse
test_config_parse_SRCS := tests/unit/test_config_parse.c $(sort $(wildcard kernel/config/*.c)) \
	kernel/lib/format.c
