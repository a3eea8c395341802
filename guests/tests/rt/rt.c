/* SPDX-License-Identifier: Apache-2.0 */
/* Start-up, exceptions, the verdict and the exit, and command-line access. */
#include <stdarg.h>

#include "rt.h"

#define EXIT_PORT   0xf4 /* QEMU isa-debug-exit and Bulkhead's test-exit port */
#define IDT_ENTRIES 32
#define GATE_INT32  0x8e /* present, DPL 0, 32-bit interrupt gate (SDM Vol. 3A, 6.11) */
#define CODE_SEL    0x08

void rt_start(uint32_t magic, const struct mb_info *mbi);

/* pushal's layout, then what the stub and the CPU pushed. */
struct rt_frame {
	uint32_t edi, esi, ebp, esp, ebx, edx, ecx, eax;
	uint32_t vector, error;
	uint32_t eip, cs, eflags;
};
void rt_trap(struct rt_frame *f);

extern const uint8_t rt_isr_stubs[];

static uint64_t idt[IDT_ENTRIES] __attribute__((aligned(8)));
static const struct mb_info *mbi_seen;
static volatile uint32_t trap_vector = ~0u, trap_skip, trap_count;

uint64_t rt_gate(const void *handler)
{
	uint32_t a = (uint32_t)handler;

	return (a & 0xffff) | (uint64_t)CODE_SEL << 16 | (uint64_t)GATE_INT32 << 40 |
	       (uint64_t)(a >> 16) << 48;
}

void rt_lidt(const uint64_t *table, uint32_t entries)
{
	struct __attribute__((packed)) {
		uint16_t limit;
		uint32_t base;
	} desc = {(uint16_t)(entries * sizeof(*table) - 1), (uint32_t)table};

	__asm__ volatile("lidt %0" : : "m"(desc));
}

void rt_idt_load(void)
{
	rt_lidt(idt, IDT_ENTRIES);
}

static void idt_init(void)
{
	for (int i = 0; i < IDT_ENTRIES; i++)
		idt[i] = rt_gate(rt_isr_stubs + 16 * i);
	rt_idt_load();
}

void rt_start(uint32_t magic, const struct mb_info *mbi)
{
	rt_console_init();
	idt_init();
	mbi_seen = magic == MB_BOOTLOADER_MAGIC ? mbi : NULL;
	guest_main(magic, mbi_seen);
	rt_pass();
}

void rt_expect_trap(uint32_t vector, uint32_t skip)
{
	trap_skip = skip;
	trap_vector = vector;
}

uint32_t rt_trap_count(void)
{
	return trap_count;
}

void rt_trap(struct rt_frame *f)
{
	if (f->vector == trap_vector) {
		trap_vector = ~0u;
		trap_count++;
		f->eip += trap_skip;
		return;
	}
	rt_fail("exception %u error=0x%x eip=0x%08x", f->vector, f->error, f->eip);
}

void rt_halt(void)
{
	for (;;)
		__asm__ volatile("cli; hlt");
}

void rt_exit(uint32_t code)
{
	outl(EXIT_PORT, code);
	rt_halt(); /* no exit device: stay stopped */
}

void rt_pass(void)
{
	rt_printf("VERDICT %s PASS\n", guest_name);
	rt_exit(0);
}

void rt_fail(const char *fmt, ...)
{
	va_list ap;

	rt_printf("VERDICT %s FAIL ", guest_name);
	va_start(ap, fmt);
	rt_vprintf(fmt, ap);
	va_end(ap);
	rt_printf("\n");
	rt_exit(1);
}

const struct mb_info *rt_mbi(void)
{
	return mbi_seen;
}

size_t rt_strlen(const char *s)
{
	size_t n = 0;

	while (s[n])
		n++;
	return n;
}

static size_t token_len(const char *s)
{
	size_t n = 0;

	while (s[n] && s[n] != ' ')
		n++;
	return n;
}

const char *rt_arg(const char *key, size_t *len)
{
	size_t klen = rt_strlen(key);
	const char *s;

	if (!mbi_seen || !(mbi_seen->flags & MBI_FLAG_CMDLINE))
		return NULL;
	for (s = (const char *)mbi_seen->cmdline; *s; s += token_len(s)) {
		while (*s == ' ')
			s++;
		if (token_len(s) > klen && s[klen] == '=') {
			size_t i = 0;

			while (i < klen && s[i] == key[i])
				i++;
			if (i == klen) {
				*len = token_len(s) - klen - 1;
				return s + klen + 1;
			}
		}
	}
	return NULL;
}

bool rt_arg_is(const char *key, const char *want)
{
	size_t len, i;
	const char *s = rt_arg(key, &len);

	if (!s)
		return false;
	for (i = 0; i < len && want[i] && s[i] == want[i]; i++)
		;
	return i == len && !want[i];
}

static int digit(char c, unsigned base)
{
	int d = c >= '0' && c <= '9'   ? c - '0'
		: c >= 'a' && c <= 'f' ? c - 'a' + 10
		: c >= 'A' && c <= 'F' ? c - 'A' + 10
				       : 99;
	return d < (int)base ? d : -1;
}

bool rt_parse_u64(const char *s, size_t n, uint64_t *out)
{
	unsigned base = 10;
	uint64_t v = 0;

	if (n > 2 && s[0] == '0' && (s[1] == 'x' || s[1] == 'X'))
		base = 16, s += 2, n -= 2;
	if (n == 0)
		return false;
	for (size_t i = 0; i < n; i++) {
		int d = digit(s[i], base);

		if (d < 0)
			return false;
		v = base == 16 ? v << 4 | (uint64_t)d : v * 10 + (uint64_t)d;
	}
	*out = v;
	return true;
}
