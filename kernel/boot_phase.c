/* SPDX-License-Identifier: Apache-2.0 */
#include <arch/cpu.h>
#include <hv/boot_phase.h>
#include <hv/printk.h>

#define MAX_PHASES 24

static struct {
	const char *name;
	u64 tsc;
} phases[MAX_PHASES];
static unsigned phase_count;

void boot_phase(const char *name)
{
	if (phase_count < MAX_PHASES)
		phases[phase_count++] = (typeof(phases[0])){name, rdtsc()};
}

void boot_phase_report(u64 (*cycles_to_us)(u64 cycles))
{
	for (unsigned i = 1; i < phase_count; i++) {
		u64 us = cycles_to_us(phases[i].tsc - phases[i - 1].tsc);
		pr_info("bulkhead: boot phase %-12s %6llu.%03llu ms", phases[i].name,
			(unsigned long long)(us / 1000), (unsigned long long)(us % 1000));
	}
}
