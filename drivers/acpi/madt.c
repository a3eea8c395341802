/* SPDX-License-Identifier: Apache-2.0 */
/*
 * MADT (ACPI 6.5, 5.2.12): processors, IOAPICs, interrupt source overrides
 * and the local APIC address. Entries are walked by their own length, which
 * is checked against the table before any byte of the entry is read.
 */
#include <hv/printk.h>

#include "acpi_priv.h"

#define MADT_LAPIC_ADDRESS 36
#define MADT_FLAGS	   40
#define MADT_ENTRIES	   44
#define MADT_PCAT_COMPAT   BIT(0) /* MADT Flags: dual 8259 PICs installed */

/* Local APIC Flags (ACPI 6.5, Table 5.23). */
#define LAPIC_ENABLED	     BIT(0)
#define LAPIC_ONLINE_CAPABLE BIT(1)

/* Interrupt Controller Structure types (ACPI 6.5, Table 5.21). */
enum madt_type {
	MADT_LOCAL_APIC = 0,
	MADT_IOAPIC = 1,
	MADT_SOURCE_OVERRIDE = 2,
	MADT_LAPIC_ADDRESS_OVERRIDE = 5,
	MADT_LOCAL_X2APIC = 9,
};

/* The broadcast IDs never name one processor. */
#define XAPIC_ID_INVALID  0xffU
#define X2APIC_ID_INVALID 0xffffffffU

static void add_cpu(struct acpi_info *info, u32 apic_id, u32 uid, u32 flags, bool x2apic)
{
	struct acpi_cpu *c;

	for (u32 i = 0; i < info->cpu_count; i++) {
		if (info->cpus[i].apic_id == apic_id) {
			pr_warn("acpi: MADT: duplicate APIC ID %u ignored\n", apic_id);
			return;
		}
	}
	if (info->cpu_count == ACPI_MAX_CPUS) {
		info->cpus_dropped++;
		return;
	}
	c = &info->cpus[info->cpu_count++];
	c->apic_id = apic_id;
	c->uid = uid;
	c->enabled = flags & LAPIC_ENABLED;
	c->online_capable = flags & LAPIC_ONLINE_CAPABLE;
	c->x2apic = x2apic;
}

/* Processor Local APIC (5.2.12.2): UID at 2, APIC ID at 3, flags at 4. */
static void parse_local_apic(const u8 *e, struct acpi_info *info)
{
	if (e[3] != XAPIC_ID_INVALID)
		add_cpu(info, e[3], e[2], acpi_rd32(e, 4), false);
}

/* Processor Local x2APIC (5.2.12.12): x2APIC ID at 4, flags at 8, UID at 12. */
static void parse_local_x2apic(const u8 *e, struct acpi_info *info)
{
	u32 id = acpi_rd32(e, 4);

	if (id != X2APIC_ID_INVALID)
		add_cpu(info, id, acpi_rd32(e, 12), acpi_rd32(e, 8), true);
}

/* I/O APIC (5.2.12.3): ID at 2, address at 4, GSI base at 8. */
static void parse_ioapic(const u8 *e, struct acpi_info *info)
{
	struct acpi_ioapic *io;

	if (info->ioapic_count == ACPI_MAX_IOAPICS) {
		pr_warn("acpi: MADT: more than %u IOAPICs, IOAPIC %u ignored\n", ACPI_MAX_IOAPICS,
			e[2]);
		return;
	}
	io = &info->ioapics[info->ioapic_count++];
	io->id = e[2];
	io->address = acpi_rd32(e, 4);
	io->gsi_base = acpi_rd32(e, 8);
}

/* Interrupt Source Override (5.2.12.5): bus 2, source 3, GSI 4, flags 8. */
static void parse_source_override(const u8 *e, struct acpi_info *info)
{
	struct acpi_iso *iso;

	if (info->iso_count == ACPI_MAX_ISOS) {
		pr_warn("acpi: MADT: more than %u source overrides, IRQ %u ignored\n",
			ACPI_MAX_ISOS, e[3]);
		return;
	}
	iso = &info->isos[info->iso_count++];
	iso->bus = e[2];
	iso->source = e[3];
	iso->gsi = acpi_rd32(e, 4);
	iso->flags = acpi_rd16(e, 8);
}

/* Local APIC Address Override (5.2.12.8): 64-bit address at 4. */
static void parse_lapic_override(const u8 *e, struct acpi_info *info)
{
	info->lapic_address = acpi_rd64(e, 4);
}

static const struct madt_handler {
	u8 min_len;
	void (*parse)(const u8 *e, struct acpi_info *info);
} madt_handlers[] = {
	[MADT_LOCAL_APIC] = {8, parse_local_apic},
	[MADT_IOAPIC] = {12, parse_ioapic},
	[MADT_SOURCE_OVERRIDE] = {10, parse_source_override},
	[MADT_LAPIC_ADDRESS_OVERRIDE] = {12, parse_lapic_override},
	[MADT_LOCAL_X2APIC] = {16, parse_local_x2apic},
};

static void parse_entry(const u8 *e, u8 len, u32 off, struct acpi_info *info)
{
	const struct madt_handler *h;

	if (e[0] >= ARRAY_SIZE(madt_handlers) || !madt_handlers[e[0]].parse)
		return; /* types the hypervisor does not use */
	h = &madt_handlers[e[0]];
	if (len < h->min_len) {
		pr_warn("acpi: MADT: type %u entry at offset %u too short (%u), skipped\n", e[0],
			off, len);
		return;
	}
	h->parse(e, info);
}

void acpi_parse_madt(const u8 *t, u32 len, struct acpi_info *info)
{
	u32 off = MADT_ENTRIES;

	if (len < MADT_ENTRIES) {
		pr_warn("acpi: MADT too short (%u bytes)\n", len);
		return;
	}
	info->lapic_address = acpi_rd32(t, MADT_LAPIC_ADDRESS);
	info->pcat_compat = acpi_rd32(t, MADT_FLAGS) & MADT_PCAT_COMPAT;
	while (len - off >= 2) {
		u8 elen = t[off + 1];

		/* A zero length would loop forever; an overrun reads past the table. */
		if (elen < 2 || elen > len - off) {
			pr_warn("acpi: MADT: entry at offset %u has length %u, rest ignored\n", off,
				elen);
			break;
		}
		parse_entry(t + off, elen, off, info);
		off += elen;
	}
	if (info->cpus_dropped)
		pr_warn("acpi: MADT: %u processors beyond the first %u ignored\n",
			info->cpus_dropped, ACPI_MAX_CPUS);
}
