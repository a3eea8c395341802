# SPDX-License-Identifier: Apache-2.0
#
# Bulkhead build. Non-recursive: every directory's sources are found here by
# wildcard, and unit tests describe themselves in tests/unit/*.mk.
#
#   make            build/bulkhead.efi and build/bulkhead.elf (+ host tools)
#   make run        boot the demo configuration in QEMU (console on this terminal)
#   make test       the whole suite (installs what it needs first)

BUILD ?= build
CC := gcc
LD := ld
OBJCOPY := objcopy
HOSTCC := gcc

# `make V=1` shows the full commands.
ifeq ($(V),1)
Q :=
msg = @true
else
Q := @
msg = @printf '  %-7s %s\n' $(1) $(2)
endif

WARNINGS := -Wall -Wextra -Werror -Wshadow -Wmissing-prototypes -Wstrict-prototypes \
	-Wpointer-arith -Wundef -Wvla -Wno-unused-parameter -Wimplicit-fallthrough

# Hypervisor objects: freestanding, position-independent (the same objects run
# wherever UEFI loads them and at the multiboot2 link address), no SSE state.
KCFLAGS := -std=gnu11 -O2 -g $(WARNINGS) -ffreestanding -fno-builtin-printf \
	-fno-stack-protector -fno-stack-check -fpic -fno-plt -fshort-wchar \
	-mno-red-zone -mno-mmx -mno-sse -mno-sse2 -mno-avx -mgeneral-regs-only \
	-fno-omit-frame-pointer -fno-asynchronous-unwind-tables -fno-common \
	-fno-tree-loop-distribute-patterns \
	-include include/hv/visibility.h -Iinclude -MMD -MP
KASFLAGS := $(KCFLAGS) -D__ASSEMBLY__

EFI_INC := -I/usr/include/efi -I/usr/include/efi/x86_64
EFI_CFLAGS := $(KCFLAGS) $(EFI_INC) -DGNU_EFI_USE_MS_ABI -maccumulate-outgoing-args \
	-Wno-missing-prototypes -Wno-strict-prototypes -Wno-pointer-arith -Wno-undef
EFI_LDS := /usr/lib/elf_x86_64_efi.lds
EFI_CRT0 := /usr/lib/crt0-efi-x86_64.o

# Host builds (unit tests, offline tools) compile the same kernel/ sources.
HOST_CFLAGS := -std=gnu11 -O1 -g $(WARNINGS) -Iinclude -DHV_HOST_BUILD -MMD -MP
HOST_LDLIBS :=

# ---- source sets -----------------------------------------------------------
CORE_SRCS := $(sort $(wildcard kernel/*.c kernel/*/*.c arch/x86/*.c arch/x86/*.S \
	arch/x86/*/*.c arch/x86/*/*.S drivers/*.c drivers/*/*.c))
EFI_SRCS := $(sort $(wildcard boot/efi/*.c boot/efi/*.S))
MB2_SRCS := $(sort $(wildcard boot/multiboot2/*.c boot/multiboot2/*.S))

kobj = $(patsubst %,$(BUILD)/k/%.o,$(1))
CORE_OBJS := $(call kobj,$(CORE_SRCS))
EFI_OBJS := $(call kobj,$(EFI_SRCS))
MB2_OBJS := $(call kobj,$(MB2_SRCS))

.PHONY: all run test unit format format-check clean setup
all: $(BUILD)/bulkhead.efi $(BUILD)/bulkhead.elf

$(BUILD)/k/boot/efi/%.c.o: boot/efi/%.c
	@mkdir -p $(dir $@)
	$(call msg,CC-EFI,$<)
	$(Q)$(CC) $(EFI_CFLAGS) -c $< -o $@

$(BUILD)/k/%.c.o: %.c
	@mkdir -p $(dir $@)
	$(call msg,CC,$<)
	$(Q)$(CC) $(KCFLAGS) -c $< -o $@

$(BUILD)/k/%.S.o: %.S
	@mkdir -p $(dir $@)
	$(call msg,AS,$<)
	$(Q)$(CC) $(KASFLAGS) -c $< -o $@

$(BUILD)/bulkhead.so: $(EFI_OBJS) $(CORE_OBJS)
	$(call msg,LD,$@)
	$(Q)$(LD) -nostdlib -znocombreloc -shared -Bsymbolic --no-undefined -T $(EFI_LDS) \
		$(EFI_CRT0) $^ -L/usr/lib -lefi -lgnuefi -o $@

$(BUILD)/bulkhead.efi: $(BUILD)/bulkhead.so
	$(call msg,OBJCOPY,$@)
	$(Q)$(OBJCOPY) -j .text -j .sdata -j .data -j .dynamic -j .dynsym -j .rel -j .rela \
		-j .rel.* -j .rela.* -j .reloc --target efi-app-x86_64 --subsystem=10 $< $@

$(BUILD)/bulkhead.elf: $(MB2_OBJS) $(CORE_OBJS) linker.ld
	$(call msg,LD,$@)
	$(Q)$(LD) -nostdlib -static -z max-page-size=0x1000 --no-undefined -T linker.ld \
		$(MB2_OBJS) $(CORE_OBJS) -o $@

# ---- host side: unit tests and tools ----------------------------------------
# Each tests/unit/NAME.mk adds NAME to UNIT_TESTS and sets NAME_SRCS (the test
# file plus the unmodified sources under test).
UNIT_TESTS :=
HOST_TOOLS :=
-include $(sort $(wildcard tests/unit/*.mk tools/*/*.mk))

hobj = $(patsubst %,$(BUILD)/host/%.o,$(1))
$(BUILD)/host/%.c.o: %.c
	@mkdir -p $(dir $@)
	$(call msg,HOSTCC,$<)
	$(Q)$(HOSTCC) $(HOST_CFLAGS) -c $< -o $@

define unit_test_rule
$(BUILD)/tests/$(1): $(call hobj,$($(1)_SRCS))
	@mkdir -p $$(dir $$@)
	$(Q)$(HOSTCC) $$^ -o $$@ -lcmocka $(HOST_LDLIBS) $($(1)_LDLIBS)
endef
$(foreach t,$(UNIT_TESTS),$(eval $(call unit_test_rule,$(t))))

define host_tool_rule
$(BUILD)/$(1): $(call hobj,$($(1)_SRCS))
	@mkdir -p $$(dir $$@)
	$(Q)$(HOSTCC) $$^ -o $$@ $(HOST_LDLIBS) $($(1)_LDLIBS)
endef
$(foreach t,$(HOST_TOOLS),$(eval $(call host_tool_rule,$(t))))

all: $(addprefix $(BUILD)/,$(HOST_TOOLS))
unit: $(addprefix $(BUILD)/tests/,$(UNIT_TESTS))

# ---- user commands ----------------------------------------------------------
setup:
	@tools/setup.sh

run: setup all
	tools/run-qemu.sh $(foreach g,hello smp,$(BUILD)/guests/$(g).elf=guests/$(g).elf)

test: setup
	$(MAKE) all unit
	tests/run-all.sh

FORMAT_FILES = $(shell git ls-files '*.c' '*.h' 2>/dev/null)
format:
	clang-format -i $(FORMAT_FILES)
format-check:
	clang-format --dry-run -Werror $(FORMAT_FILES)

clean:
	rm -rf $(BUILD)

-include tests/fuzz/fuzz.mk
-include guests/tests/guests.mk

-include $(shell find $(BUILD) -name '*.d' 2>/dev/null)
