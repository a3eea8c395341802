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
#include <hv/errno.h>

#define APIC_BASE_BSP  BIT64(8)	 /* IA32_APIC_BASE: this is the boot CPU */
#define APIC_BASE_EXTD BIT64(10) /* IA32_APIC_BASE: x2APIC mode enabled */
#define APIC_BASE_EN   BIT64(11) /* IA32_APIC_BASE: APIC globally enabled */
#define APIC_BASE_ADDR 0x000ffffffffff000ULL

#define APIC_REG_ID	0x20
#define APIC_REG_EOI	0xb0
#define APIC_REG_SVR	0xf0
#define APIC_REG_ICR_LO 0x300
#define APIC_REG_ICR_HI 0x310
#define X2APIC_MSR_BASE 0x800

#define SVR_APIC_ENABLE BIT(8) /* software enable */

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
