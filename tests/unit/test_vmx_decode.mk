# SPDX-License-Identifier: Apache-2.0
UNIT_TESTS += test_vmx_decode
test_vmx_decode_SRCS := tests/unit/test_vmx_decode.c arch/x86/vmx/vmx_decode.c
