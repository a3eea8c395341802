# SPDX-License-Identifier: Apache-2.0
UNIT_TESTS += test_vmx_caps
test_vmx_caps_SRCS := tests/unit/test_vmx_caps.c arch/x86/vmx/vmx_caps.c
