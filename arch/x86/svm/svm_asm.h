/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Offsets of the guest registers in struct guest_regs (include/arch/vcpu.h)
 * for svm_entry.S: r[] in x86 encoding order, 8 bytes each. svm_run.c checks
 * every one against offsetof() at compile time.
 */
#ifndef SVM_SVM_ASM_H
#define SVM_SVM_ASM_H

#define SVM_GPR_RCX 0x08
#define SVM_GPR_RDX 0x10
#define SVM_GPR_RBX 0x18
#define SVM_GPR_RBP 0x28
#define SVM_GPR_RSI 0x30
#define SVM_GPR_RDI 0x38
#define SVM_GPR_R8  0x40
#define SVM_GPR_R9  0x48
#define SVM_GPR_R10 0x50
#define SVM_GPR_R11 0x58
#define SVM_GPR_R12 0x60
#define SVM_GPR_R13 0x68
#define SVM_GPR_R14 0x70
#define SVM_GPR_R15 0x78

#endif
