/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The hypervisor's own GDT (one per CPU, in its struct percpu): flat 64-bit
 * code and data plus a TSS whose IST stacks catch NMI, #DF and #MC on a known
 * good stack. OVMF leaves TR = 0; VMX host state needs a usable TR.
 */
#ifndef ARCH_GDT_H
#define ARCH_GDT_H

#ifndef __ASSEMBLY__
#include <hv/types.h>
#endif

/* Selectors (Intel SDM Vol. 3A §3.4.2): index << 3, TI = 0, RPL = 0. */
#define GDT_SEL_CODE 0x08
#define GDT_SEL_DATA 0x10
#define GDT_SEL_TSS  0x18 /* 16-byte descriptor: entries 3 and 4 */

/* IST slots (1-based as in the IDT gate's IST field). */
#define IST_NMI 1
#define IST_DF	2
#define IST_MC	3

#ifndef __ASSEMBLY__
struct percpu;

/* Boot CPU: static per-CPU struct, GDT/TSS/IDT and GS base. Call first in kernel_main. */
void gdt_idt_init_boot_cpu(void);
/* AP: the same with the struct smp_init() prepared for it. */
void gdt_idt_init_ap(struct percpu *pc);

/* Fills pc's GDT and TSS (pure; exposed for the AP path). */
void gdt_build(struct percpu *pc);
/* Loads pc's GDT, reloads segments, sets GS base to pc and loads TR. */
void gdt_load(struct percpu *pc);
#endif

#endif
