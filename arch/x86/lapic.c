/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Local APIC access. Register offsets and ICR format: Intel SDM Vol. 3A
 * "Local APIC Register Address Map" and "Interrupt Command Register (ICR)";
 * x2APIC MSR mapping (MSR 0x800 + offset / 16, one 64-bit ICR): "x2APIC
 * Register Address Space".
 */
#include <arch/cpu.h>
#include <arch/idt.h>
#include <arch/lapic.h>
#include <arch/tick.h>
#include <arch/tsc.h>
#include <hv/errno.h>

#define APIC_BASE_BSP  BIT64(8)	 /* IA32_APIC_BASE: this is the boot CPU */
#define APIC_BASE_EXTD BIT64(10) /* IA32_APIC_BASE: x2APIC mode enabled */
#define APIC_BASE_EN   BIT64(11) /* IA32_APIC_BASE: APIC globally enabled */
#define APIC_BASE_ADDR 0x000ffffffffff000ULL

#define APIC_REG_ID	     0x20
#define APIC_REG_VERSION     0x30
#define APIC_REG_TPR	     0x80
#define APIC_REG_EOI	     0xb0
#define APIC_REG_SVR	     0xf0
#define APIC_REG_ISR_BASE    0x100 /* ISR bits 31:0 ... 255:224, 0x10 apart */
#define APIC_REG_ISR_STRIDE  0x10
#define APIC_REG_LVT_CMCI    0x2f0
#define APIC_REG_ICR_LO	     0x300
#define APIC_REG_ICR_HI	     0x310
#define APIC_REG_LVT_TIMER   0x320
#define APIC_REG_LVT_THERMAL 0x330
#define APIC_REG_LVT_PERF    0x340
#define APIC_REG_LVT_LINT0   0x350
#define APIC_REG_LVT_ERROR   0x370
#define APIC_REG_TIMER_INIT  0x380
#define APIC_REG_TIMER_CUR   0x390
#define APIC_REG_TIMER_DIV   0x3e0
#define X2APIC_MSR_BASE	     0x800

#define SVR_APIC_ENABLE BIT(8) /* software enable */

#define VERSION_MAX_LVT(v) (((v) >> 16) & 0xff) /* version register: entries - 1 */
#define LVT_MASKED	   BIT(16)		/* LVT: interrupt masked */
#define LVT_TIMER_ONESHOT  (0U << 17)		/* LVT timer mode 00b */
#define TIMER_DIV_1	   0xb			/* divide configuration 1011b: by 1 */
#define TIMER_CAL_US	   10000		/* calibration: 10 ms of TSC */
#define TIMER_CAL_START	   0xffffffffU

/* The 8259 pair's interrupt mask registers (OCW1): all ones masks every IRQ. */
#define PIC1_DATA 0x21
#define PIC2_DATA 0xa1

#define ICR_DM_NMI	      (4U << 8) /* delivery mode 100b */
#define ICR_DM_INIT	      (5U << 8) /* delivery mode 101b */
#define ICR_DM_STARTUP	      (6U << 8) /* delivery mode 110b */
#define ICR_DELIVERY_STATUS   BIT(12)	/* xAPIC only: send pending */
#define ICR_LEVEL_ASSERT      BIT(14)
#define ICR_ALL_BUT_SELF      (3U << 18) /* destination shorthand 11b */
#define ICR_XAPIC_DEST_SHIFT  24	 /* in ICR high */
#define ICR_X2APIC_DEST_SHIFT 32

#define ICR_IDLE_SPINS 1000000

static volatile u32 *mmio;
static bool x2apic;
static bool ready;

static u32 apic_read(u32 reg)
{
	if (x2apic)
		return (u32)rdmsr(X2APIC_MSR_BASE + (reg >> 4));
	return mmio[reg / 4];
}

static void apic_write(u32 reg, u32 v)
{
	if (x2apic)
		wrmsr(X2APIC_MSR_BASE + (reg >> 4), v);
	else
		mmio[reg / 4] = v;
}

bool lapic_ready(void)
{
	return ready;
}

bool lapic_x2apic(void)
{
	return x2apic;
}

u32 lapic_id(void)
{
	u32 id = apic_read(APIC_REG_ID);

	return x2apic ? id : id >> 24;
}

void lapic_eoi(void)
{
	apic_write(APIC_REG_EOI, 0);
}

static void lapic_enable(void)
{
	apic_write(APIC_REG_SVR, apic_read(APIC_REG_SVR) | SVR_APIC_ENABLE | VEC_SPURIOUS);
}

/* The firmware's choice stands: x2APIC if it enabled it, the MMIO page otherwise. */
void lapic_init(void)
{
	u64 base = rdmsr(MSR_IA32_APIC_BASE);

	if (!(base & APIC_BASE_EN)) {
		base |= APIC_BASE_EN;
		wrmsr(MSR_IA32_APIC_BASE, base);
	}
	x2apic = base & APIC_BASE_EXTD;
	mmio = (volatile u32 *)(uintptr_t)(base & APIC_BASE_ADDR);
	lapic_enable();
	ready = true;
}

void lapic_init_ap(void)
{
	u64 base = rdmsr(MSR_IA32_APIC_BASE);

	/* APs come out of INIT in xAPIC mode (SDM "x2APIC State Transitions"). */
	if (x2apic && !(base & APIC_BASE_EXTD))
		wrmsr(MSR_IA32_APIC_BASE, base | APIC_BASE_EN | APIC_BASE_EXTD);
	lapic_enable();
}

static int send_icr(u32 dest, u32 lo)
{
	if (x2apic) {
		wrmsr(X2APIC_MSR_BASE + (APIC_REG_ICR_LO >> 4),
		      ((u64)dest << ICR_X2APIC_DEST_SHIFT) | lo);
		return 0;
	}
	apic_write(APIC_REG_ICR_HI, dest << ICR_XAPIC_DEST_SHIFT);
	apic_write(APIC_REG_ICR_LO, lo);
	for (int i = 0; i < ICR_IDLE_SPINS; i++) {
		if (!(apic_read(APIC_REG_ICR_LO) & ICR_DELIVERY_STATUS))
			return 0;
		cpu_relax();
	}
	return -ETIMEDOUT;
}

int lapic_send_init(u32 apic_id)
{
	return send_icr(apic_id, ICR_DM_INIT | ICR_LEVEL_ASSERT);
}

int lapic_send_sipi(u32 apic_id, u8 start_page)
{
	return send_icr(apic_id, ICR_DM_STARTUP | ICR_LEVEL_ASSERT | start_page);
}

int lapic_send_nmi(u32 apic_id)
{
	return send_icr(apic_id, ICR_DM_NMI | ICR_LEVEL_ASSERT);
}

int lapic_send_nmi_all_but_self(void)
{
	return send_icr(0, ICR_DM_NMI | ICR_LEVEL_ASSERT | ICR_ALL_BUT_SELF);
}

/* ---- the hypervisor tick timer ------------------------------------------------ */

static u64 timer_hz;
static volatile u32 timer_calibrated; /* 0 no, 1 being measured, 2 done */

/* Ticks counted down in TIMER_CAL_US of TSC (SDM Vol. 3A 11.5.4 "APIC Timer"). */
static void timer_calibrate(void)
{
	u64 t0, t1;
	u32 left;

	apic_write(APIC_REG_TIMER_INIT, TIMER_CAL_START);
	t0 = rdtsc();
	tsc_delay_us(TIMER_CAL_US);
	left = apic_read(APIC_REG_TIMER_CUR);
	t1 = rdtsc();
	apic_write(APIC_REG_TIMER_INIT, 0);
	timer_hz = tick_lapic_hz(TIMER_CAL_START - left, t1 - t0, tsc_hz());
}

/* Once for all CPUs (they share the bus clock): the first caller measures, the others wait. */
static void timer_calibrate_once(void)
{
	u32 expected = 0;

	if (__atomic_compare_exchange_n(&timer_calibrated, &expected, 1, false, __ATOMIC_ACQ_REL,
					__ATOMIC_ACQUIRE)) {
		timer_calibrate();
		__atomic_store_n(&timer_calibrated, 2, __ATOMIC_RELEASE);
		return;
	}
	while (__atomic_load_n(&timer_calibrated, __ATOMIC_ACQUIRE) != 2)
		cpu_relax();
}

/*
 * Only the tick may interrupt the hypervisor: a fixed interrupt needs a
 * priority class above the TPR's (SDM Vol. 3A 11.8.3.1), but ExtINT from the
 * 8259 bypasses it, so LINT0 and the PIC are masked, and so are the LVT
 * entries that exist (the version register's max LVT; an absent x2APIC one
 * would #GP). LINT1 stays: NMIs are the hypervisor's kicks anyway.
 */
static void quiet_host_interrupts(void)
{
	u32 max_lvt = VERSION_MAX_LVT(apic_read(APIC_REG_VERSION));

	outb(PIC1_DATA, 0xff);
	outb(PIC2_DATA, 0xff);
	apic_write(APIC_REG_LVT_LINT0, LVT_MASKED);
	apic_write(APIC_REG_LVT_ERROR, LVT_MASKED);
	if (max_lvt >= 4)
		apic_write(APIC_REG_LVT_PERF, LVT_MASKED);
	if (max_lvt >= 5)
		apic_write(APIC_REG_LVT_THERMAL, LVT_MASKED);
	if (max_lvt >= 6)
		apic_write(APIC_REG_LVT_CMCI, LVT_MASKED);
	apic_write(APIC_REG_TPR, LAPIC_TICK_TPR);
}

void lapic_timer_setup(void)
{
	quiet_host_interrupts();
	apic_write(APIC_REG_TIMER_DIV, TIMER_DIV_1);
	apic_write(APIC_REG_LVT_TIMER, LVT_MASKED | LAPIC_TICK_VECTOR);
	timer_calibrate_once();
	apic_write(APIC_REG_LVT_TIMER, LVT_TIMER_ONESHOT | LAPIC_TICK_VECTOR);
}

u64 lapic_timer_hz(void)
{
	return timer_hz;
}

/* Writing the initial count starts a one-shot count; 0 stops it (SDM Vol. 3A 11.5.4). */
void lapic_timer_arm(u64 deadline_tsc)
{
	apic_write(APIC_REG_TIMER_INIT,
		   tick_lapic_count(deadline_tsc, rdtsc(), timer_hz, tsc_hz()));
}

/*
 * A true spurious interrupt sets no ISR bit and wants no EOI (SDM Vol. 3A
 * 11.9); a real interrupt sent at the spurious vector does, or it would
 * block the tick, which shares its priority class.
 */
void lapic_spurious_interrupt(void)
{
	u32 isr7 = apic_read(APIC_REG_ISR_BASE + 7 * APIC_REG_ISR_STRIDE);

	if (isr7 & BIT(VEC_SPURIOUS % 32))
		lapic_eoi();
}
