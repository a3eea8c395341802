# SPDX-License-Identifier: Apache-2.0
UNIT_TESTS += test_acpi
test_acpi_SRCS := tests/unit/test_acpi.c tests/unit/test_acpi_fake.c drivers/acpi/tables.c \
	drivers/acpi/madt.c drivers/acpi/fadt.c drivers/acpi/mcfg.c drivers/acpi/report.c \
	kernel/lib/format.c
