# SPDX-License-Identifier: Apache-2.0
UNIT_TESTS += test_vdev_pit
test_vdev_pit_SRCS := tests/unit/test_vdev_pit.c tests/unit/vdev_fake.c kernel/vdev/bus.c \
	kernel/vdev/vplatform.c kernel/vdev/vioapic.c kernel/vdev/vpic.c kernel/vdev/vpit.c \
	kernel/vdev/vrtc.c kernel/vdev/vpci.c kernel/vdev/vpm.c kernel/vdev/vkbc.c
