# SPDX-License-Identifier: Apache-2.0
UNIT_TESTS += test_acpi_fixtures
test_acpi_fixtures_SRCS := tests/unit/test_acpi_fixtures.c tests/unit/test_acpi_fake.c \
	drivers/acpi/tables.c drivers/acpi/madt.c drivers/acpi/fadt.c drivers/acpi/mcfg.c \
	drivers/acpi/report.c kernel/lib/format.c
