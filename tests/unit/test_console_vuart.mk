# SPDX-License-Identifier: Apache-2.0
UNIT_TESTS += test_console_vuart
test_console_vuart_SRCS := tests/unit/test_console_vuart.c kernel/vdev/vuart.c kernel/lib/format.c
