/* SPDX-License-Identifier: Apache-2.0 */
/*
 * void cpu_idle_wait(const volatile u32 *wake, bool open_irqs) (include/arch/idle.h).
 *
 * From idle_window_start up to and including the hlt, an NMI must not
 * return to where it struck: the wake word may have been set after the
 * check, and hlt would then sleep through the wake-up. cpu_idle_nmi_return()
 * sends such an NMI to idle_resume. An interrupt cannot strike there: IF is
 * 0 until sti, whose one-instruction shadow covers the hlt (SDM Vol. 2B
 * "STI"), and a halted CPU woken by an interrupt returns after hlt.
 */
	.text
	.code64

	.globl	cpu_idle_wait
	.hidden	cpu_idle_wait
	.type	cpu_idle_wait, @function
cpu_idle_wait:
	cli
	.globl	idle_window_start
	.hidden	idle_window_start
idle_window_start:
	cmpl	$0, (%rdi)
	jne	idle_resume
	testb	%sil, %sil
	jz	idle_window_hlt
	sti
	.globl	idle_window_hlt
	.hidden	idle_window_hlt
idle_window_hlt:
	hlt
	.globl	idle_resume
	.hidden	idle_resume
idle_resume:
	cli
	ret
	.size	cpu_idle_wait, . - cpu_idle_wait

	.section .note.GNU-stack, "", @progbits
