# SPDX-License-Identifier: Apache-2.0
# The Linux loader on synthetic bzImage headers, and on Debian's kernel when
# guests/linux/build.sh has fetched it (build/linux/vmlinuz; skipped if not).
UNIT_TESTS += test_linux_loader
test_linux_loader_SRCS := tests/unit/test_linux_loader.c kernel/loader/guest_mem.c \
	kernel/loader/load_plan.c kernel/loader/elf.c kernel/loader/multiboot.c \
	kernel/loader/multiboot_info.c kernel/loader/simple.c kernel/lib/format.c \
	kernel/loader/linux.c kernel/loader/linux_load.c kernel/loader/linux_params.c \
	kernel/loader/linux_cmdline.c kernel/lib/cmdline.c

# The recipe runs before the unit tests so that the real-kernel case has its
# fixture; without network it is skipped (the script exits 77), never failed.
.PHONY: linux-image
linux-image:
	@guests/linux/build.sh $(BUILD)/linux >/dev/null 2>&1 || \
		echo "  linux-image: Debian kernel not available, its unit test case will skip"
unit: linux-image
