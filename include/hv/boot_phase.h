/* SPDX-License-Identifier: Apache-2.0 */
/* Boot-phase time stamps (TSC), printed once the TSC frequency is known. */
#ifndef HV_BOOT_PHASE_H
#define HV_BOOT_PHASE_H

#include <hv/types.h>

void boot_phase(const char *name);
/* Prints every phase with its duration; cycles_to_us converts TSC deltas. */
void boot_phase_report(u64 (*cycles_to_us)(u64 cycles));

#endif
