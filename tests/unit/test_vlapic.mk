# SPDX-License-Identifier: Apache-2.0
UNIT_TESTS += test_vlapic
test_vlapic_SRCS := tests/unit/test_vlapic.c arch/x86/vcpu_lapic.c arch/x86/vcpu_lapic_irq.c \
	arch/x86/vcpu_lapic_timer.c
