# SPDX-License-Identifier: Apache-2.0
UNIT_TESTS += test_svm_exit
test_svm_exit_SRCS := tests/unit/test_svm_exit.c arch/x86/svm/svm_exit.c arch/x86/svm/svm_insn.c \
	arch/x86/svm/svm_check.c arch/x86/svm/svm_tpr.c
