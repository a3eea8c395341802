/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The platform fact a Linux guest cannot measure under Bulkhead, passed the
 * way a user would pass it (docs/linux.md, "Command line"):
 *   tsc_early_khz=N      the TSC frequency the hypervisor measured: Linux
 *                        reads it from CPUID 0x15 only on Intel, and its PIT
 *                        and PM-timer calibrations need port reads far faster
 *                        than an exit each, so they fail under emulation.
 * A parameter the configured command line already has is left to it.
 */
#include <hv/cmdline.h>
#include <hv/errno.h>
#include <hv/loader.h>
#include <hv/printk.h>
#include <hv/string.h>

int linux_cmdline_compose(char *out, size_t size, const char *user, u64 tsc_khz)
{
	const char *c = user ? user : "";
	size_t len;
	int n;

	n = hv_snprintf(out, size, "%s", c);
	if (tsc_khz && !cmdline_has(c, "tsc_early_khz"))
		n += hv_snprintf(out + strlen(out), size - strlen(out), "%stsc_early_khz=%llu",
				 *out ? " " : "", (unsigned long long)tsc_khz);
	len = strlen(out);
	return (size_t)n > len ? -ENOSPC : 0;
}
