# SPDX-License-Identifier: Apache-2.0
UNIT_TESTS += test_vmx_fields
test_vmx_fields_SRCS := tests/unit/test_vmx_fields.c arch/x86/vmx/vmcs_names.c
