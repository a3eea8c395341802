/* SPDX-License-Identifier: Apache-2.0 */
/* The AMD SVM backend's operations table (include/arch/vcpu_vendor.h; docs/svm.md). */
#include <arch/vcpu_vendor.h>

#include "svm.h"

const struct vcpu_vendor svm_vendor = {
	.name = "svm",
	.probe = svm_probe,
	.cpu_enable = svm_cpu_enable,
	.sl_format = svm_sl_format,
	.vcpu_init = svm_vcpu_init,
	.load_state = svm_load_state,
	.vcpu_run = svm_vcpu_run,
	.get_reg = svm_get_reg,
	.set_reg = svm_set_reg,
	.get_segment = svm_get_segment,
	.skip_instruction = svm_skip_instruction,
	.inject_exception = svm_inject_exception,
	.interrupt_allowed = svm_interrupt_allowed,
	.inject_interrupt = svm_inject_interrupt,
	.interrupt_window = svm_interrupt_window,
	.inject_nmi = svm_inject_nmi,
	.sl_root = svm_sl_root,
	.dump = svm_dump,
};
