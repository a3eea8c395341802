# SPDX-License-Identifier: Apache-2.0
# The offline configuration checker: the hypervisor's own config sources, built for the host.
HOST_TOOLS += bulkhead-check
CONFIG_SRCS := $(sort $(wildcard kernel/config/*.c)) kernel/lib/format.c
bulkhead-check_SRCS := tools/check/main.c tools/check/machine_file.c $(CONFIG_SRCS)
