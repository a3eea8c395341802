# SPDX-License-Identifier: Apache-2.0
UNIT_TESTS += test_memmap
test_memmap_SRCS := tests/unit/test_memmap.c kernel/mm/memmap.c
