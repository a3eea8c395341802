/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Constants shared by vmx_entry.S and C: the offsets of the guest GPRs in
 * struct guest_regs (enum gpr order, 8 bytes each) and the HOST_RSP field
 * encoding. vmx_run.c checks every one against the C definitions with static
 * asserts, so the assembly cannot drift from the structs.
 *
 * Vendor header: included by arch/x86/vmx/ only.
 */
#ifndef VMX_ASM_H
#define VMX_ASM_H

#define VMX_REGS_RAX 0
#define VMX_REGS_RCX 8
#define VMX_REGS_RDX 16
#define VMX_REGS_RBX 24
#define VMX_REGS_RBP 40
#define VMX_REGS_RSI 48
#define VMX_REGS_RDI 56
#define VMX_REGS_R8  64
#define VMX_REGS_R9  72
#define VMX_REGS_R10 80
#define VMX_REGS_R11 88
#define VMX_REGS_R12 96
#define VMX_REGS_R13 104
#define VMX_REGS_R14 112
#define VMX_REGS_R15 120

#define VMX_FIELD_HOST_RSP 0x6c14

#endif
