# SPDX-License-Identifier: Apache-2.0
UNIT_TESTS += test_page_alloc
test_page_alloc_SRCS := tests/unit/test_page_alloc.c kernel/mm/page_pool.c kernel/mm/mm.c \
	kernel/mm/memmap.c
