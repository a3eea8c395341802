/* SPDX-License-Identifier: Apache-2.0 */
/*
 * apic: what Linux needs from its local APIC (Intel SDM Vol. 3A chapter 11
 * "Advanced Programmable Interrupt Controller"):
 *  - the xAPIC MMIO page: ID and version through several MOV forms (loads
 *    and stores with absolute, base+disp, SIB and segment-prefixed
 *    addresses), TPR, LDR/DFR, software enable through SVR (11.4.7);
 *  - the timer (11.5.4): one-shot, periodic, TSC-deadline (when CPUID.1:ECX
 *    bit 24 says so), and an interrupt that arrives while the guest runs
 *    without leaving it;
 *  - EOI and ISR (11.8.4, 11.8.5): a second interrupt of the same class waits
 *    in IRR until the first's EOI, a higher class nests, TPR holds one back;
 *  - a fixed IPI to itself (self shorthand, 11.6.1);
 *  - x2APIC (11.12, when CPUID.1:ECX bit 21): the same one-shot timer and
 *    self IPIs through MSRs, and no direct way back to xAPIC (#GP);
 *  - IA32_APIC_BASE EN 1 -> 0 -> 1 (11.4.3): the APIC comes back reset and
 *    works again;
 *  - with cpus=2: CPU 0 sends fixed IPIs to CPU 1 (physical, logical flat,
 *    all-but-self), which reports them;
 *  - the PIT's channel 0 at 1 kHz (mode 2) through IOAPIC pin 2, where the
 *    MADT's override puts IRQ 0 (82093AA data sheet, redirection table):
 *    interrupts arrive while halted, none once the pin is masked.
 * Interrupt waits are `sti; hlt` loops, bounded in TSC cycles where the
 * interrupt may never come without the hypervisor's help. Under Bulkhead
 * (CPUID 0x40000000) the timer's clock is the TSC (docs/vcpu.md), so the
 * timing is checked too; elsewhere only the order of events is.
 */
#include "rt.h"

const char guest_name[] = "apic";

#define APIC_PAGE 0xfee00000u

/* Register offsets (SDM Table 11-1); x2APIC MSR = 0x800 + offset / 16 (Table 11-6). */
#define REG_ID	      0x020
#define REG_VER	      0x030
#define REG_TPR	      0x080
#define REG_EOI	      0x0b0
#define REG_LDR	      0x0d0
#define REG_DFR	      0x0e0
#define REG_SVR	      0x0f0
#define REG_ISR0      0x100
#define REG_IRR0      0x200
#define REG_ESR	      0x280
#define REG_ICR_LO    0x300
#define REG_ICR_HI    0x310
#define REG_LVT_TIMER 0x320
#define REG_TMICT     0x380
#define REG_TMCCT     0x390
#define REG_TDCR      0x3e0
#define REG_SELF_IPI  0x3f0 /* x2APIC only */

#define SVR_ENABLE	 (1u << 8)
#define LVT_MASKED	 (1u << 16)
#define LVT_PERIODIC	 (1u << 17)
#define LVT_TSC_DL	 (2u << 17)
#define TDCR_DIV1	 0xbu	    /* SDM Figure 11-10: 1011b */
#define TDCR_DIV16	 0x3u	    /* 0011b: what Linux uses */
#define ICR_SELF	 (1u << 18) /* destination shorthand 01b */
#define ICR_INIT	 (5u << 8)
#define ICR_STARTUP	 (6u << 8)
#define ICR_ASSERT	 (1u << 14)
#define ICR_ALL_BUT_SELF (3u << 18)
#define ICR_LOGICAL	 (1u << 11) /* destination mode */
#define ICR_BUSY	 (1u << 12) /* delivery status: send pending (xAPIC) */

#define MSR_APIC_BASE	 0x1bu
#define MSR_TSC_DEADLINE 0x6e0u
#define MSR_X2APIC(off)	 (0x800u + (off) / 16)
#define APIC_BASE_BSP	 (1u << 8)
#define APIC_BASE_EXTD	 (1u << 10)
#define APIC_BASE_EN	 (1u << 11)

#define CPUID1_ECX_X2APIC (1u << 21)
#define CPUID1_ECX_TSC_DL (1u << 24)
#define CPUID1_EDX_APIC	  (1u << 9)

#define VEC_TIMER    0x40
#define VEC_IPI	     0x50 /* a higher priority class than the timer's */
#define VEC_PIT	     0x60
#define VEC_SPURIOUS 0xff
#define VEC_GP	     13
#define WRMSR_LEN    2 /* 0f 30 */

#define PERIODS_TO_COUNT 5
#define BUSY_INTERRUPTS	 3
#define WAIT_PERIODS	 3000 /* bound on any wait (3 s), in timer periods of the TSC */
#define QUIET_PERIODS	 3    /* how long "nothing more arrives" is watched */
#define AP_IPIS		 3    /* physical, logical, all-but-self */

/* The AP start code (smp_tramp.S) uses these three. */
#define MAX_APS	   7
#define STACK_SIZE 4096
#define TRAMP_ADDR 0x8000u
volatile uint32_t smp_ap_slot;
uint8_t smp_ap_stacks[MAX_APS + 1][STACK_SIZE] __attribute__((aligned(16)));
void smp_ap_main(void);
extern const uint8_t smp_tramp_start[], smp_tramp_end[];

void apic_irq(uint32_t vector);

static uint64_t idt[256] __attribute__((aligned(8)));
static volatile uint32_t irq_count[256];
static volatile uint64_t irq_tsc[256];
static volatile uint32_t hold_vector; /* its handler does not EOI */
static volatile bool x2;	      /* this CPU's APIC is in x2APIC mode (CPU 0 only) */
static volatile uint32_t ap_ready, ap_got;
static const char *deferred; /* a failure reported at the end */
static bool bulkhead;
static uint64_t tsc_khz = 1000000; /* a guess where nobody tells us */
static uint64_t period;		   /* one timer period (1 ms): timer counts = TSC cycles */

/* ---- CPU helpers ------------------------------------------------------------ */

static inline uint64_t rdtsc(void)
{
	uint32_t lo, hi;

	__asm__ volatile("rdtsc" : "=a"(lo), "=d"(hi));
	return (uint64_t)hi << 32 | lo;
}

static uint64_t rdmsr(uint32_t msr)
{
	uint32_t lo, hi;

	__asm__ volatile("rdmsr" : "=a"(lo), "=d"(hi) : "c"(msr));
	return (uint64_t)hi << 32 | lo;
}

static void wrmsr(uint32_t msr, uint64_t v)
{
	__asm__ volatile("wrmsr"
			 :
			 : "c"(msr), "a"((uint32_t)v), "d"((uint32_t)(v >> 32))
			 : "memory");
}

/* One instruction with interrupts enabled: the STI shadow covers the NOP (SDM Vol. 2B STI). */
static void irq_window(void)
{
	__asm__ volatile("sti; nop; cli" ::: "memory");
}

static void halt_once(void)
{
	__asm__ volatile("sti; hlt; cli" ::: "memory");
}

/* ---- the xAPIC page and x2APIC MSRs ----------------------------------------- */

static uint32_t mmio_read(uint32_t reg)
{
	uint32_t v;

	__asm__ volatile("movl (%1), %0" : "=r"(v) : "r"(APIC_PAGE + reg) : "memory");
	return v;
}

static void mmio_write(uint32_t reg, uint32_t v)
{
	__asm__ volatile("movl %0, (%1)" : : "r"(v), "r"(APIC_PAGE + reg) : "memory");
}

static uint32_t reg_read(uint32_t reg)
{
	return x2 ? (uint32_t)rdmsr(MSR_X2APIC(reg)) : mmio_read(reg);
}

static void reg_write(uint32_t reg, uint32_t v)
{
	if (x2)
		wrmsr(MSR_X2APIC(reg), v);
	else
		mmio_write(reg, v);
}

static void send_ipi(uint32_t dest, uint32_t icr)
{
	if (x2) {
		wrmsr(MSR_X2APIC(REG_ICR_LO), (uint64_t)dest << 32 | icr);
		return;
	}
	mmio_write(REG_ICR_HI, dest << 24);
	mmio_write(REG_ICR_LO, icr);
}

static void eoi(void)
{
	if (x2)
		wrmsr(MSR_X2APIC(REG_EOI), 0);
	else /* C7 /0: a store of an immediate */
		__asm__ volatile("movl $0, %c1(%0)" : : "r"(APIC_PAGE), "i"(REG_EOI) : "memory");
}

static bool vec_bit(uint32_t base, uint32_t vector)
{
	return reg_read(base + vector / 32 * 16) & (1u << (vector % 32));
}

/* ---- interrupts ----------------------------------------------------------------- */

/*
 * Stubs for vectors 32-255, 16 bytes apart, all counted by apic_irq(); a
 * vector the test did not ask for fails it at the end.
 */
__asm__(".text\n"
	".balign 16\n"
	"apic_irq_stubs:\n"
	".set apic_vec, 32\n"
	".rept 224\n"
	".balign 16\n"
	"pushl $apic_vec\n"
	"jmp apic_irq_common\n"
	".set apic_vec, apic_vec + 1\n"
	".endr\n"
	"apic_irq_common:\n"
	"pushal\n"
	"cld\n"
	"pushl 32(%esp)\n"
	"call apic_irq\n"
	"addl $4, %esp\n"
	"popal\n"
	"addl $4, %esp\n"
	"iret\n");
extern const uint8_t apic_irq_stubs[];

void apic_irq(uint32_t vector)
{
	irq_tsc[vector] = rdtsc();
	irq_count[vector]++;
	if (vector != VEC_SPURIOUS && vector != hold_vector)
		eoi();
}

static void idt_load(void)
{
	rt_lidt(idt, sizeof(idt) / sizeof(idt[0]));
}

/* Keeps the runtime's exception gates (0-31) and adds ours for 32-255. */
static void idt_init(void)
{
	struct __attribute__((packed)) {
		uint16_t limit;
		uint32_t base;
	} cur;
	const uint64_t *old;

	__asm__ volatile("sidt %0" : "=m"(cur));
	old = (const uint64_t *)cur.base;
	for (int i = 0; i < 32; i++)
		idt[i] = old[i];
	for (int i = 32; i < 256; i++)
		idt[i] = rt_gate(apic_irq_stubs + 16 * (i - 32));
	idt_load();
}

/* Waits, halted, for `want` interrupts of vector; false after WAIT_PERIODS. */
static bool wait_halted(uint32_t vector, uint32_t want)
{
	uint64_t t0 = rdtsc();

	while (irq_count[vector] < want) {
		if (rdtsc() - t0 > WAIT_PERIODS * period)
			return false;
		halt_once();
	}
	return true;
}

/* The same without HLT: every round reads ESR through the APIC (an exit under a hypervisor). */
static bool wait_polling(uint32_t vector, uint32_t want, uint64_t cycles)
{
	uint64_t t0 = rdtsc();

	while (irq_count[vector] < want) {
		if (rdtsc() - t0 > cycles)
			return false;
		(void)reg_read(REG_ESR);
		irq_window();
	}
	return true;
}

/* Busy with interrupts on and nothing that leaves the guest: only the timer can stop it. */
static bool wait_busy(uint32_t vector, uint32_t want)
{
	uint64_t t0 = rdtsc();
	bool ok;

	__asm__ volatile("sti" ::: "memory");
	while (irq_count[vector] < want && rdtsc() - t0 <= WAIT_PERIODS * period)
		cpu_relax();
	ok = irq_count[vector] >= want;
	__asm__ volatile("cli" ::: "memory");
	return ok;
}

/* Nothing more of vector arrives within QUIET_PERIODS. */
static void expect_quiet(uint32_t vector, const char *what)
{
	uint32_t n = irq_count[vector];

	if (wait_polling(vector, n + 1, QUIET_PERIODS * period))
		rt_fail("%s: an extra interrupt 0x%x arrived", what, vector);
}

/*
 * After a stop (a zero count, a 0 deadline): what expired before the stop
 * may still come in (a slow emulator can stall past a whole period between
 * two instructions); let that in, then nothing more may arrive.
 */
static void expect_stopped(uint32_t vector, const char *what)
{
	for (int i = 0; i < 2; i++) {
		(void)reg_read(REG_ESR);
		irq_window();
	}
	expect_quiet(vector, what);
}

/* ---- checks ----------------------------------------------------------------------- */

static void find_clock(void)
{
	uint32_t a, b, c, d;

	cpuid(0x40000000, &a, &b, &c, &d);
	bulkhead = b == 0x6b6c7542 && c == 0x64616568 && d == 0; /* "Bulkhead" */
	if (bulkhead && a >= 0x40000001) {
		cpuid(0x40000001, &a, &b, &c, &d);
		if (a)
			tsc_khz = a;
	}
	period = tsc_khz; /* 1 ms of TSC; the timer counts at the TSC rate with divide 1 */
	rt_printf("apic: %s, timer period 1 ms = %u TSC cycles\n",
		  bulkhead ? "under Bulkhead" : "not under Bulkhead", (uint32_t)period);
}

/* ID and version through different MOV encodings must agree (SDM Vol. 2A 2.1). */
static void check_load_forms(uint32_t *id_out, uint32_t *ver_out)
{
	uint32_t id_abs, id_sib, ver_d8, ver_sib, svr_fs;

	__asm__ volatile("movl 0xfee00020, %0" : "=c"(id_abs) : : "memory"); /* 8B 0D disp32 */
	__asm__ volatile("movl 0xfee00000(,%1,8), %0"			     /* SIB, no base */
			 : "=r"(id_sib)
			 : "r"(REG_ID / 8)
			 : "memory");
	__asm__ volatile("movl %c2(%1), %0" /* base + disp8 */
			 : "=r"(ver_d8)
			 : "r"(APIC_PAGE), "i"(REG_VER)
			 : "memory");
	__asm__ volatile("movl (%1,%2,4), %0" /* SIB base + index*4 */
			 : "=r"(ver_sib)
			 : "r"(APIC_PAGE), "r"(REG_VER / 4)
			 : "memory");
	__asm__ volatile("movl %%fs:%c2(%1), %0" /* FS prefix, base + disp32 */
			 : "=r"(svr_fs)
			 : "r"(APIC_PAGE), "i"(REG_SVR)
			 : "memory");
	if (id_abs != id_sib || id_abs != mmio_read(REG_ID))
		rt_fail("ID reads disagree: 0x%x 0x%x", id_abs, id_sib);
	if (ver_d8 != ver_sib || ver_d8 != mmio_read(REG_VER))
		rt_fail("version reads disagree: 0x%x 0x%x", ver_d8, ver_sib);
	if (svr_fs != mmio_read(REG_SVR))
		rt_fail("SVR read with an FS prefix: 0x%x", svr_fs);
	*id_out = id_abs >> 24;
	*ver_out = ver_d8;
}

/* TPR through three store encodings, each read back. */
static void check_store_forms(void)
{
	uint32_t v = 0x30;

	__asm__ volatile("movl $0x20, %c1(%0)" : : "r"(APIC_PAGE), "i"(REG_TPR) : "memory");
	if ((mmio_read(REG_TPR) & 0xff) != 0x20)
		rt_fail("TPR after C7 store: 0x%x", mmio_read(REG_TPR));
	__asm__ volatile("movl %0, 0xfee00080" : : "c"(v) : "memory"); /* 89 0D disp32 */
	if ((mmio_read(REG_TPR) & 0xff) != 0x30)
		rt_fail("TPR after an absolute store: 0x%x", mmio_read(REG_TPR));
	__asm__ volatile("movl %2, (%0,%1,1)" /* 89 with SIB */
			 :
			 : "r"(APIC_PAGE), "r"(REG_TPR), "r"(0u)
			 : "memory");
	if ((mmio_read(REG_TPR) & 0xff) != 0)
		rt_fail("TPR after a SIB store: 0x%x", mmio_read(REG_TPR));
}

static void check_xapic(void)
{
	uint32_t a, b, c, d, id, ver;
	uint64_t base = rdmsr(MSR_APIC_BASE);

	cpuid(1, &a, &b, &c, &d);
	if (!(d & CPUID1_EDX_APIC))
		rt_fail("CPUID.1:EDX[9] reports no APIC");
	if ((base & ~0xfffull) != APIC_PAGE || !(base & APIC_BASE_EN) || !(base & APIC_BASE_BSP) ||
	    (base & APIC_BASE_EXTD))
		rt_fail("IA32_APIC_BASE 0x%llx", base);
	check_load_forms(&id, &ver);
	if (id != b >> 24)
		rt_fail("APIC ID %u but CPUID.1:EBX[31:24] %u", id, b >> 24);
	if ((ver & 0xf0) != 0x10 || ((ver >> 16) & 0xff) < 4)
		rt_fail("version register 0x%x", ver);
	check_store_forms();
	mmio_write(REG_DFR, 0xffffffffu); /* flat model, as Linux sets it */
	mmio_write(REG_LDR, 1u << 24);
	if (mmio_read(REG_LDR) >> 24 != 1 || mmio_read(REG_DFR) >> 28 != 0xf)
		rt_fail("LDR/DFR read back 0x%x/0x%x", mmio_read(REG_LDR), mmio_read(REG_DFR));
	rt_printf("apic: xAPIC id %u version 0x%x max LVT %u, MMIO loads and stores agree\n", id,
		  ver & 0xff, (ver >> 16) & 0xff);
}

static void sw_enable(void)
{
	reg_write(REG_SVR, SVR_ENABLE | VEC_SPURIOUS);
	if ((reg_read(REG_SVR) & 0x1ff) != (SVR_ENABLE | VEC_SPURIOUS))
		rt_fail("SVR reads 0x%x after enabling", reg_read(REG_SVR));
}

/* Timer programming, the way Linux does it: divide, LVT, then the count starts it. */
static uint64_t timer_start(uint32_t lvt, uint32_t tdcr, uint32_t count)
{
	uint64_t t0;

	reg_write(REG_TDCR, tdcr);
	reg_write(REG_LVT_TIMER, lvt);
	t0 = rdtsc();
	reg_write(REG_TMICT, count);
	return t0;
}

/* Under Bulkhead the timer's clock is the TSC: the interrupt comes no earlier than due. */
static void check_not_early(uint64_t due, uint64_t at, const char *what)
{
	if (bulkhead && at < due)
		rt_fail("%s: interrupt %llu TSC cycles early", what, due - at);
}

static void check_oneshot(const char *mode)
{
	uint32_t n = irq_count[VEC_TIMER], cur;
	uint64_t t0 = timer_start(VEC_TIMER, TDCR_DIV1, (uint32_t)period);

	/* 0 only once the period has passed (an emulator may stall that long between two reads) */
	cur = reg_read(REG_TMCCT);
	if (cur > period || (cur == 0 && rdtsc() - t0 < period))
		rt_fail("%s one-shot: current count %u of %u", mode, cur, (uint32_t)period);
	if (!wait_halted(VEC_TIMER, n + 1))
		rt_fail("%s one-shot: no timer interrupt", mode);
	check_not_early(t0 + period, irq_tsc[VEC_TIMER], "one-shot");
	expect_quiet(VEC_TIMER, "one-shot");
	if (reg_read(REG_TMCCT) != 0)
		rt_fail("%s one-shot: current count %u after expiry", mode, reg_read(REG_TMCCT));
	rt_printf("apic: %s one-shot timer: 1 interrupt, current count 0 after it\n", mode);
}

static void check_periodic(void)
{
	uint32_t n = irq_count[VEC_TIMER];
	uint64_t t0 = timer_start(VEC_TIMER | LVT_PERIODIC, TDCR_DIV16, (uint32_t)(period / 16));

	if (!wait_halted(VEC_TIMER, n + PERIODS_TO_COUNT))
		rt_fail("periodic: %u of %u interrupts", irq_count[VEC_TIMER] - n,
			PERIODS_TO_COUNT);
	check_not_early(t0 + PERIODS_TO_COUNT * (period / 16 * 16), irq_tsc[VEC_TIMER], "periodic");
	n = irq_count[VEC_TIMER];
	if (!wait_busy(VEC_TIMER, n + BUSY_INTERRUPTS)) {
		/* Reported, and the verdict deferred: the other checks still tell something. */
		rt_printf("apic: periodic timer: %u of %u interrupts while running without exits\n",
			  irq_count[VEC_TIMER] - n, BUSY_INTERRUPTS);
		deferred = "no timer interrupt while running without exits";
	}
	reg_write(REG_TMICT, 0);
	expect_stopped(VEC_TIMER, "periodic stopped by a zero count");
	rt_printf("apic: periodic timer (divide 16): %u interrupts halted, %u running, stopped by "
		  "a zero count\n",
		  PERIODS_TO_COUNT, BUSY_INTERRUPTS);
}

static void check_tsc_deadline(void)
{
	uint32_t a, b, c, d, n = irq_count[VEC_TIMER];
	uint64_t due;

	cpuid(1, &a, &b, &c, &d);
	if (!(c & CPUID1_ECX_TSC_DL)) {
		rt_printf("apic: no TSC-deadline mode (CPUID.1:ECX[24] clear), skipped\n");
		return;
	}
	reg_write(REG_LVT_TIMER, VEC_TIMER | LVT_TSC_DL);
	due = rdtsc() + period;
	wrmsr(MSR_TSC_DEADLINE, due);
	if (!wait_halted(VEC_TIMER, n + 1))
		rt_fail("TSC-deadline: no timer interrupt");
	if (irq_tsc[VEC_TIMER] < due) /* the TSC is the clock here, everywhere */
		rt_fail("TSC-deadline: interrupt %llu cycles early", due - irq_tsc[VEC_TIMER]);
	if (rdmsr(MSR_TSC_DEADLINE) != 0)
		rt_fail("TSC-deadline: the MSR reads 0x%llx after firing", rdmsr(MSR_TSC_DEADLINE));
	wrmsr(MSR_TSC_DEADLINE, rdtsc() - 1); /* already due: fires at once */
	if (!wait_polling(VEC_TIMER, n + 2, WAIT_PERIODS * period))
		rt_fail("TSC-deadline: a deadline in the past did not fire");
	wrmsr(MSR_TSC_DEADLINE, rdtsc() + period);
	wrmsr(MSR_TSC_DEADLINE, 0);
	expect_stopped(VEC_TIMER, "TSC-deadline disarmed by 0");
	reg_write(REG_LVT_TIMER, LVT_MASKED);
	rt_printf("apic: TSC-deadline timer: fired at its deadline, MSR 0 after, a past deadline "
		  "fires at once, a 0 write disarms\n");
}

/*
 * While the timer's vector is in service (no EOI yet), the next timer
 * interrupt waits in IRR (SDM 11.8.3: same priority class); a higher
 * class still nests; the EOI lets the waiting one in.
 */
static void check_eoi(void)
{
	uint32_t n = irq_count[VEC_TIMER], m = irq_count[VEC_IPI];

	hold_vector = VEC_TIMER;
	timer_start(VEC_TIMER, TDCR_DIV1, (uint32_t)period);
	if (!wait_halted(VEC_TIMER, n + 1))
		rt_fail("EOI: no timer interrupt");
	if (!vec_bit(REG_ISR0, VEC_TIMER))
		rt_fail("EOI: ISR bit 0x%x clear while in service", VEC_TIMER);
	timer_start(VEC_TIMER, TDCR_DIV1, (uint32_t)period);
	for (uint64_t t0 = rdtsc(); !vec_bit(REG_IRR0, VEC_TIMER);)
		if (rdtsc() - t0 > WAIT_PERIODS * period)
			rt_fail("EOI: the second timer interrupt never reached IRR");
	expect_quiet(VEC_TIMER, "EOI: before EOI");
	send_ipi(0, VEC_IPI | ICR_SELF);
	if (!wait_polling(VEC_IPI, m + 1, WAIT_PERIODS * period))
		rt_fail("EOI: self IPI 0x%x (higher class) did not nest", VEC_IPI);
	if (!vec_bit(REG_ISR0, VEC_TIMER) || vec_bit(REG_ISR0, VEC_IPI))
		rt_fail("EOI: ISR wrong after the nested interrupt");
	hold_vector = 0;
	eoi();
	if (!wait_polling(VEC_TIMER, n + 2, WAIT_PERIODS * period))
		rt_fail("EOI: the waiting timer interrupt was not delivered after EOI");
	if (vec_bit(REG_ISR0, VEC_TIMER) || vec_bit(REG_IRR0, VEC_TIMER))
		rt_fail("EOI: ISR/IRR bit 0x%x still set", VEC_TIMER);
	rt_printf("apic: EOI: a second timer interrupt waits in IRR until EOI, self IPI 0x%x "
		  "nests\n",
		  VEC_IPI);
}

/* TPR class 6 holds vector 0x50 (class 5) in IRR until it is lowered (SDM 11.8.3.1). */
static void check_tpr(void)
{
	uint32_t m = irq_count[VEC_IPI];

	reg_write(REG_TPR, 0x60);
	send_ipi(0, VEC_IPI | ICR_SELF);
	expect_quiet(VEC_IPI, "TPR 0x60");
	if (!vec_bit(REG_IRR0, VEC_IPI))
		rt_fail("TPR: IPI 0x%x not pending in IRR", VEC_IPI);
	reg_write(REG_TPR, 0);
	if (!wait_polling(VEC_IPI, m + 1, WAIT_PERIODS * period))
		rt_fail("TPR: IPI 0x%x not delivered after lowering TPR", VEC_IPI);
	rt_printf("apic: TPR 0x60 holds a self IPI 0x%x back until lowered\n", VEC_IPI);
}

static bool cpu_has(uint32_t ecx_bit)
{
	uint32_t a, b, c, d;

	cpuid(1, &a, &b, &c, &d);
	return c & ecx_bit;
}

static void check_x2apic(uint32_t xapic_ver)
{
	uint32_t a, b, c, d, m = irq_count[VEC_IPI];
	uint64_t base = rdmsr(MSR_APIC_BASE);

	if (!cpu_has(CPUID1_ECX_X2APIC)) {
		rt_printf("apic: no x2APIC (CPUID.1:ECX[21] clear), skipped\n");
		return;
	}
	wrmsr(MSR_APIC_BASE, base | APIC_BASE_EN | APIC_BASE_EXTD);
	x2 = true;
	cpuid(1, &a, &b, &c, &d);
	if (reg_read(REG_ID) != b >> 24 || reg_read(REG_VER) != xapic_ver)
		rt_fail("x2APIC: id %u version 0x%x", reg_read(REG_ID), reg_read(REG_VER));
	sw_enable();
	check_oneshot("x2APIC");
	send_ipi(0, VEC_IPI | ICR_SELF);
	if (!wait_polling(VEC_IPI, m + 1, WAIT_PERIODS * period))
		rt_fail("x2APIC: self IPI through the ICR not received");
	reg_write(REG_SELF_IPI, VEC_IPI);
	if (!wait_polling(VEC_IPI, m + 2, WAIT_PERIODS * period))
		rt_fail("x2APIC: self IPI through the SELF IPI register not received");
	rt_expect_trap(VEC_GP, WRMSR_LEN);
	wrmsr(MSR_APIC_BASE, (base & ~(uint64_t)APIC_BASE_EXTD) | APIC_BASE_EN);
	if (rt_trap_count() != 1 || !(rdmsr(MSR_APIC_BASE) & APIC_BASE_EXTD))
		rt_fail("x2APIC -> xAPIC directly did not raise #GP");
	rt_printf("apic: x2APIC id %u: one-shot timer and self IPIs through MSRs, no direct "
		  "way back to xAPIC\n",
		  b >> 24);
}

/* EN 1 -> 0 -> 1 (SDM 11.4.3): back in xAPIC mode, software-disabled, and working again. */
static void check_reenable(void)
{
	uint64_t base = rdmsr(MSR_APIC_BASE) & ~(uint64_t)(APIC_BASE_EN | APIC_BASE_EXTD);

	wrmsr(MSR_APIC_BASE, base);
	x2 = false;
	if (rdmsr(MSR_APIC_BASE) & APIC_BASE_EN)
		rt_fail("IA32_APIC_BASE.EN still set after clearing it");
	wrmsr(MSR_APIC_BASE, base | APIC_BASE_EN);
	if (!(rdmsr(MSR_APIC_BASE) & APIC_BASE_EN)) {
		if (bulkhead)
			rt_fail("IA32_APIC_BASE.EN stays 0 after setting it again");
		rt_printf("apic: this APIC stays disabled after EN 1->0->1 (it needs a reset), "
			  "skipped\n");
		return;
	}
	if ((mmio_read(REG_SVR) & SVR_ENABLE) || !(mmio_read(REG_LVT_TIMER) & LVT_MASKED))
		rt_fail("SVR 0x%x LVT timer 0x%x: not reset by EN 1->0->1", mmio_read(REG_SVR),
			mmio_read(REG_LVT_TIMER));
	sw_enable();
	check_oneshot("re-enabled xAPIC");
	rt_printf("apic: IA32_APIC_BASE EN 1->0->1: back software-disabled and masked, works "
		  "again\n");
}

/* ---- cpus=2: CPU 0 sends fixed IPIs to CPU 1 --------------------------------------------- */

/*
 * CPU 1 sets up its APIC the way Linux's flat logical mode does (LDR bit
 * 1), takes the IPIs halted and publishes how many it got; it prints before
 * the last count, so that its line is out before CPU 0 ends the guest. CPU 0
 * takes no VEC_IPI meanwhile (checked there).
 */
void smp_ap_main(void)
{
	uint32_t before = irq_count[VEC_IPI], got = 0;

	idt_load();
	mmio_write(REG_DFR, 0xffffffffu);
	mmio_write(REG_LDR, 2u << 24);
	mmio_write(REG_SVR, SVR_ENABLE | VEC_SPURIOUS);
	__atomic_store_n(&ap_ready, 1, __ATOMIC_RELEASE);
	while (got < AP_IPIS) {
		halt_once();
		got = irq_count[VEC_IPI] - before;
		if (got == AP_IPIS)
			rt_printf("apic: cpu 1 (APIC ID %u) received %u fixed IPIs 0x%x\n",
				  mmio_read(REG_ID) >> 24, got, VEC_IPI);
		__atomic_store_n(&ap_got, got, __ATOMIC_RELEASE);
	}
	rt_halt();
}

static bool wait_at_least(volatile uint32_t *flag, uint32_t want)
{
	for (uint64_t t0 = rdtsc(); __atomic_load_n(flag, __ATOMIC_ACQUIRE) < want;) {
		if (rdtsc() - t0 > WAIT_PERIODS * period)
			return false;
		(void)mmio_read(REG_ESR); /* leave the guest now and then */
	}
	return true;
}

/* One IPI to CPU 1; Linux waits for ICR delivery status idle after each (xAPIC). */
static void ipi_to_cpu1(uint32_t dest, uint32_t icr, uint32_t nth, const char *how)
{
	send_ipi(dest, icr);
	for (uint64_t t0 = rdtsc(); mmio_read(REG_ICR_LO) & ICR_BUSY;)
		if (rdtsc() - t0 > WAIT_PERIODS * period)
			rt_fail("ICR delivery status stays busy after the %s IPI", how);
	if (!wait_at_least(&ap_got, nth))
		rt_fail("cpu 1 did not receive the %s IPI", how);
}

/* INIT, SIPI (+ a second if needed) to the others (SDM 8.4.4.1), then three IPIs to CPU 1. */
static void check_ipis_to_cpu1(void)
{
	uint8_t *tramp = (uint8_t *)TRAMP_ADDR;
	uint32_t mine = irq_count[VEC_IPI];

	for (const uint8_t *p = smp_tramp_start; p < smp_tramp_end; p++)
		*tramp++ = *p;
	send_ipi(0, ICR_INIT | ICR_ASSERT | ICR_ALL_BUT_SELF);
	for (uint64_t t0 = rdtsc(); rdtsc() - t0 < 10 * period;)
		cpu_relax();
	send_ipi(0, ICR_STARTUP | ICR_ALL_BUT_SELF | (TRAMP_ADDR >> 12));
	if (!wait_at_least(&ap_ready, 1)) {
		send_ipi(0, ICR_STARTUP | ICR_ALL_BUT_SELF | (TRAMP_ADDR >> 12));
		if (!wait_at_least(&ap_ready, 1))
			rt_fail("cpu 1 did not come up");
	}
	ipi_to_cpu1(1, VEC_IPI, 1, "physical");			       /* APIC ID 1 */
	ipi_to_cpu1(2, VEC_IPI | ICR_LOGICAL, 2, "logical");	       /* flat: LDR bit 1 */
	ipi_to_cpu1(0, VEC_IPI | ICR_ALL_BUT_SELF, 3, "all-but-self"); /* shorthand */
	if (irq_count[VEC_IPI] != mine + AP_IPIS)
		rt_fail("cpu 0 took %u IPIs meant for cpu 1", irq_count[VEC_IPI] - mine - AP_IPIS);
	rt_printf("apic: cpu 0 sent fixed IPIs 0x%x to cpu 1: physical, logical flat, "
		  "all-but-self\n",
		  VEC_IPI);
}

#define IOAPIC_BASE   0xfec00000u
#define IOAPIC_RTE_LO 0x10 /* redirection entry n: registers 0x10 + 2n (low), + 1 (high) */
#define RTE_MASKED    (1u << 16)
#define PIT_PIN	      2	   /* IRQ 0 after the MADT's interrupt source override */
#define PIT_1KHZ      1193 /* 1.193182 MHz / 1193 */

static void ioapic_write(uint32_t reg, uint32_t v)
{
	*(volatile uint32_t *)IOAPIC_BASE = reg;
	*(volatile uint32_t *)(IOAPIC_BASE + 0x10) = v;
}

static void check_pit_irq0(void)
{
	uint64_t t0;

	ioapic_write(IOAPIC_RTE_LO + 2 * PIT_PIN + 1, 0);   /* destination APIC ID 0 */
	ioapic_write(IOAPIC_RTE_LO + 2 * PIT_PIN, VEC_PIT); /* fixed, physical, edge, high */
	t0 = rdtsc();
	outb(0x43, 0x34); /* channel 0, LSB then MSB, mode 2 */
	outb(0x40, PIT_1KHZ & 0xff);
	outb(0x40, PIT_1KHZ >> 8);
	if (!wait_halted(VEC_PIT, 5))
		rt_fail("PIT IRQ 0: %u of 5 interrupts through IOAPIC pin 2", irq_count[VEC_PIT]);
	if (bulkhead && irq_tsc[VEC_PIT] - t0 < 4 * period)
		rt_fail("PIT IRQ 0: 5 interrupts in less than 4 ms");
	ioapic_write(IOAPIC_RTE_LO + 2 * PIT_PIN, RTE_MASKED | VEC_PIT);
	outb(0x43, 0x30); /* mode 0 and no count: channel 0 stops */
	expect_stopped(VEC_PIT, "PIT IRQ 0 masked");
	rt_printf("apic: PIT IRQ 0 at 1 kHz through IOAPIC pin 2: 5 interrupts halted, none "
		  "masked\n");
}

static uint32_t want_cpus(void)
{
	uint64_t n = 1;
	size_t len;
	const char *s = rt_arg("cpus", &len);

	if (s && (!rt_parse_u64(s, len, &n) || n < 1 || n > 2))
		rt_fail("bad cpus= argument (1 or 2)");
	return (uint32_t)n;
}

static void check_unexpected(void)
{
	for (uint32_t v = 32; v < 256; v++)
		if (irq_count[v] && v != VEC_TIMER && v != VEC_IPI && v != VEC_PIT &&
		    v != VEC_SPURIOUS)
			rt_fail("unexpected interrupt vector 0x%x (%u times)", v, irq_count[v]);
	if (irq_count[VEC_SPURIOUS])
		rt_printf("apic: %u spurious interrupts\n", irq_count[VEC_SPURIOUS]);
}

/*
 * A BIOS leaves the 8259 pair in virtual-wire mode with its timer unmasked,
 * raising vector 8 through LINT0 once interrupts are on: mask every line,
 * as Linux does when it uses the APIC.
 */
static void mask_pic(void)
{
	outb(0x21, 0xff);
	outb(0xa1, 0xff);
}

void guest_main(uint32_t magic, const struct mb_info *mbi)
{
	uint32_t cpus = want_cpus(), ver;

	find_clock();
	mask_pic();
	idt_init();
	check_xapic();
	ver = mmio_read(REG_VER);
	sw_enable();
	rt_printf("apic: software-enabled through SVR, spurious vector 0x%x\n", VEC_SPURIOUS);
	check_oneshot("xAPIC");
	check_periodic();
	check_tsc_deadline();
	check_eoi();
	check_tpr();
	check_pit_irq0();
	if (cpus == 2)
		check_ipis_to_cpu1();
	check_x2apic(ver);
	check_reenable();
	check_unexpected();
	if (deferred)
		rt_fail("%s", deferred);
	rt_pass();
}
