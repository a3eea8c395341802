/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Decoding the MMIO data moves listed in include/arch/decode.h (SDM Vol. 2A
 * 2.1 "Instruction Format", 2.2.1 "REX Prefixes", Tables 2-1 to 2-3 for
 * ModRM/SIB). Validate first: every byte is checked before anything is
 * filled in; unknown forms are refused with a reason.
 */
#include <arch/decode.h>
#include <hv/errno.h>

#define REX_W BIT(3)
#define REX_R BIT(2)
#define REX_B BIT(0)

struct cursor {
	const u8 *buf;
	unsigned int n, pos;
};

static bool next(struct cursor *c, u8 *b)
{
	if (c->pos >= c->n)
		return false;
	*b = c->buf[c->pos++];
	return true;
}

static bool skip(struct cursor *c, unsigned int count)
{
	if (c->pos + count > c->n)
		return false;
	c->pos += count;
	return true;
}

struct prefixes {
	bool opsize, addrsize;
	u8 rex;
};

static bool is_legacy_prefix(u8 b)
{
	return b == 0x66 || b == 0x67 || b == 0x26 || b == 0x2e || b == 0x36 || b == 0x3e ||
	       b == 0x64 || b == 0x65;
}

/* Legacy prefixes, then REX (64-bit mode, must directly precede the opcode). Returns the opcode. */
static int read_prefixes(struct cursor *c, enum decode_mode mode, struct prefixes *p, u8 *op)
{
	u8 b;

	*p = (struct prefixes){0};
	for (;;) {
		if (!next(c, &b))
			return -EFAULT;
		if (b == 0x66)
			p->opsize = true;
		else if (b == 0x67)
			p->addrsize = true;
		else if (!is_legacy_prefix(b))
			break;
	}
	if (mode == DECODE_64 && (b & 0xf0) == 0x40) {
		p->rex = b;
		if (!next(c, &b))
			return -EFAULT;
	}
	*op = b;
	return 0;
}

/* Skips the SIB byte and displacement a memory ModRM needs (Tables 2-1, 2-2, 2-3). */
static int skip_modrm_memory(struct cursor *c, u8 modrm, bool addr16)
{
	u8 mod = modrm >> 6, rm = modrm & 7, sib;
	unsigned int disp;

	if (mod == 3)
		return -EINVAL; /* a register operand: no memory access */
	if (addr16) {
		disp = mod == 1 ? 1 : (mod == 2 || (mod == 0 && rm == 6)) ? 2 : 0;
		return skip(c, disp) ? 0 : -EFAULT;
	}
	disp = mod == 1 ? 1 : mod == 2 ? 4 : 0;
	if (rm == 4) {
		if (!next(c, &sib))
			return -EFAULT;
		if (mod == 0 && (sib & 7) == 5)
			disp = 4; /* no base: disp32 */
	} else if (mod == 0 && rm == 5) {
		disp = 4; /* disp32, or RIP-relative in 64-bit mode */
	}
	return skip(c, disp) ? 0 : -EFAULT;
}

/* Operand size of the non-byte forms: 16/32/64 from mode, 66 and REX.W (SDM Vol. 1 3.6.1). */
static u8 operand_size(enum decode_mode mode, const struct prefixes *p)
{
	if (p->rex & REX_W)
		return 8;
	if (mode == DECODE_16)
		return p->opsize ? 4 : 2;
	return p->opsize ? 2 : 4;
}

static bool addr16(enum decode_mode mode, const struct prefixes *p)
{
	return mode == DECODE_16 ? !p->addrsize : (mode == DECODE_32 && p->addrsize);
}

static void set_reg(struct mmio_insn *out, const struct prefixes *p, u8 modrm, bool byte)
{
	u8 reg = (modrm >> 3) & 7;

	out->reg = reg | (p->rex & REX_R ? 8 : 0);
	/* Without REX, byte registers 4-7 are AH, CH, DH, BH (SDM Vol. 2A 2.2.1.2). */
	if (byte && !p->rex && reg >= 4) {
		out->reg = reg - 4;
		out->high8 = true;
	}
}

static int read_imm(struct cursor *c, struct mmio_insn *out)
{
	unsigned int bytes = out->size == 8 ? 4 : out->size;
	u64 v = 0;

	if (c->pos + bytes > c->n)
		return -EFAULT;
	for (unsigned int i = 0; i < bytes; i++)
		v |= (u64)c->buf[c->pos + i] << (8 * i);
	c->pos += bytes;
	if (out->size == 8 && (v & BIT64(31)))
		v |= 0xffffffff00000000ULL; /* imm32 sign-extended to 64 bits */
	out->imm = v;
	return 0;
}

/* The one-byte opcodes 88, 89, 8A, 8B, C6, C7. */
static int decode_mov(struct cursor *c, enum decode_mode mode, const struct prefixes *p, u8 op,
		      struct mmio_insn *out, const char **why)
{
	bool byte = !(op & 1);
	u8 modrm;
	int rc;

	if (!next(c, &modrm))
		return -EFAULT;
	out->size = byte ? 1 : operand_size(mode, p);
	out->dst_size = out->size;
	if (op >= 0xc6 && ((modrm >> 3) & 7) != 0) {
		*why = "C6/C7 with a ModRM reg field other than /0";
		return -EINVAL;
	}
	rc = skip_modrm_memory(c, modrm, addr16(mode, p));
	if (rc == -EINVAL)
		*why = "register operand where memory was expected";
	if (rc)
		return rc;
	if (op >= 0xc6) {
		out->kind = MMIO_STORE_IMM;
		return read_imm(c, out);
	}
	out->kind = (op & 2) ? MMIO_LOAD : MMIO_STORE_REG;
	set_reg(out, p, modrm, byte);
	return 0;
}

/* Address size in bytes: the mode's default, changed by 67 (SDM Vol. 1 3.6.1, Table 3-4). */
static unsigned int address_size(enum decode_mode mode, bool prefix67)
{
	if (mode == DECODE_64)
		return prefix67 ? 4 : 8;
	if (mode == DECODE_16)
		return prefix67 ? 4 : 2;
	return prefix67 ? 2 : 4;
}

/*
 * A0-A3: MOV between AL/AX/EAX/RAX and a memory offset encoded in the
 * instruction (moffs), as wide as the address size: 2, 4 or 8 bytes (SDM
 * Vol. 2B MOV, note on moffs; 67 halves it).
 */
static int decode_moffs(struct cursor *c, enum decode_mode mode, const struct prefixes *p, u8 op,
			struct mmio_insn *out)
{
	if (!skip(c, address_size(mode, p->addrsize)))
		return -EFAULT;
	out->size = (op & 1) ? operand_size(mode, p) : 1;
	out->dst_size = out->size;
	out->kind = (op & 2) ? MMIO_STORE_REG : MMIO_LOAD;
	out->reg = 0; /* the accumulator */
	return 0;
}

/* 0F B6/B7 (MOVZX), 0F BE/BF (MOVSX): loads of a byte or word into a wider register. */
static int decode_movx(struct cursor *c, enum decode_mode mode, const struct prefixes *p,
		       struct mmio_insn *out, const char **why)
{
	u8 op, modrm;
	int rc;

	if (!next(c, &op))
		return -EFAULT;
	if (op != 0xb6 && op != 0xb7 && op != 0xbe && op != 0xbf) {
		*why = "two-byte opcode other than MOVZX/MOVSX";
		return -EINVAL;
	}
	if (!next(c, &modrm))
		return -EFAULT;
	rc = skip_modrm_memory(c, modrm, addr16(mode, p));
	if (rc == -EINVAL)
		*why = "register operand where memory was expected";
	if (rc)
		return rc;
	out->kind = MMIO_LOAD;
	out->size = (op & 1) ? 2 : 1;
	out->dst_size = operand_size(mode, p);
	out->sign_extend = op >= 0xbe;
	set_reg(out, p, modrm, false);
	return 0;
}

int x86_decode_mmio(const u8 *buf, unsigned int n, enum decode_mode mode, struct mmio_insn *out,
		    const char **why)
{
	struct cursor c = {.buf = buf, .n = n > 15 ? 15 : n};
	struct prefixes p;
	u8 op;
	int rc;

	*out = (struct mmio_insn){0};
	*why = "instruction bytes end early";
	rc = read_prefixes(&c, mode, &p, &op);
	if (rc)
		return rc;
	if (op == 0x88 || op == 0x89 || op == 0x8a || op == 0x8b || op == 0xc6 || op == 0xc7)
		rc = decode_mov(&c, mode, &p, op, out, why);
	else if (op >= 0xa0 && op <= 0xa3)
		rc = decode_moffs(&c, mode, &p, op, out);
	else if (op == 0x0f)
		rc = decode_movx(&c, mode, &p, out, why);
	else
		rc = (*why = "not a MOV to or from memory", -EINVAL);
	if (rc)
		return rc;
	out->len = (u8)c.pos;
	*why = NULL;
	return 0;
}

/* A segment-override prefix's register, or -1 (SDM Vol. 2A 2.1.1, group 2). */
static int segment_override(u8 b)
{
	switch (b) {
	case 0x26:
		return SEG_ES;
	case 0x2e:
		return SEG_CS;
	case 0x36:
		return SEG_SS;
	case 0x3e:
		return SEG_DS;
	case 0x64:
		return SEG_FS;
	case 0x65:
		return SEG_GS;
	default:
		return -1;
	}
}

int x86_decode_string_io(const u8 *buf, unsigned int n, enum decode_mode mode,
			 struct string_io_insn *out, const char **why)
{
	struct cursor c = {.buf = buf, .n = n > 15 ? 15 : n};
	bool opsize = false, prefix67 = false;
	int seg = SEG_DS;
	u8 b;

	*out = (struct string_io_insn){0};
	*why = "instruction bytes end early";
	for (;;) {
		if (!next(&c, &b))
			return -EFAULT;
		if (b == 0x66)
			opsize = true;
		else if (b == 0x67)
			prefix67 = true;
		else if (b == 0xf2 || b == 0xf3)
			out->rep = true;
		else if (segment_override(b) >= 0)
			seg = segment_override(b);
		else if (b != 0xf0)
			break;
	}
	if (mode == DECODE_64 && (b & 0xf0) == 0x40 && !next(&c, &b)) /* REX: no effect here */
		return -EFAULT;
	if (b < 0x6c || b > 0x6f) {
		*why = "not an INS or OUTS instruction";
		return -EINVAL;
	}
	out->in = b <= 0x6d;
	out->size = !(b & 1) ? 1 : (mode == DECODE_16) != opsize ? 2 : 4;
	out->seg = out->in ? SEG_ES : (u8)seg; /* INS writes ES:DI, no override (SDM Vol. 2A INS) */
	out->addr_size = (u8)address_size(mode, prefix67);
	out->len = (u8)c.pos;
	*why = NULL;
	return 0;
}

static u64 mask_of(unsigned int size)
{
	return size >= 8 ? ~0ULL : (1ULL << (size * 8)) - 1;
}

u64 mmio_store_value(const struct mmio_insn *in, u64 reg_val)
{
	if (in->high8)
		reg_val >>= 8;
	return reg_val & mask_of(in->size);
}

u64 mmio_load_result(const struct mmio_insn *in, u64 old_reg, u64 val)
{
	u64 m = mask_of(in->size), dm = mask_of(in->dst_size);

	val &= m;
	if (in->sign_extend && (val & (1ULL << (in->size * 8 - 1))))
		val |= ~m;
	val &= dm;
	if (in->high8)
		return (old_reg & ~0xff00ULL) | (val << 8);
	if (in->dst_size == 4)
		return val; /* 32-bit destinations zero-extend (SDM Vol. 1 3.4.1.1) */
	return in->dst_size == 8 ? val : (old_reg & ~dm) | val;
}
