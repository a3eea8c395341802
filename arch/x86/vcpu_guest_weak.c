/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Weak stand-ins for the guest layer (include/hv/guest.h) so the core links
 * before kernel/guest.c lands; its strong definitions replace these. They
 * describe "no guest": nothing can run without the real ones.
 */
#include <hv/guest.h>
#include <hv/printk.h>

__attribute__((weak)) const char *guest_name(const struct guest *g)
{
	return "?";
}

__attribute__((weak)) u32 guest_vcpu_count(const struct guest *g)
{
	return 0;
}

__attribute__((weak)) struct vcpu *guest_vcpu(struct guest *g, u32 index)
{
	return NULL;
}

__attribute__((weak)) struct guest_devices *guest_devices(struct guest *g)
{
	return NULL;
}

__attribute__((weak)) void guest_stop(struct guest *g, const char *why)
{
	pr_err("bulkhead: guest stop requested without a guest layer: %s\n", why);
}

__attribute__((weak)) void guest_exit_code(struct guest *g, u32 code)
{
}
