# SPDX-License-Identifier: Apache-2.0
UNIT_TESTS += test_guest_acpi
test_guest_acpi_SRCS := tests/unit/test_guest_acpi.c kernel/guestacpi/tables.c \
	kernel/guestacpi/madt.c kernel/guestacpi/fadt.c
