/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The vendor-neutral vCPU policy against a fake vendor and a fake guest:
 * every exit reason is handled or fatal (asserted per reason), the CPUID and
 * MSR policies, port I/O routing, the virtual 16550, test-exit and INIT/SIPI.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>

#include <arch/cpu.h>
#include <arch/vlapic.h>
#include <arch/vcpu.h>
#include <arch/vcpu_vendor.h>
#include <hv/config.h>
#include <hv/errno.h>
#include <hv/guest.h>
#include <hv/printk.h>
#include <hv/vdev.h>

/* ---- fakes ---------------------------------------------------------------- */
struct guest {
	const char *name;
	u32 n;
	struct vcpu *cpus[4];
	struct guest_devices dev;
	int stops;
	u32 code;
	bool exited;
};

static struct guest g;
static struct vcpu cpus[2];
static u64 regs[VCPU_REG_COUNT];
static u64 skipped, injected_vec, injects;
static u32 host_port_val = 0x5a;
static char last_line[256];
static int lines;

const char *guest_name(const struct guest *x)
{
	return x->name;
}
u32 guest_vcpu_count(const struct guest *x)
{
	return x->n;
}
struct vcpu *guest_vcpu(struct guest *x, u32 i)
{
	return i < x->n ? x->cpus[i] : NULL;
}
struct guest_devices *guest_devices(struct guest *x)
{
	return &x->dev;
}
void guest_stop(struct guest *x, const char *why)
{
	x->stops++;
	for (u32 i = 0; i < x->n; i++)
		vcpu_request_stop(x->cpus[i]);
}
void guest_exit_code(struct guest *x, u32 code)
{
	x->code = code;
	x->exited = true;
	guest_stop(x, "exit");
}
/* The platform devices (kernel/vdev/v*.c) need these; no test here powers off or resets. */
void guest_power_off(struct guest *x)
{
	guest_stop(x, "powered off");
}

void guest_reset(struct guest *x)
{
	guest_stop(x, "reset");
}

u64 vdev_now(void)
{
	return 0;
}

u64 vdev_clock_hz(void)
{
	return 1000000000ULL;
}

/* Stands in until the LAPIC model delivers (a strong definition there wins). */
__attribute__((weak)) int vlapic_deliver(struct guest *x, u32 dest, bool logical, u8 vector,
					 u8 delivery_mode, bool level)
{
	return 0;
}

void host_cpuid(u32 leaf, u32 sub, struct cpuid_regs *o)
{
	memset(o, 0, sizeof(*o));
	if (leaf == 0)
		o->eax = 0x20;
	else if (leaf == 0x80000000)
		o->eax = 0x80000008;
	else if (leaf == 1) {
		o->eax = 0x906ea;
		o->ecx = 0xffffffff;
		o->edx = 0xffffffff;
	} else if (leaf == 0x80000001) {
		o->ecx = 0xffffffff;
		o->edx = 0xffffffff;
	} else if (leaf == 6)
		o->eax = 0x77;
}
u64 host_xcr0_supported(void)
{
	return 0x2e7;
}
void vcpu_kick(struct vcpu *v)
{
}
u64 vcpu_cycles(void)
{
	return 1000;
}
u32 host_pio_read(u16 port, unsigned int size)
{
	return host_port_val;
}
void host_pio_write(u16 port, unsigned int size, u32 val)
{
	host_port_val = val;
}
void printk(int level, const char *fmt, ...)
{
}
/* The instruction at RIP (string I/O; MMIO decoding is covered by test_decode and test_vlapic). */
static u8 insn[15];
static unsigned int insn_len;
static enum decode_mode insn_mode;
unsigned int vcpu_fetch_insn(struct vcpu *v, u8 *buf, unsigned int max, enum decode_mode *mode)
{
	*mode = insn_mode;
	memcpy(buf, insn, insn_len < max ? insn_len : max);
	return insn_len < max ? insn_len : max;
}

/* Guest memory: linear addresses [0, sizeof(gmem)) are mapped, nothing else. */
static u8 gmem[0x20000];
int vcpu_linear_copy(struct vcpu *v, u64 la, void *buf, unsigned int len, bool write)
{
	if (la >= sizeof(gmem) || len > sizeof(gmem) - la)
		return -EFAULT;
	if (write)
		memcpy(gmem + la, buf, len);
	else
		memcpy(buf, gmem + la, len);
	return 0;
}

const struct vcpu_vendor *vcpu_ops;
static u64 f_get(struct vcpu *v, enum vcpu_reg r)
{
	return regs[r];
}
static void f_set(struct vcpu *v, enum vcpu_reg r, u64 x)
{
	regs[r] = x;
}
static void f_skip(struct vcpu *v, u8 len)
{
	skipped++;
	regs[VCPU_REG_RIP] += len;
}
static void f_inject(struct vcpu *v, u8 vec, bool he, u32 err)
{
	injects++;
	injected_vec = vec;
}
static int f_init(struct vcpu *v, hpa_t root, const struct vcpu_init_state *s)
{
	regs[VCPU_REG_RIP] = s->rip;
	return 0;
}
static u64 seg_base[SEG_COUNT];
static void f_seg(struct vcpu *v, enum seg_reg s, struct segment *out)
{
	*out = (struct segment){.base = seg_base[s], .ar = SEG_AR_DB};
}
static struct vcpu_init_state loaded;
static void f_load(struct vcpu *v, const struct vcpu_init_state *s)
{
	loaded = *s;
}
static const struct vcpu_vendor fake = {
	.name = "vmx",
	.vcpu_init = f_init,
	.load_state = f_load,
	.get_reg = f_get,
	.set_reg = f_set,
	.get_segment = f_seg,
	.skip_instruction = f_skip,
	.inject_exception = f_inject,
};

static void sink(const char *line, size_t len)
{
	snprintf(last_line, sizeof(last_line), "%s", line);
	assert_int_equal(strlen(line), len);
	lines++;
}

static int setup(void **state)
{
	struct cfg_guest cfg = {.name = "web", .uart_port = 0x3f8};

	memset(&g, 0, sizeof(g));
	memset(regs, 0, sizeof(regs));
	memset(seg_base, 0, sizeof(seg_base));
	skipped = injects = injected_vec = 0;
	lines = 0;
	g.name = "web";
	g.n = 2;
	vcpu_ops = &fake;
	vuart_set_sink(sink);
	cfg.ioport_count = 1;
	cfg.ioports[0] = (struct cfg_range){0x60, 1, 1};
	for (u32 i = 0; i < 2; i++) {
		struct vcpu_init_state s;
		vcpu_setup(&cpus[i], &g, i, i);
		g.cpus[i] = &cpus[i];
		vcpu_state_flat32(&s, 0x100000);
		assert_int_equal(vcpu_start(&cpus[i], 0x1000, &s), 0);
	}
	assert_int_equal(guest_devices_init(&g.dev, &g, &cfg), 0);
	return 0;
}

static struct vm_exit mk(enum exit_reason r)
{
	struct vm_exit e = {.reason = r, .insn_len = 2};
	return e;
}

/* ---- every reason: handled or fatal --------------------------------------------- */
static void test_every_reason(void **state)
{
	static const bool fatal[EXIT_REASON_COUNT] = {
		[EXIT_UNHANDLED] = true,
		[EXIT_TRIPLE_FAULT] = true,
		[EXIT_SL_FAULT] = true,
		[EXIT_ENTRY_FAILED] = true,
	};
	for (unsigned int r = 0; r < EXIT_REASON_COUNT; r++) {
		struct vm_exit e = mk(r);
		setup(state);
		cpus[0].regs.r[GPR_RAX] = 1; /* valid XCR0, known-ish values */
		cpus[0].regs.r[GPR_RCX] = 0x277;
		e.u.io = (struct exit_io){.port = 0x80, .size = 1, .in = true};
		if (r == EXIT_CR_WRITE)
			e.u.cr = (struct exit_cr){.cr = 0, .value = 0x11};
		if (r == EXIT_CR_READ)
			e.u.cr = (struct exit_cr){.cr = 8, .gpr = GPR_RAX};
		if (r == EXIT_EXCEPTION)
			e.u.exc.vector = X86_EXC_AC;
		enum exit_result res = vcpu_handle_exit(&cpus[0], &e);
		if (res != (fatal[r] ? EXIT_STOPPED : EXIT_RESUME))
			fail_msg("reason %s: result %d", exit_reason_name(r), res);
		assert_int_equal(g.stops, fatal[r] ? 1 : 0);
		assert_string_not_equal(exit_reason_name(r), "?");
	}
	struct vm_exit bad = mk(EXIT_REASON_COUNT + 3);
	setup(state);
	assert_int_equal(vcpu_handle_exit(&cpus[0], &bad), EXIT_STOPPED);
}

/* CR8 is the TPR's bits 7:4 (SDM Vol. 3A 11.8.6.1); reserved bits 63:4 give #GP. */
static void test_cr8(void **state)
{
	struct vm_exit e = mk(EXIT_CR_WRITE);

	setup(state);
	e.u.cr = (struct exit_cr){.cr = 8, .value = 0xb};
	assert_int_equal(vcpu_handle_exit(&cpus[0], &e), EXIT_RESUME);
	assert_int_equal(vlapic_get_tpr(&cpus[0]), 0xb0);
	assert_int_equal(skipped, 1);
	e.u.cr.value = 0x10;
	assert_int_equal(vcpu_handle_exit(&cpus[0], &e), EXIT_RESUME);
	assert_int_equal(vlapic_get_tpr(&cpus[0]), 0xb0);
	assert_int_equal(injected_vec, X86_EXC_GP);
	assert_int_equal(skipped, 1);
	/* The APIC's TPR register written directly reads back through CR8, low nibble dropped. */
	vlapic_set_tpr(&cpus[0], 0x7c);
	e = mk(EXIT_CR_READ);
	e.u.cr = (struct exit_cr){.cr = 8, .gpr = GPR_R10};
	cpus[0].regs.r[GPR_R10] = ~0ULL;
	assert_int_equal(vcpu_handle_exit(&cpus[0], &e), EXIT_RESUME);
	assert_int_equal(cpus[0].regs.r[GPR_R10], 7);
	assert_int_equal(g.stops, 0);
	/* Only CR8 reads are expected: another is fatal, not guessed. */
	e.u.cr.cr = 3;
	assert_int_equal(vcpu_handle_exit(&cpus[0], &e), EXIT_STOPPED);
}

static void test_hypercall_and_hlt(void **state)
{
	struct vm_exit e = mk(EXIT_HYPERCALL);
	setup(state);
	cpus[0].regs.r[GPR_RAX] = 1234;
	assert_int_equal(vcpu_handle_exit(&cpus[0], &e), EXIT_RESUME);
	assert_int_equal(cpus[0].regs.r[GPR_RAX], HC_ENOSYS);
	assert_int_equal(injects, 0);
	e = mk(EXIT_HLT);
	vcpu_handle_exit(&cpus[0], &e);
	assert_int_equal(cpus[0].state, VCPU_HALTED);
	assert_int_equal(vcpu_process_pending(&cpus[0]), VCPU_HALTED);
}

/* ---- CPUID ---------------------------------------------------------------------- */
static void test_cpuid(void **state)
{
	struct cpuid_regs r;
	setup(state);
	vcpu_policy_init(2500000000ULL);
	cpuid_policy(&cpus[1], 1, 0, &r);
	assert_false(r.ecx & BIT(5));
	assert_true(r.ecx & BIT(31));
	assert_true(r.ecx & BIT(21));
	assert_false(r.ecx & BIT(15)); /* PDCM hidden: no PERF_CAPABILITIES */
	assert_false(r.edx & BIT(14));
	assert_int_equal(r.ebx >> 24, 1);
	cpuid_policy(&cpus[0], 0x80000001, 0, &r);
	assert_false(r.ecx & BIT(2));
	assert_false(r.edx & BIT(27));
	cpuid_policy(&cpus[0], 0x40000000, 0, &r);
	assert_int_equal(r.eax, 0x40000001);
	assert_memory_equal(&r.ebx, "Bulk", 4);
	assert_memory_equal(&r.ecx, "head", 4);
	assert_int_equal(r.edx, 0);
	cpuid_policy(&cpus[0], 0x40000001, 0, &r);
	assert_int_equal(r.eax, 2500000);
	cpuid_policy(&cpus[0], 6, 0, &r);
	assert_int_equal(r.eax, BIT(2)); /* ARAT only */
	assert_int_equal(r.ebx | r.ecx | r.edx, 0);
	cpuid_policy(&cpus[0], 0xa, 0, &r);
	assert_int_equal(r.eax, 0);
	cpuid_policy(&cpus[0], 0, 0, &r);
	assert_int_equal(r.eax, 0x16);
	cpuid_policy(&cpus[0], 0x80000009, 0, &r);
	assert_int_equal(r.eax | r.ebx | r.ecx | r.edx, 0);
}

/* ---- MSRs ---------------------------------------------------------------------- */
static void test_msr(void **state)
{
	u64 v;
	setup(state);
	assert_int_equal(msr_policy_read(&cpus[0], 0x3a, &v), 0);
	assert_int_equal(v, 1);
	assert_int_equal(msr_policy_write(&cpus[0], 0x3a, 5), -EPERM);
	assert_int_equal(msr_policy_read(&cpus[0], 0x345, &v), -EPERM);
	assert_int_equal(msr_policy_read(&cpus[0], 0xdeadbeef, &v), -EPERM);
	assert_int_equal(msr_policy_write(&cpus[0], 0xc0000100, 0x1234), 0);
	assert_int_equal(regs[VCPU_REG_FS_BASE], 0x1234);
	assert_int_equal(msr_policy_write(&cpus[0], 0xc0000100, 0x0000800000000000ULL), -EPERM);
	assert_int_equal(msr_policy_write(&cpus[0], 0x277, 0x0007040600070406ULL), 0);
	assert_int_equal(msr_policy_write(&cpus[0], 0x277, 0x02), -EPERM);
	assert_int_equal(msr_policy_write(&cpus[0], 0xc0000080, BIT64(12)), -EPERM);
	assert_int_equal(msr_policy_write(&cpus[0], 0xc0000080, 0x901), 0);
	assert_int_equal(msr_policy_read(&cpus[0], 0x1b, &v), 0);
	assert_int_equal(v, 0xfee00900);
	assert_int_equal(msr_policy_read(&cpus[0], 0x802, &v), -EPERM); /* not x2APIC yet */
	assert_int_equal(msr_policy_write(&cpus[0], 0x1b, 0xfee00c00), 0);
	assert_int_equal(msr_policy_read(&cpus[0], 0x802, &v), 0);
	assert_int_equal(msr_policy_write(&cpus[0], 0x1b, 0xfee00800), -EPERM); /* x2 -> x */
	/* #GP injection through the exit */
	struct vm_exit e = mk(EXIT_RDMSR);
	cpus[0].regs.r[GPR_RCX] = 0x345;
	assert_int_equal(vcpu_handle_exit(&cpus[0], &e), EXIT_RESUME);
	assert_int_equal(injected_vec, X86_EXC_GP);
	assert_int_equal(skipped, 0);
}

/* ---- port I/O --------------------------------------------------------------------- */
static enum exit_result io(u16 port, u8 size, bool in, u64 rax)
{
	struct vm_exit e = mk(EXIT_IO);
	e.u.io = (struct exit_io){.port = port, .size = size, .in = in};
	cpus[0].regs.r[GPR_RAX] = rax;
	return vcpu_handle_exit(&cpus[0], &e);
}

static void test_io(void **state)
{
	setup(state);
	io(0x1234, 2, true, 0xaaaaaaaaaaaaaaaaULL);
	assert_int_equal(cpus[0].regs.r[GPR_RAX], 0xaaaaaaaaaaaaffffULL);
	io(0x1234, 4, true, 0xaaaaaaaaaaaaaaaaULL);
	assert_int_equal(cpus[0].regs.r[GPR_RAX], 0xffffffffULL);
	io(0x60, 1, true, 0);
	assert_int_equal(cpus[0].regs.r[GPR_RAX], 0x5a);
	io(0x60, 1, false, 0x77);
	assert_int_equal(host_port_val, 0x77);
	io(0x21, 1, false, 0xff); /* PIC mask: dropped */
	assert_int_equal(g.stops, 0);
	io(0x3fd, 1, true, 0);
	assert_int_equal(cpus[0].regs.r[GPR_RAX], 0x60);
}

/* An INS/OUTS exit with the instruction bytes the fake fetch returns. */
static enum exit_result string_io(u16 port, u8 size, bool in, enum decode_mode mode,
				  const u8 *bytes, unsigned int n)
{
	struct vm_exit e = mk(EXIT_IO);

	e.u.io = (struct exit_io){.port = port, .size = size, .in = in, .string = true};
	memcpy(insn, bytes, n);
	insn_len = n;
	insn_mode = mode;
	return vcpu_handle_exit(&cpus[0], &e);
}

#define RFLAGS_DF BIT64(10)

static void test_string_io(void **state)
{
	static const u8 rep_outsb[] = {0xf3, 0x6e}, rep_insb[] = {0xf3, 0x6c}, outsb[] = {0x6e},
			rep_outsw16[] = {0xf3, 0x6f}, insb[] = {0x6c};

	setup(state);
	/* rep outsb of "hi\n" from DS:ESI to the UART: DS's base counts, RSI and RCX step. */
	seg_base[SEG_DS] = 0x1000;
	memcpy(gmem + 0x1100, "hi\n", 3);
	cpus[0].regs.r[GPR_RSI] = 0x100;
	cpus[0].regs.r[GPR_RCX] = 3;
	assert_int_equal(string_io(0x3f8, 1, false, DECODE_32, rep_outsb, 2), EXIT_RESUME);
	assert_string_equal(last_line, "[web] hi");
	assert_int_equal(cpus[0].regs.r[GPR_RSI], 0x103);
	assert_int_equal(cpus[0].regs.r[GPR_RCX], 0);
	assert_int_equal(skipped, 1);
	/* rep insb from a passed-through port into ES:EDI, downwards (DF = 1). */
	regs[VCPU_REG_RFLAGS] = RFLAGS_DF;
	cpus[0].regs.r[GPR_RDI] = 0x2003;
	cpus[0].regs.r[GPR_RCX] = 4;
	host_port_val = 0x5a;
	assert_int_equal(string_io(0x60, 1, true, DECODE_32, rep_insb, 2), EXIT_RESUME);
	assert_memory_equal(gmem + 0x2000, "\x5a\x5a\x5a\x5a", 4);
	assert_int_equal(cpus[0].regs.r[GPR_RDI], 0x1fff);
	regs[VCPU_REG_RFLAGS] = 0;
	/* A long REP stops after a batch with RIP on the instruction, then finishes. */
	skipped = 0;
	cpus[0].regs.r[GPR_RSI] = 0;
	cpus[0].regs.r[GPR_RCX] = 3000;
	assert_int_equal(string_io(0x80, 1, false, DECODE_32, rep_outsb, 2), EXIT_RESUME);
	assert_int_equal(skipped, 0);
	assert_true(cpus[0].regs.r[GPR_RCX] > 0 && cpus[0].regs.r[GPR_RCX] < 3000);
	while (cpus[0].regs.r[GPR_RCX])
		assert_int_equal(string_io(0x80, 1, false, DECODE_32, rep_outsb, 2), EXIT_RESUME);
	assert_int_equal(skipped, 1);
	assert_int_equal(cpus[0].regs.r[GPR_RSI], 3000);
	/* 16-bit addressing: SI wraps within its 16 bits, the rest of RSI stays. */
	seg_base[SEG_DS] = 0;
	cpus[0].regs.r[GPR_RSI] = 0x1234fffe;
	cpus[0].regs.r[GPR_RCX] = 0xabcd0001;
	assert_int_equal(string_io(0x80, 2, false, DECODE_16, rep_outsw16, 2), EXIT_RESUME);
	assert_int_equal(cpus[0].regs.r[GPR_RSI], 0x12340000);
	assert_int_equal(cpus[0].regs.r[GPR_RCX], 0xabcd0000);
	/* rep with ECX = 0 (32-bit addressing: RCX's upper half does not count) does nothing. */
	skipped = 0;
	cpus[0].regs.r[GPR_RCX] = 0xffff00000000ULL;
	assert_int_equal(string_io(0x3f8, 1, false, DECODE_32, rep_outsb, 2), EXIT_RESUME);
	assert_int_equal(skipped, 1);
	assert_int_equal(g.stops, 0);
	/* Memory the guest does not have stops it; so does an instruction that is not the exit's.
	 */
	cpus[0].regs.r[GPR_RSI] = 0x7fffffff;
	assert_int_equal(string_io(0x3f8, 1, false, DECODE_32, outsb, 1), EXIT_STOPPED);
	setup(state);
	assert_int_equal(string_io(0x3f8, 1, false, DECODE_32, insb, 1), EXIT_STOPPED);
	setup(state);
	assert_int_equal(string_io(0x3f8, 2, false, DECODE_32, outsb, 1), EXIT_STOPPED);
}

static void test_testexit(void **state)
{
	setup(state);
	assert_int_equal(io(0xf4, 4, false, 0x2a), EXIT_STOPPED);
	assert_true(g.exited);
	assert_int_equal(g.code, 0x2a);
	assert_int_equal(vcpu_process_pending(&cpus[1]), VCPU_STOPPED);
}

/* ---- vuart ---------------------------------------------------------------------- */
static void out_str(const char *s)
{
	while (*s)
		io(0x3f8, 1, false, (u8)*s++);
}

static void test_vuart(void **state)
{
	setup(state);
	io(0x3fb, 1, false, 0x83); /* DLAB */
	io(0x3f8, 1, false, 0x01);
	io(0x3f9, 1, false, 0x00);
	io(0x3f8, 1, true, 0);
	assert_int_equal(cpus[0].regs.r[GPR_RAX], 1);
	io(0x3fb, 1, false, 0x03);
	io(0x3fb, 1, true, 0);
	assert_int_equal(cpus[0].regs.r[GPR_RAX], 3);
	io(0x3ff, 1, false, 0x5c);
	io(0x3ff, 1, true, 0);
	assert_int_equal(cpus[0].regs.r[GPR_RAX], 0x5c);
	io(0x3fa, 1, true, 0);
	assert_int_equal(cpus[0].regs.r[GPR_RAX] & 0xf, 1);
	out_str("hello\r\n");
	assert_int_equal(lines, 1);
	assert_string_equal(last_line, "[web] hello");
	out_str("\x1b[2Jbulkhead: fake\tx\n");
	assert_string_equal(last_line, "[web] \\x1b[2Jbulkhead: fake\tx");
	for (int i = 0; i < VUART_LINE_MAX + 5; i++)
		io(0x3f8, 1, false, 'a');
	assert_int_equal(lines, 3);
	assert_int_equal(strlen(last_line), 6 + VUART_LINE_MAX);
	vuart_flush(&g.dev.uart);
	assert_string_equal(last_line, "[web] aaaaa");
}

/* ---- INIT / SIPI ----------------------------------------------------------------- */
static void test_init_sipi(void **state)
{
	u64 v;
	setup(state);
	assert_int_equal(cpus[1].state, VCPU_WAIT_FOR_SIPI);
	assert_int_equal(cpus[0].state, VCPU_RUNNABLE);
	/* x2APIC: INIT then SIPI vector 0x9a to all excluding self */
	assert_int_equal(msr_policy_write(&cpus[0], 0x1b, 0xfee00d00), 0);
	assert_int_equal(msr_policy_write(&cpus[0], 0x830, 0xc4500), 0);
	assert_int_equal(msr_policy_write(&cpus[0], 0x830, 0xc469a), 0);
	assert_int_equal(vcpu_process_pending(&cpus[0]), VCPU_RUNNABLE);
	assert_int_equal(vcpu_process_pending(&cpus[1]), VCPU_RUNNABLE);
	assert_int_equal(loaded.seg[SEG_CS].base, 0x9a000);
	assert_int_equal(loaded.seg[SEG_CS].sel, 0x9a00);
	assert_int_equal(loaded.rip, 0);
	/* a second SIPI to a running CPU is ignored */
	vcpu_post_sipi(&cpus[1], 0x10);
	assert_int_equal(vcpu_process_pending(&cpus[1]), VCPU_RUNNABLE);
	assert_int_equal(loaded.seg[SEG_CS].base, 0x9a000);
	/* xAPIC MMIO path, physical destination 1, vector 0 */
	setup(state);
	assert_int_equal(vdev_mmio_write(&g.dev.bus, &cpus[0], 0xfee00310, 4, 1u << 24), 0);
	assert_int_equal(vdev_mmio_write(&g.dev.bus, &cpus[0], 0xfee00300, 4, 0x4500), 0);
	assert_int_equal(vdev_mmio_write(&g.dev.bus, &cpus[0], 0xfee00300, 4, 0x4600), 0);
	assert_int_equal(vcpu_process_pending(&cpus[1]), VCPU_RUNNABLE);
	assert_int_equal(loaded.seg[SEG_CS].base, 0);
	assert_int_equal(vdev_mmio_read(&g.dev.bus, &cpus[1], 0xfee00020, 4, &v), 0);
	assert_int_equal(v, 1u << 24);
	/* destinations outside the guest reach nobody */
	setup(state);
	vdev_mmio_write(&g.dev.bus, &cpus[0], 0xfee00310, 4, 7u << 24);
	vdev_mmio_write(&g.dev.bus, &cpus[0], 0xfee00300, 4, 0x4600);
	assert_int_equal(vcpu_process_pending(&cpus[1]), VCPU_WAIT_FOR_SIPI);
	/* a stop request wins */
	vcpu_request_stop(&cpus[1]);
	assert_int_equal(vcpu_process_pending(&cpus[1]), VCPU_STOPPED);
}

static void test_xsetbv(void **state)
{
	setup(state);
	assert_int_equal(xsetbv_policy(&cpus[0], 0, 0x7), 0);
	assert_int_equal(xsetbv_policy(&cpus[0], 0, 0x6), -EPERM);
	assert_int_equal(xsetbv_policy(&cpus[0], 0, 0x5), -EPERM);
	assert_int_equal(xsetbv_policy(&cpus[0], 0, 0x27), -EPERM);
	assert_int_equal(xsetbv_policy(&cpus[0], 0, 0xe7), 0);
	assert_int_equal(xsetbv_policy(&cpus[0], 0, 0x207), -EPERM); /* PKRU not offered */
	assert_int_equal(xsetbv_policy(&cpus[0], 1, 0x7), -EPERM);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_every_reason), cmocka_unit_test(test_hypercall_and_hlt),
		cmocka_unit_test(test_cpuid),	     cmocka_unit_test(test_msr),
		cmocka_unit_test(test_io),	     cmocka_unit_test(test_string_io),
		cmocka_unit_test(test_testexit),     cmocka_unit_test(test_vuart),
		cmocka_unit_test(test_init_sipi),    cmocka_unit_test(test_xsetbv),
		cmocka_unit_test(test_cr8),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
