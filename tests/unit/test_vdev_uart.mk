# SPDX-License-Identifier: Apache-2.0
UNIT_TESTS += test_vdev_uart
test_vdev_uart_SRCS := tests/unit/test_vdev_uart.c kernel/vdev/vuart.c kernel/lib/format.c
