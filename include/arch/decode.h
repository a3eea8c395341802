/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The x86 instruction decoder for emulated MMIO (arch/x86/decode.c): only
 * the data moves guests use on device registers (the xAPIC page, the
 * IOAPIC), SDM Vol. 2 chapter 2 "Instruction Format":
 *
 *   88 /r  MOV r/m8, r8	     8A /r  MOV r8, r/m8
 *   89 /r  MOV r/m, r		     8B /r  MOV r, r/m
 *   C6 /0  MOV r/m8, imm8	     C7 /0  MOV r/m, imm16/32 (sign-extended with REX.W)
 *   0F B6/B7 MOVZX r, r/m8/16	     0F BE/BF MOVSX r, r/m8/16
 *   A0/A1  MOV AL/rAX, moffs	     A2/A3  MOV moffs, AL/rAX
 *
 * with the operand-size (66), address-size (67) and segment prefixes, REX
 * (W, R, X, B) in 64-bit mode, and every ModRM/SIB/displacement form (the
 * address itself comes from the fault: only the length, the register or
 * immediate operand and the access size are decoded). Anything else is
 * rejected with a reason: the caller stops the guest, it never guesses.
 * Pure: host-tested by tests/unit/test_decode.c.
 */
#ifndef ARCH_DECODE_H
#define ARCH_DECODE_H

#include <hv/types.h>
#include <hv/vcpu_state.h>

/* The code segment's default sizes (CS.L, CS.D; SDM Vol. 1 3.6). */
enum decode_mode {
	DECODE_16, /* real mode, or CS.D = 0 */
	DECODE_32, /* CS.D = 1 */
	DECODE_64, /* IA-32e 64-bit mode: CS.L = 1 */
};

enum mmio_kind {
	MMIO_LOAD,	/* reg <- memory (MOV, MOVZX, MOVSX) */
	MMIO_STORE_REG, /* memory <- reg */
	MMIO_STORE_IMM, /* memory <- immediate */
};

struct mmio_insn {
	u8 len; /* bytes, prefixes included */
	enum mmio_kind kind;
	u8 size;	  /* memory access size: 1, 2, 4 or 8 */
	u8 reg;		  /* GPR number (enum gpr order) of the register operand */
	bool high8;	  /* the register is AH, CH, DH or BH (8-bit, no REX) */
	u8 dst_size;	  /* LOAD: the destination register's size (> size for MOVZX/MOVSX) */
	bool sign_extend; /* LOAD: MOVSX */
	u64 imm;	  /* STORE_IMM: the value, already sign-extended to size */
};

/*
 * Decodes buf[0..n) (n up to 15). 0 and *out filled, or -EINVAL (not a
 * supported instruction) / -EFAULT (too short: n bytes end inside it), with
 * *why a static sentence naming what is wrong.
 */
int x86_decode_mmio(const u8 *buf, unsigned int n, enum decode_mode mode, struct mmio_insn *out,
		    const char **why);

/*
 * INS and OUTS (6C-6F), for string port I/O: the port I/O exit says port,
 * size and direction, but not the memory operand's segment or address size.
 */
struct string_io_insn {
	u8 len;	      /* bytes, prefixes included */
	u8 seg;	      /* the memory operand's segment (enum seg_reg): ES for INS, always */
	u8 addr_size; /* 2, 4 or 8: which of SI/ESI/RSI, DI/..., CX/... count */
	bool rep;     /* F3 or F2 (both mean REP here, SDM Vol. 2B REP) */
	bool in;      /* INS */
	u8 size;      /* 1, 2 or 4 */
};

/* Decodes an INS/OUTS at buf[0..n): 0, or -EINVAL / -EFAULT with *why as above. */
int x86_decode_string_io(const u8 *buf, unsigned int n, enum decode_mode mode,
			 struct string_io_insn *out, const char **why);

/* The value a store writes, from the source register's full value (STORE_REG). */
u64 mmio_store_value(const struct mmio_insn *in, u64 reg_val);
/*
 * The register's new full value after a LOAD of val (size bytes): 8/16-bit
 * destinations merge, 32-bit ones zero-extend to 64 (SDM Vol. 1 3.4.1.1).
 */
u64 mmio_load_result(const struct mmio_insn *in, u64 old_reg, u64 val);

#endif
