# SPDX-License-Identifier: Apache-2.0
# libFuzzer target over the configuration parser, validator and planner.
#   make fuzz                    build and run it for FUZZ_SECONDS (default 60)
FUZZ_CC := clang
FUZZ_SECONDS ?= 60
FUZZ_CFLAGS := -std=gnu11 -g -O1 $(WARNINGS) -Iinclude -DHV_HOST_BUILD \
	-fsanitize=fuzzer,address,undefined -fno-sanitize-recover=undefined
FUZZ_SRCS := tests/fuzz/fuzz_config.c $(sort $(wildcard kernel/config/*.c)) kernel/lib/format.c

$(BUILD)/fuzz/fuzz_config: $(FUZZ_SRCS) $(wildcard include/hv/*.h kernel/config/*.h)
	@mkdir -p $(dir $@)
	$(FUZZ_CC) $(FUZZ_CFLAGS) $(FUZZ_SRCS) -o $@

.PHONY: fuzz
fuzz:
	tests/fuzz/run.sh $(FUZZ_SECONDS)
