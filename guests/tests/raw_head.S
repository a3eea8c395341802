/* SPDX-License-Identifier: Apache-2.0 */
/*
 * First bytes of a test guest's raw image (build/guests/NAME.bin, docs/guests.md):
 * `format = raw` starts the guest at the first byte of the file, in the
 * multiboot 32-bit state with EAX = EBX = 0, so the image opens with a jump
 * to the usual entry. Linked before start.S, so this lands at 1 MiB and the
 * multiboot header follows it (still 4-byte aligned in the first 8 KiB).
 */
	.section .multiboot, "a"
	.code32
	.globl raw_entry
raw_entry:
	jmp _start
