/* SPDX-License-Identifier: Apache-2.0 */
/* kernel/guest_linux.c: the initrd and ACPI tables of a `format = linux` guest. */
#ifndef KERNEL_GUEST_LINUX_H
#define KERNEL_GUEST_LINUX_H

#include <hv/loader.h>

#include "guest_priv.h"

/* Fills img's initrd and acpi_rsdp; writes the ACPI tables into the scrubbed guest. */
int guest_linux_prepare(const struct guest *g, struct loader_image *img);

#endif
