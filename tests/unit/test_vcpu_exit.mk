# SPDX-License-Identifier: Apache-2.0
UNIT_TESTS += test_vcpu_exit
test_vcpu_exit_SRCS := tests/unit/test_vcpu_exit.c arch/x86/vcpu.c arch/x86/vcpu_io.c \
	arch/x86/vcpu_cr.c arch/x86/vcpu_string_io.c arch/x86/vcpu_cpuid.c arch/x86/vcpu_msr.c arch/x86/vcpu_xsetbv.c \
	arch/x86/vcpu_lapic.c arch/x86/vcpu_lapic_irq.c \
	arch/x86/vcpu_lapic_timer.c arch/x86/vcpu_mmio.c arch/x86/decode.c arch/x86/vcpu_sipi.c arch/x86/vcpu_state.c arch/x86/vcpu_fatal.c \
	arch/x86/vcpu_names.c kernel/vdev/bus.c kernel/vdev/vuart.c kernel/vdev/testexit.c \
	kernel/vdev/devices.c kernel/lib/format.c \
	kernel/vdev/vplatform.c kernel/vdev/vioapic.c kernel/vdev/vpic.c kernel/vdev/vpit.c \
	kernel/vdev/vrtc.c kernel/vdev/vpci.c kernel/vdev/vpm.c kernel/vdev/vkbc.c
