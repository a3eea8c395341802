/* SPDX-License-Identifier: Apache-2.0 */
/*
 * smp: the boot CPU starts the others the way small kernels do: INIT, then
 * up to two SIPIs, all with the "all excluding self" shorthand (Intel SDM
 * Vol. 3A, 8.4.4 "MP Initialization Example", 10.6.1 "Interrupt Command
 * Register"). Every CPU reports its APIC ID.
 *
 * When CPUID.1:ECX[21] reports x2APIC, the guest switches its local APIC to
 * x2APIC mode and uses the MSR interface (SDM Vol. 3A, 10.12 "Extended
 * XAPIC (x2APIC)"): Bulkhead emulates that without decoding instructions.
 * Otherwise (e.g. QEMU TCG run directly) it uses the xAPIC MMIO page.
 * cpus=N (default 2) is how many CPUs the guest expects in all. ap=spin keeps
 * the other CPUs in a loop with interrupts off instead of halting, so they are
 * in guest mode when the guest ends (the hypervisor stops them with its kick).
 * nmi=1 (with cpus=2) then sends the other CPU an NMI IPI and waits until its
 * handler ran and returned: the hypervisor must still be able to kick that
 * CPU afterwards (an injected NMI must not block the physical ones).
 */
#include "rt.h"

#define APIC_BASE	 0xfee00000u
#define APIC_ID		 0x020
#define APIC_SVR	 0x0f0
#define APIC_ICR_LO	 0x300
#define APIC_ICR_HI	 0x310
#define SVR_ENABLE	 (1u << 8)
#define SVR_SPURIOUS	 0xffu
#define ICR_INIT	 (5u << 8)  /* delivery mode INIT */
#define ICR_STARTUP	 (6u << 8)  /* delivery mode start-up */
#define ICR_NMI		 (4u << 8)  /* delivery mode NMI */
#define ICR_BUSY	 (1u << 12) /* delivery status: send pending (xAPIC only) */
#define ICR_ASSERT	 (1u << 14)
#define ICR_ALL_BUT_SELF (3u << 18) /* destination shorthand */
#define TRAMP_ADDR	 0x8000u    /* SIPI vector 0x08: a page below 1 MiB */
#define MAX_APS		 7
#define STACK_SIZE	 4096
#define SIPI_WAIT_LOOPS	 20000000u
#define INIT_WAIT_LOOPS	 1000000u

#define CPUID1_ECX_X2APIC (1u << 21)
#define MSR_APIC_BASE	  0x1bu
#define APIC_BASE_EXTD	  (1u << 10) /* x2APIC mode */
#define APIC_BASE_EN	  (1u << 11) /* APIC global enable */
#define MSR_X2APIC_ID	  0x802u     /* SDM Vol. 3A, table 10-6 */
#define MSR_X2APIC_SVR	  0x80fu
#define MSR_X2APIC_ICR	  0x830u /* one 64-bit register: destination in bits 63:32 */

const char guest_name[] = "smp";

extern const uint8_t smp_tramp_start[], smp_tramp_end[];
void smp_ap_main(void);

/* Used by smp_tramp.S: the next AP's slot, and one stack per slot. */
volatile uint32_t smp_ap_slot;
uint8_t smp_ap_stacks[MAX_APS + 1][STACK_SIZE] __attribute__((aligned(16)));

static volatile uint32_t aps_online;
static bool use_x2apic;
static volatile bool aps_spin;

static uint64_t rdmsr(uint32_t msr)
{
	uint32_t lo, hi;

	__asm__ volatile("rdmsr" : "=a"(lo), "=d"(hi) : "c"(msr));
	return ((uint64_t)hi << 32) | lo;
}

static void wrmsr(uint32_t msr, uint64_t v)
{
	__asm__ volatile("wrmsr"
			 :
			 : "c"(msr), "a"((uint32_t)v), "d"((uint32_t)(v >> 32))
			 : "memory");
}

static uint32_t mmio_read(uint32_t reg)
{
	return *(volatile uint32_t *)(APIC_BASE + reg);
}

static void mmio_write(uint32_t reg, uint32_t v)
{
	*(volatile uint32_t *)(APIC_BASE + reg) = v;
}

static bool cpu_has_x2apic(void)
{
	uint32_t a, b, c, d;

	cpuid(1, &a, &b, &c, &d);
	return c & CPUID1_ECX_X2APIC;
}

/* EN and EXTD together: the only legal way into x2APIC mode (SDM 10.12.5). Per CPU. */
static void x2apic_enable(void)
{
	uint64_t base = rdmsr(MSR_APIC_BASE);

	if (!(base & APIC_BASE_EXTD))
		wrmsr(MSR_APIC_BASE, base | APIC_BASE_EN | APIC_BASE_EXTD);
}

static uint32_t apic_id(void)
{
	return use_x2apic ? (uint32_t)rdmsr(MSR_X2APIC_ID) : mmio_read(APIC_ID) >> 24;
}

static void apic_sw_enable(void)
{
	if (use_x2apic)
		wrmsr(MSR_X2APIC_SVR, rdmsr(MSR_X2APIC_SVR) | SVR_ENABLE | SVR_SPURIOUS);
	else
		mmio_write(APIC_SVR, mmio_read(APIC_SVR) | SVR_ENABLE | SVR_SPURIOUS);
}

static void delay(uint32_t loops)
{
	for (volatile uint32_t i = 0; i < loops; i++)
		cpu_relax();
}

/* x2APIC has no delivery-status bit: the ICR write itself sends (SDM 10.12.9). */
static void send_ipi(uint32_t icr)
{
	if (use_x2apic) {
		wrmsr(MSR_X2APIC_ICR, icr | ICR_ALL_BUT_SELF);
		return;
	}
	mmio_write(APIC_ICR_HI, 0);
	mmio_write(APIC_ICR_LO, icr | ICR_ALL_BUT_SELF);
	for (uint32_t i = 0; i < INIT_WAIT_LOOPS && (mmio_read(APIC_ICR_LO) & ICR_BUSY); i++)
		cpu_relax();
}

void smp_ap_main(void)
{
	rt_idt_load();
	if (use_x2apic)
		x2apic_enable();
	rt_printf("smp: cpu online, apic id %u\n", apic_id());
	__atomic_add_fetch(&aps_online, 1, __ATOMIC_RELEASE);
	if (aps_spin)
		__asm__ volatile("cli\n1: jmp 1b");
	rt_halt();
}

static bool wait_for(uint32_t want)
{
	for (uint32_t i = 0; i < SIPI_WAIT_LOOPS; i++) {
		if (__atomic_load_n(&aps_online, __ATOMIC_ACQUIRE) >= want)
			return true;
		cpu_relax();
	}
	return false;
}

/* The other CPU takes the NMI (vector 2) through its IDT and returns from it with IRET. */
static void send_nmi(void)
{
	uint32_t before = rt_trap_count();

	rt_expect_trap(2, 0);
	send_ipi(ICR_NMI);
	for (uint32_t i = 0; i < SIPI_WAIT_LOOPS && rt_trap_count() == before; i++)
		cpu_relax();
	if (rt_trap_count() == before)
		rt_fail("the other CPU did not take its NMI");
	rt_printf("smp: NMI taken by the other CPU\n");
}

static uint32_t expected_cpus(void)
{
	uint64_t n = 2;
	size_t len;
	const char *s = rt_arg("cpus", &len);

	if (s && (!rt_parse_u64(s, len, &n) || n < 2 || n > MAX_APS + 1))
		rt_fail("bad cpus= argument (2..%u)", MAX_APS + 1);
	return (uint32_t)n;
}

void guest_main(uint32_t magic, const struct mb_info *mbi)
{
	uint32_t want = expected_cpus() - 1;
	uint8_t *tramp = (uint8_t *)TRAMP_ADDR;

	aps_spin = rt_arg_is("ap", "spin");
	use_x2apic = cpu_has_x2apic();
	if (use_x2apic)
		x2apic_enable();
	rt_printf("smp: boot cpu online, apic id %u, %s mode, starting %u more\n", apic_id(),
		  use_x2apic ? "x2APIC" : "xAPIC", want);
	for (const uint8_t *p = smp_tramp_start; p < smp_tramp_end; p++)
		*tramp++ = *p;
	apic_sw_enable();
	send_ipi(ICR_INIT | ICR_ASSERT);
	delay(INIT_WAIT_LOOPS);
	send_ipi(ICR_STARTUP | (TRAMP_ADDR >> 12));
	if (!wait_for(want)) {
		send_ipi(ICR_STARTUP |
			 (TRAMP_ADDR >> 12)); /* the second SIPI of the SDM's sequence */
		if (!wait_for(want))
			rt_fail("%u of %u other CPUs came online", aps_online, want);
	}
	rt_printf("smp: %u CPUs online\n", want + 1);
	if (rt_arg_is("nmi", "1"))
		send_nmi();
	rt_pass();
}
