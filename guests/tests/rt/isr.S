/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Exception stubs for vectors 0-31, 16 bytes apart so that rt_idt_init()
 * can compute their addresses. Vectors that push an error code (Intel SDM
 * Vol. 3A, 6.13 "Error Code") get no dummy one.
 */
	.text
	.balign 16
	.globl rt_isr_stubs
rt_isr_stubs:
	.irp v, 0,1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17,18,19,20,21,22,23,24,25,26,27,28,29,30,31
	.balign 16
	.if (\v == 8) || (\v >= 10 && \v <= 14) || (\v == 17) || (\v == 21) || (\v == 29) || (\v == 30)
	.else
	pushl $0
	.endif
	pushl $\v
	jmp rt_isr_common
	.endr

rt_isr_common:
	pushal
	pushl %esp		/* struct rt_frame * */
	call rt_trap
	addl $4, %esp
	popal
	addl $8, %esp		/* vector, error code */
	iret
