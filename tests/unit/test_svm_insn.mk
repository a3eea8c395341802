# SPDX-License-Identifier: Apache-2.0
UNIT_TESTS += test_svm_insn
test_svm_insn_SRCS := tests/unit/test_svm_insn.c arch/x86/svm/svm_insn.c arch/x86/guest_walk.c
