/* SPDX-License-Identifier: Apache-2.0 */
/*
 * MADT (ACPI 6.5, 5.2.12): the guest's local APICs, its IOAPIC and the ISA
 * interrupt overrides. One Processor Local APIC entry per guest CPU with
 * APIC ID i and ACPI processor UID i, in vCPU order, so entry 0 is the boot
 * CPU; Linux brings up exactly these CPUs.
 */
#include "acpi_priv.h"

#define MADT_REVISION	   4
#define MADT_FIXED_SIZE	   44	  /* header + local APIC address + flags */
#define MADT_PCAT_COMPAT   BIT(0) /* flags: the dual 8259s are present (masked by the guest) */
#define MADT_LAPIC	   0	  /* 5.2.12.2 Processor Local APIC */
#define MADT_LAPIC_LEN	   8
#define MADT_LAPIC_ENABLED BIT(0) /* Local APIC Flags: Enabled */
#define MADT_IOAPIC	   1	  /* 5.2.12.3 I/O APIC */
#define MADT_IOAPIC_LEN	   12
#define MADT_ISO	   2 /* 5.2.12.5 Interrupt Source Override */
#define MADT_ISO_LEN	   10
#define MADT_LAPIC_NMI	   4 /* 5.2.12.7 Local APIC NMI */
#define MADT_LAPIC_NMI_LEN 6
#define MADT_ALL_CPUS	   0xff /* Local APIC NMI: applies to every processor */

u32 acpi_madt_size(const struct guest_acpi_params *p)
{
	return MADT_FIXED_SIZE + p->cpu_count * MADT_LAPIC_LEN + MADT_IOAPIC_LEN +
	       p->iso_count * MADT_ISO_LEN + MADT_LAPIC_NMI_LEN;
}

static u8 *lapic(u8 *e, u32 id)
{
	e[0] = MADT_LAPIC;
	e[1] = MADT_LAPIC_LEN;
	e[2] = (u8)id; /* ACPI processor UID */
	e[3] = (u8)id; /* APIC ID */
	put32(e + 4, MADT_LAPIC_ENABLED);
	return e + MADT_LAPIC_LEN;
}

static u8 *ioapic(u8 *e, const struct guest_acpi_params *p)
{
	e[0] = MADT_IOAPIC;
	e[1] = MADT_IOAPIC_LEN;
	e[2] = p->ioapic_id;
	put32(e + 4, (u32)p->ioapic_addr);
	put32(e + 8, p->ioapic_gsi_base);
	return e + MADT_IOAPIC_LEN;
}

static u8 *iso(u8 *e, const struct guest_acpi_iso *o)
{
	e[0] = MADT_ISO;
	e[1] = MADT_ISO_LEN;
	e[2] = 0; /* bus: ISA */
	e[3] = o->irq;
	put32(e + 4, o->gsi);
	put16(e + 8, o->flags);
	return e + MADT_ISO_LEN;
}

/* LINT1 is the NMI input on every processor, as on a PC. */
static u8 *lapic_nmi(u8 *e)
{
	e[0] = MADT_LAPIC_NMI;
	e[1] = MADT_LAPIC_NMI_LEN;
	e[2] = MADT_ALL_CPUS;
	put16(e + 3, 0); /* flags: conforms to the bus */
	e[5] = 1;	 /* LINT1 */
	return e + MADT_LAPIC_NMI_LEN;
}

u32 acpi_madt(u8 *t, const struct guest_acpi_params *p)
{
	u8 *e = t + MADT_FIXED_SIZE;

	acpi_header(t, "APIC", MADT_REVISION);
	put32(t + 36, (u32)p->lapic_addr);
	put32(t + 40, MADT_PCAT_COMPAT);
	for (u32 i = 0; i < p->cpu_count; i++)
		e = lapic(e, i);
	e = ioapic(e, p);
	for (u32 i = 0; i < p->iso_count; i++)
		e = iso(e, &p->iso[i]);
	e = lapic_nmi(e);
	acpi_finish(t, (u32)(e - t));
	return (u32)(e - t);
}
