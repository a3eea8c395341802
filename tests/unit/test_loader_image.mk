# SPDX-License-Identifier: Apache-2.0
UNIT_TESTS += test_loader_image
test_loader_image_SRCS := tests/unit/test_loader_image.c kernel/loader/guest_mem.c \
	kernel/loader/load_plan.c kernel/loader/elf.c kernel/loader/multiboot.c \
	kernel/loader/multiboot_info.c kernel/loader/simple.c kernel/lib/format.c \
	kernel/loader/linux.c kernel/loader/linux_load.c kernel/loader/linux_params.c
