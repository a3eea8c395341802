/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Force-included into every hypervisor object: all symbols, declarations
 * included, bind locally. The core is position-independent (it runs where UEFI
 * loads it, or at its link address under multiboot2) and this keeps accesses
 * PC-relative instead of going through a GOT.
 */
#pragma GCC visibility push(hidden)
