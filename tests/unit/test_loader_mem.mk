# SPDX-License-Identifier: Apache-2.0
UNIT_TESTS += test_loader_mem
test_loader_mem_SRCS := tests/unit/test_loader_mem.c kernel/loader/guest_mem.c
