# SPDX-License-Identifier: Apache-2.0
#
# The test guests (docs/guests.md): multiboot v1 ELF32 kernels built with the
# host compiler in 32-bit mode, linked at 1 MiB, one per guests/tests/NAME.c,
# each with the small runtime of guests/tests/rt/. Output: build/guests/NAME.elf.
# Raw images (format = raw, entry = 0x100000): build/guests/NAME.bin, the same
# program linked after guests/tests/raw_head.S (a jump to the entry) and
# flattened from 1 MiB with objcopy.

GUEST_NAMES := hello smp cpuid msr io escape spin mbinfo echo flood devices apic
GUEST_DIR := $(BUILD)/guests
GUEST_IMAGES := $(patsubst %,$(GUEST_DIR)/%.elf,$(GUEST_NAMES))
GUEST_RT_SRCS := $(sort $(wildcard guests/tests/rt/*.c guests/tests/rt/*.S))
GUEST_LDS := guests/tests/guest.ld

GUEST_CFLAGS := -m32 -march=i686 -std=gnu11 -O2 -g $(WARNINGS) -ffreestanding -fno-pic -fno-pie \
	-fno-stack-protector -fno-builtin -mno-sse -mno-mmx -mgeneral-regs-only \
	-fno-asynchronous-unwind-tables -fno-common -Iguests/tests/rt -MMD -MP
GUEST_LDFLAGS := -m elf_i386 -nostdlib -static -z max-page-size=0x1000 -z noexecstack \
	--no-warn-rwx-segments --no-undefined \
	-T $(GUEST_LDS)

gobj = $(patsubst %,$(GUEST_DIR)/obj/%.o,$(1))
GUEST_RT_OBJS := $(call gobj,$(GUEST_RT_SRCS))
GUEST_OBJS := $(GUEST_RT_OBJS) $(call gobj,$(patsubst %,guests/tests/%.c,$(GUEST_NAMES)) \
	guests/tests/smp_tramp.S)
.SECONDARY: $(GUEST_OBJS)

$(GUEST_DIR)/obj/%.c.o: %.c
	@mkdir -p $(dir $@)
	$(call msg,CC32,$<)
	$(Q)$(CC) $(GUEST_CFLAGS) -c $< -o $@

$(GUEST_DIR)/obj/%.S.o: %.S
	@mkdir -p $(dir $@)
	$(call msg,AS32,$<)
	$(Q)$(CC) $(GUEST_CFLAGS) -c $< -o $@

$(GUEST_DIR)/%.elf: $(GUEST_DIR)/obj/guests/tests/%.c.o $(GUEST_RT_OBJS) $(GUEST_LDS)
	$(call msg,LD32,$@)
	$(Q)$(LD) $(GUEST_LDFLAGS) $(filter %.o,$^) -o $@

# smp and apic also link the real-mode start code.
$(GUEST_DIR)/smp.elf $(GUEST_DIR)/smp.raw.elf $(GUEST_DIR)/apic.elf $(GUEST_DIR)/apic.raw.elf: \
	$(call gobj,guests/tests/smp_tramp.S)

GUEST_RAW_HEAD := $(call gobj,guests/tests/raw_head.S)
GUEST_RAW_IMAGES := $(patsubst %,$(GUEST_DIR)/%.bin,$(GUEST_NAMES))
.SECONDARY: $(GUEST_RAW_HEAD) $(patsubst %,$(GUEST_DIR)/%.raw.elf,$(GUEST_NAMES))

$(GUEST_DIR)/%.raw.elf: $(GUEST_RAW_HEAD) $(GUEST_DIR)/obj/guests/tests/%.c.o $(GUEST_RT_OBJS) \
		$(GUEST_LDS)
	$(call msg,LD32,$@)
	$(Q)$(LD) $(GUEST_LDFLAGS) $(filter %.o,$^) -o $@

$(GUEST_DIR)/%.bin: $(GUEST_DIR)/%.raw.elf
	$(call msg,RAW,$@)
	$(Q)$(OBJCOPY) -O binary $< $@

.PHONY: guests
guests: $(GUEST_IMAGES) $(GUEST_RAW_IMAGES)
all: $(GUEST_IMAGES) $(GUEST_RAW_IMAGES)
