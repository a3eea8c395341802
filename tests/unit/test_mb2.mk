# SPDX-License-Identifier: Apache-2.0
UNIT_TESTS += test_mb2
test_mb2_SRCS := tests/unit/test_mb2.c boot/multiboot2/mb2_tags.c
