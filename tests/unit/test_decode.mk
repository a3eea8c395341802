# SPDX-License-Identifier: Apache-2.0
UNIT_TESTS += test_decode
test_decode_SRCS := tests/unit/test_decode.c arch/x86/decode.c
