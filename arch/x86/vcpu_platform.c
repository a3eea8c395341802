/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Chooses the vendor backend at run time (CPUID decides: VMX on Intel, SVM on
 * AMD, via each backend's probe). The backends are referenced weakly so the
 * core links while one is absent.
 */
#include <arch/vcpu.h>
#include <arch/vcpu_vendor.h>
#include <hv/errno.h>
#include <hv/printk.h>

extern const struct vcpu_vendor vmx_vendor __attribute__((weak));
extern const struct vcpu_vendor svm_vendor __attribute__((weak));

const struct vcpu_vendor *vcpu_ops;

int vcpu_platform_init(const char **why)
{
	const struct vcpu_vendor *const candidates[] = {&vmx_vendor, &svm_vendor};
	const char *reason = "no VMX or SVM";

	for (size_t i = 0; i < ARRAY_SIZE(candidates); i++) {
		const char *r = NULL;

		if (!candidates[i])
			continue;
		switch (candidates[i]->probe(&r)) {
		case 0:
			vcpu_ops = candidates[i];
			return 0;
		case -ENOTSUP: /* the extension exists but lacks something: say what */
			reason = r ? r : "virtualization extension unusable";
			break;
		default: /* -ENODEV: absent */
			break;
		}
	}
	*why = reason;
	return -ENODEV;
}

const char *vcpu_platform_name(void)
{
	return vcpu_ops ? vcpu_ops->name : "none";
}

int vcpu_cpu_enable(void)
{
	return vcpu_ops ? vcpu_ops->cpu_enable() : -ENODEV;
}

void vcpu_sl_format(struct sl_format_info *out)
{
	vcpu_ops->sl_format(out);
}
