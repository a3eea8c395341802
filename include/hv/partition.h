/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The configuration at boot: read, checked against the real machine, and
 * turned into a plan (kernel/boot_config.c); then the guests built from the
 * plan and started on their CPUs (kernel/guest.c).
 */
#ifndef HV_PARTITION_H
#define HV_PARTITION_H

#include <hv/boot_info.h>
#include <hv/config.h>
#include <hv/plan.h>

/*
 * Parses, validates and checks bulkhead.cfg against the machine, then plans
 * the partitions. Prints every diagnostic and the plan. Returns 0 when guests
 * may start; otherwise nothing must start (the hypervisor stays up).
 */
int boot_config_load(const struct boot_info *bi, struct config **cfg, struct plan **plan,
		     const struct machine_desc **machine);

/*
 * Builds every guest of the plan (memory, second-level tables, devices, image)
 * and starts those with autostart on their CPUs. A vCPU of the calling CPU
 * is queued as its parked work: it runs when this CPU parks (smp_park()).
 */
void guests_create_and_start(const struct boot_info *bi, const struct config *cfg,
			     const struct plan *plan, const struct machine_desc *machine);

/* True while some guest is running (test runs wait for all of them to end). */
bool guests_active(void);

#endif
