/* SPDX-License-Identifier: Apache-2.0 */
/*
 * smp: the boot CPU starts the others the way small kernels do: INIT, then
 * up to two SIPIs, all with the "all excluding self" shorthand through the
 * xAPIC MMIO page (Intel SDM Vol. 3A, 8.4.4 "MP Initialization Example",
 * 10.6.1 "Interrupt Command Register"). Every CPU reports its APIC ID.
 * cpus=N (default 2) is how many CPUs the guest expects in all.
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
#define ICR_BUSY	 (1u << 12) /* delivery status: send pending */
#define ICR_ASSERT	 (1u << 14)
#define ICR_ALL_BUT_SELF (3u << 18) /* destination shorthand */
#define TRAMP_ADDR	 0x8000u    /* SIPI vector 0x08: a page below 1 MiB */
#define MAX_APS		 7
#define STACK_SIZE	 4096
#define SIPI_WAIT_LOOPS	 20000000u
#define INIT_WAIT_LOOPS	 1000000u

const char guest_name[] = "smp";

extern const uint8_t smp_tramp_start[], smp_tramp_end[];
void smp_ap_main(void);

/* Used by smp_tramp.S: the next AP's slot, and one stack per slot. */
volatile uint32_t smp_ap_slot;
uint8_t smp_ap_stacks[MAX_APS + 1][STACK_SIZE] __attribute__((aligned(16)));

static volatile uint32_t aps_online;

static uint32_t apic_read(uint32_t reg)
{
	return *(volatile uint32_t *)(APIC_BASE + reg);
}

static void apic_write(uint32_t reg, uint32_t v)
{
	*(volatile uint32_t *)(APIC_BASE + reg) = v;
}

static void delay(uint32_t loops)
{
	for (volatile uint32_t i = 0; i < loops; i++)
		cpu_relax();
}

static void send_ipi(uint32_t icr)
{
	apic_write(APIC_ICR_HI, 0);
	apic_write(APIC_ICR_LO, icr | ICR_ALL_BUT_SELF);
	for (uint32_t i = 0; i < INIT_WAIT_LOOPS && (apic_read(APIC_ICR_LO) & ICR_BUSY); i++)
		cpu_relax();
}

void smp_ap_main(void)
{
	rt_idt_load();
	rt_printf("smp: cpu online, apic id %u\n", apic_read(APIC_ID) >> 24);
	__atomic_add_fetch(&aps_online, 1, __ATOMIC_RELEASE);
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

	rt_printf("smp: boot cpu online, apic id %u, starting %u more\n", apic_read(APIC_ID) >> 24,
		  want);
	for (const uint8_t *p = smp_tramp_start; p < smp_tramp_end; p++)
		*tramp++ = *p;
	apic_write(APIC_SVR, apic_read(APIC_SVR) | SVR_ENABLE | SVR_SPURIOUS);
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
	rt_pass();
}
