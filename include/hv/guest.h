/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Guests (partitions): what the vCPU layer and the devices need from the
 * guest layer (kernel/guest.c). struct guest itself is private to it.
 */
#ifndef HV_GUEST_H
#define HV_GUEST_H

#include <hv/types.h>

struct guest;
struct vcpu;
struct guest_devices;

const char *guest_name(const struct guest *g);
u32 guest_vcpu_count(const struct guest *g);
/* The vCPU with the given index (0 = boot vCPU), NULL beyond the count. */
struct vcpu *guest_vcpu(struct guest *g, u32 index);
struct guest_devices *guest_devices(struct guest *g);

/*
 * Stops the guest on all its CPUs (vcpu_request_stop on each) and reports
 * `bulkhead: guest NAME stopped: WHY`, or restarts it when its on_fault says
 * so. Safe to call from any of its vCPUs, more than once (the first wins).
 */
void guest_stop(struct guest *g, const char *why);

/* The guest asked to exit with code (test-exit port): records it and stops the guest. */
void guest_exit_code(struct guest *g, u32 code);

/*
 * The guest powered itself off (ACPI SLP_TYP = S5 with SLP_EN): reports
 * `bulkhead: guest NAME powered off` and stops it for good (no restart).
 */
void guest_power_off(struct guest *g);

/*
 * The guest reset its machine (0xCF9, the keyboard controller, the ACPI
 * reset register): reports `bulkhead: guest NAME reset`, stops it, and
 * restarts it from its pristine image (`bulkhead: guest NAME restarted`).
 */
void guest_reset(struct guest *g);

#endif
