/* SPDX-License-Identifier: Apache-2.0 */
/* The devices' time base: the host TSC (include/hv/vplatform.h). Host tests provide fakes. */
#include <arch/cpu.h>
#include <arch/tsc.h>
#include <hv/vplatform.h>

u64 vdev_now(void)
{
	return rdtsc();
}

u64 vdev_clock_hz(void)
{
	u64 hz = tsc_hz();

	return hz ? hz : 1000000000ULL; /* uncalibrated: assume 1 GHz rather than divide by 0 */
}
