# SPDX-License-Identifier: Apache-2.0
UNIT_TESTS += test_format
test_format_SRCS := tests/unit/test_format.c kernel/lib/format.c kernel/lib/cmdline.c \
	drivers/uart16550_spec.c
