/* SPDX-License-Identifier: Apache-2.0 */
/* The MMIO instruction decoder (arch/x86/decode.c): every supported form and the rejections. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>

#include <arch/decode.h>
#include <hv/errno.h>

static struct mmio_insn in;
static const char *why;

static int dec(enum decode_mode m, const u8 *b, unsigned int n)
{
	return x86_decode_mmio(b, n, m, &in, &why);
}
#define DEC(m, ...)                                                                                \
	({                                                                                         \
		static const u8 b_[] = {__VA_ARGS__};                                              \
		dec(m, b_, sizeof(b_));                                                            \
	})

static void test_mov_load_store(void **state)
{
	/* mov (%rax), %eax: 8b 00 */
	assert_int_equal(DEC(DECODE_64, 0x8b, 0x00), 0);
	assert_int_equal(in.len, 2);
	assert_int_equal(in.kind, MMIO_LOAD);
	assert_int_equal(in.size, 4);
	assert_int_equal(in.reg, 0);
	/* mov %ecx, 0x300(%rdx): 89 8a 00 03 00 00 */
	assert_int_equal(DEC(DECODE_64, 0x89, 0x8a, 0x00, 0x03, 0x00, 0x00), 0);
	assert_int_equal(in.len, 6);
	assert_int_equal(in.kind, MMIO_STORE_REG);
	assert_int_equal(in.reg, 1);
	/* mov %r9d, 0xb0(%r8): 45 89 88 b0 00 00 00 (REX.R, REX.B) */
	assert_int_equal(DEC(DECODE_64, 0x45, 0x89, 0x88, 0xb0, 0, 0, 0), 0);
	assert_int_equal(in.len, 7);
	assert_int_equal(in.reg, 9);
	/* mov 0x10(%rax,%rcx,4), %rdx: 48 8b 54 88 10 (REX.W, SIB, disp8) */
	assert_int_equal(DEC(DECODE_64, 0x48, 0x8b, 0x54, 0x88, 0x10), 0);
	assert_int_equal(in.len, 5);
	assert_int_equal(in.size, 8);
	assert_int_equal(in.reg, 2);
	/* mov 0xfee00020, %eax in 32-bit code: 8b 05 20 00 e0 fe (disp32) */
	assert_int_equal(DEC(DECODE_32, 0x8b, 0x05, 0x20, 0x00, 0xe0, 0xfe), 0);
	assert_int_equal(in.len, 6);
	/* SIB without base: 8b 04 25 20 00 e0 fe */
	assert_int_equal(DEC(DECODE_64, 0x8b, 0x04, 0x25, 0x20, 0x00, 0xe0, 0xfe), 0);
	assert_int_equal(in.len, 7);
	/* 16-bit operand: 66 89 03 */
	assert_int_equal(DEC(DECODE_64, 0x66, 0x89, 0x03), 0);
	assert_int_equal(in.size, 2);
	assert_int_equal(in.reg, 0);
	/* byte forms: mov %ah, (%rbx): 88 23 -> AH */
	assert_int_equal(DEC(DECODE_64, 0x88, 0x23), 0);
	assert_int_equal(in.size, 1);
	assert_true(in.high8);
	assert_int_equal(in.reg, 0);
	/* with REX, reg 4 is SPL: 40 88 23 */
	assert_int_equal(DEC(DECODE_64, 0x40, 0x88, 0x23), 0);
	assert_false(in.high8);
	assert_int_equal(in.reg, 4);
	/* 8a 07: mov (%rdi), %al; segment prefix 64 accepted */
	assert_int_equal(DEC(DECODE_64, 0x64, 0x8a, 0x07), 0);
	assert_int_equal(in.len, 3);
	assert_int_equal(in.kind, MMIO_LOAD);
}

static void test_mov_imm(void **state)
{
	/* movl $0x12345678, 0x380(%rax): c7 80 80 03 00 00 78 56 34 12 */
	assert_int_equal(DEC(DECODE_64, 0xc7, 0x80, 0x80, 0x03, 0, 0, 0x78, 0x56, 0x34, 0x12), 0);
	assert_int_equal(in.len, 10);
	assert_int_equal(in.kind, MMIO_STORE_IMM);
	assert_int_equal(in.imm, 0x12345678);
	/* REX.W: imm32 sign-extended: 48 c7 00 ff ff ff ff */
	assert_int_equal(DEC(DECODE_64, 0x48, 0xc7, 0x00, 0xff, 0xff, 0xff, 0xff), 0);
	assert_int_equal(in.size, 8);
	assert_true(in.imm == ~0ULL);
	/* 66 c7 00 34 12: imm16 */
	assert_int_equal(DEC(DECODE_64, 0x66, 0xc7, 0x00, 0x34, 0x12), 0);
	assert_int_equal(in.len, 5);
	assert_int_equal(in.imm, 0x1234);
	/* c6 40 10 5a: movb $0x5a, 0x10(%rax) */
	assert_int_equal(DEC(DECODE_64, 0xc6, 0x40, 0x10, 0x5a), 0);
	assert_int_equal(in.len, 4);
	assert_int_equal(in.imm, 0x5a);
	/* 16-bit code: c7 06 20 03 ff 00: disp16, imm16 */
	assert_int_equal(DEC(DECODE_16, 0xc7, 0x06, 0x20, 0x03, 0xff, 0x00), 0);
	assert_int_equal(in.len, 6);
	assert_int_equal(in.size, 2);
}

static void test_movx(void **state)
{
	/* movzbl (%rax), %ecx: 0f b6 08 */
	assert_int_equal(DEC(DECODE_64, 0x0f, 0xb6, 0x08), 0);
	assert_int_equal(in.size, 1);
	assert_int_equal(in.dst_size, 4);
	assert_int_equal(in.reg, 1);
	assert_int_equal(mmio_load_result(&in, ~0ULL, 0xff), 0xff);
	/* movswq (%rax), %rdx: 48 0f bf 10 */
	assert_int_equal(DEC(DECODE_64, 0x48, 0x0f, 0xbf, 0x10), 0);
	assert_int_equal(in.size, 2);
	assert_int_equal(in.dst_size, 8);
	assert_true(mmio_load_result(&in, 0, 0x8000) == 0xffffffffffff8000ULL);
}

/* A0-A3: the accumulator and an offset as wide as the address size. */
static void test_moffs(void **state)
{
	/* mov 0xfee000b0, %eax in 32-bit code: a1 b0 00 e0 fe */
	assert_int_equal(DEC(DECODE_32, 0xa1, 0xb0, 0x00, 0xe0, 0xfe), 0);
	assert_int_equal(in.len, 5);
	assert_int_equal(in.kind, MMIO_LOAD);
	assert_int_equal(in.size, 4);
	assert_int_equal(in.dst_size, 4);
	assert_int_equal(in.reg, 0);
	/* mov %eax, 0xfee000b0 (a3): a store of the accumulator */
	assert_int_equal(DEC(DECODE_32, 0xa3, 0xb0, 0x00, 0xe0, 0xfe), 0);
	assert_int_equal(in.kind, MMIO_STORE_REG);
	assert_int_equal(in.reg, 0);
	/* mov %al, moffs8 (a2) and mov moffs8, %al (a0) */
	assert_int_equal(DEC(DECODE_32, 0xa2, 0x00, 0x00, 0xc0, 0xfe), 0);
	assert_int_equal(in.size, 1);
	assert_false(in.high8);
	assert_int_equal(DEC(DECODE_32, 0xa0, 0x00, 0x00, 0xc0, 0xfe), 0);
	assert_int_equal(in.kind, MMIO_LOAD);
	assert_int_equal(in.size, 1);
	/* 64-bit mode: an 8-byte offset; REX.W makes it RAX; 67 a 4-byte one. */
	assert_int_equal(DEC(DECODE_64, 0x48, 0xa1, 0x20, 0, 0xe0, 0xfe, 0, 0, 0, 0), 0);
	assert_int_equal(in.len, 10);
	assert_int_equal(in.size, 8);
	assert_int_equal(DEC(DECODE_64, 0x67, 0xa3, 0x20, 0x00, 0xe0, 0xfe), 0);
	assert_int_equal(in.len, 6);
	assert_int_equal(in.size, 4);
	/* 16-bit code: a 2-byte offset, a 2-byte operand unless 66 */
	assert_int_equal(DEC(DECODE_16, 0xa1, 0x34, 0x12), 0);
	assert_int_equal(in.len, 3);
	assert_int_equal(in.size, 2);
	assert_int_equal(DEC(DECODE_16, 0x66, 0x67, 0xa1, 0x00, 0x00, 0xe0, 0xfe), 0);
	assert_int_equal(in.len, 7);
	assert_int_equal(in.size, 4);
	/* The offset cut short. */
	assert_int_equal(DEC(DECODE_64, 0xa1, 0x20, 0x00, 0xe0, 0xfe), -EFAULT);
}

static struct string_io_insn sio;

#define SIO(m, ...)                                                                                \
	({                                                                                         \
		static const u8 b_[] = {__VA_ARGS__};                                              \
		x86_decode_string_io(b_, sizeof(b_), m, &sio, &why);                               \
	})

/* INS/OUTS: direction, size, segment, address size and REP from the prefixes. */
static void test_string_io(void **state)
{
	/* rep outsb in 32-bit code: f3 6e */
	assert_int_equal(SIO(DECODE_32, 0xf3, 0x6e), 0);
	assert_int_equal(sio.len, 2);
	assert_false(sio.in);
	assert_true(sio.rep);
	assert_int_equal(sio.size, 1);
	assert_int_equal(sio.seg, SEG_DS);
	assert_int_equal(sio.addr_size, 4);
	/* insw: 66 6d in 32-bit code, no REP; INS always writes ES:DI */
	assert_int_equal(SIO(DECODE_32, 0x66, 0x2e, 0x6d), 0);
	assert_true(sio.in);
	assert_false(sio.rep);
	assert_int_equal(sio.size, 2);
	assert_int_equal(sio.seg, SEG_ES);
	/* outsl with an FS override and 67 in 64-bit code: 64 67 f3 6f */
	assert_int_equal(SIO(DECODE_64, 0x64, 0x67, 0xf3, 0x6f), 0);
	assert_int_equal(sio.len, 4);
	assert_int_equal(sio.size, 4);
	assert_int_equal(sio.seg, SEG_FS);
	assert_int_equal(sio.addr_size, 4);
	/* 64-bit default address size; REX is allowed and ignored */
	assert_int_equal(SIO(DECODE_64, 0xf3, 0x48, 0x6c), 0);
	assert_int_equal(sio.addr_size, 8);
	assert_int_equal(sio.size, 1);
	/* 16-bit code: words by default, SI/DI/CX */
	assert_int_equal(SIO(DECODE_16, 0xf3, 0x6f), 0);
	assert_int_equal(sio.size, 2);
	assert_int_equal(sio.addr_size, 2);
	assert_int_equal(SIO(DECODE_16, 0x66, 0x67, 0x6f), 0);
	assert_int_equal(sio.size, 4);
	assert_int_equal(sio.addr_size, 4);
	/* Not INS/OUTS, or cut short */
	assert_int_equal(SIO(DECODE_32, 0xee), -EINVAL); /* out %al, %dx */
	assert_non_null(why);
	assert_int_equal(SIO(DECODE_32, 0xf3), -EFAULT);
}

static void test_results(void **state)
{
	assert_int_equal(DEC(DECODE_64, 0x8b, 0x00), 0);
	assert_true(mmio_load_result(&in, 0xffffffff00000000ULL, 0x1234) == 0x1234); /* zero-ext */
	assert_int_equal(DEC(DECODE_64, 0x66, 0x8b, 0x00), 0);
	assert_true(mmio_load_result(&in, 0xaaaaaaaaaaaaaaaaULL, 0x1234) == 0xaaaaaaaaaaaa1234ULL);
	assert_int_equal(DEC(DECODE_64, 0x8a, 0x20), 0); /* mov (%rax), %ah */
	assert_true(mmio_load_result(&in, 0x1111, 0x22) == 0x2211);
	assert_int_equal(DEC(DECODE_64, 0x88, 0x20), 0); /* mov %ah, (%rax) */
	assert_int_equal(mmio_store_value(&in, 0x3344), 0x33);
	assert_int_equal(DEC(DECODE_64, 0x89, 0x00), 0);
	assert_int_equal(mmio_store_value(&in, 0x1122334455667788ULL), 0x55667788);
}

static void test_rejections(void **state)
{
	assert_int_equal(DEC(DECODE_64, 0x87, 0x00), -EINVAL); /* xchg */
	assert_non_null(why);
	assert_int_equal(DEC(DECODE_64, 0x8b, 0xc0), -EINVAL);		   /* register operand */
	assert_int_equal(DEC(DECODE_64, 0xc7, 0x08, 0, 0, 0, 0), -EINVAL); /* c7 /1 */
	assert_int_equal(DEC(DECODE_64, 0x0f, 0x01, 0x00), -EINVAL);
	assert_int_equal(DEC(DECODE_64, 0xf3, 0xa5), -EINVAL);	     /* rep movs */
	assert_int_equal(DEC(DECODE_64, 0x8b, 0x80, 0x00), -EFAULT); /* disp32 cut short */
	assert_int_equal(DEC(DECODE_64, 0xc7, 0x00, 0x01), -EFAULT); /* imm cut short */
	assert_int_equal(DEC(DECODE_64, 0x48), -EFAULT);
	assert_int_equal(dec(DECODE_64, (const u8 *)"", 0), -EFAULT);
	/* in 32-bit mode 0x48 is DEC EAX, not REX */
	assert_int_equal(DEC(DECODE_32, 0x48, 0x8b, 0x00), -EINVAL);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_mov_load_store), cmocka_unit_test(test_mov_imm),
		cmocka_unit_test(test_movx),	       cmocka_unit_test(test_results),
		cmocka_unit_test(test_rejections),     cmocka_unit_test(test_moffs),
		cmocka_unit_test(test_string_io),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
