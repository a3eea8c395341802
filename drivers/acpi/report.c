/* SPDX-License-Identifier: Apache-2.0 */
/*
 * What the boot log shows about ACPI: a compact summary of struct acpi_info,
 * and the `acpi_dump` hex dump of every table (the source of the test
 * fixtures; tools/acpi-fixture.py reads it back).
 */
#include <hv/printk.h>
#include <hv/string.h>

#include "acpi_priv.h"

#define SUMMARY_LINE_MAX    160
#define DUMP_BYTES_PER_LINE 32
#define DUMP_MAX_TABLES	    64

static const char *const status_text[] = {
	[ACPI_TABLE_OK] = "ok",
	[ACPI_TABLE_UNREADABLE] = "NOT READABLE",
	[ACPI_TABLE_BAD_LENGTH] = "BAD LENGTH",
	[ACPI_TABLE_BAD_CHECKSUM] = "BAD CHECKSUM",
};

static void print_tables(const struct acpi_info *info)
{
	pr_info("acpi: RSDP rev %u '%s' at %#llx, %s at %#llx, %u tables\n", info->rsdp_revision,
		info->rsdp_oem_id, (unsigned long long)info->rsdp,
		info->root_is_xsdt ? "XSDT" : "RSDT", (unsigned long long)info->root,
		info->tables_listed);
	for (u32 i = 0; i < info->table_count; i++) {
		const struct acpi_table_ref *t = &info->tables[i];

		pr_info("acpi:   %s %#llx len %u rev %u '%s' %s\n", t->sig,
			(unsigned long long)t->addr, t->length, t->revision, t->oem_id,
			status_text[t->status]);
	}
}

/* APIC IDs, several per line; a disabled CPU is shown as "ID(off)". */
static void print_cpus(const struct acpi_info *info)
{
	char line[SUMMARY_LINE_MAX];
	size_t n = 0;
	u32 enabled = 0;

	for (u32 i = 0; i < info->cpu_count; i++)
		enabled += info->cpus[i].enabled;
	pr_info("acpi: %u CPUs in the MADT, %u enabled%s\n", info->cpu_count, enabled,
		info->cpus_dropped ? " (more ignored)" : "");
	for (u32 i = 0; i < info->cpu_count; i++) {
		const struct acpi_cpu *c = &info->cpus[i];

		n += (size_t)hv_snprintf(line + n, sizeof(line) - n, " %u%s", c->apic_id,
					 c->enabled ? "" : "(off)");
		if (n > sizeof(line) - 24 || i + 1 == info->cpu_count) {
			pr_info("acpi:   APIC IDs%s\n", line);
			n = 0;
		}
	}
}

static void print_interrupts(const struct acpi_info *info)
{
	for (u32 i = 0; i < info->ioapic_count; i++) {
		const struct acpi_ioapic *io = &info->ioapics[i];

		pr_info("acpi: IOAPIC id %u at %#x, GSI base %u\n", io->id, io->address,
			io->gsi_base);
	}
	pr_info("acpi: LAPIC at %#llx, %u interrupt overrides, 8259 PICs %s\n",
		(unsigned long long)info->lapic_address, info->iso_count,
		info->pcat_compat ? "present" : "absent");
}

static void print_platform(const struct acpi_info *info)
{
	if (info->pm_timer_port)
		pr_info("acpi: PM timer port %#x (%s), SCI %u, PM1a_CNT %#llx\n",
			info->pm_timer_port, info->pm_timer_32bit ? "32-bit" : "24-bit",
			info->sci_irq, (unsigned long long)info->pm1a_cnt.address);
	else
		pr_info("acpi: no PM timer, SCI %u\n", info->sci_irq);
	if (info->reset_supported)
		pr_info("acpi: reset register %#llx (space %u) value %#x\n",
			(unsigned long long)info->reset_reg.address, info->reset_reg.space_id,
			info->reset_value);
	if (info->mcfg_count)
		pr_info("acpi: ECAM at %#llx, segment %u, buses %u-%u\n",
			(unsigned long long)info->ecam_base, info->ecam_segment,
			info->ecam_bus_start, info->ecam_bus_end);
	if (info->hpet_address)
		pr_info("acpi: HPET at %#llx\n", (unsigned long long)info->hpet_address);
	pr_info("acpi: IOMMU table: %s\n", info->dmar	? "DMAR (Intel VT-d)"
					   : info->ivrs ? "IVRS (AMD-Vi)"
							: "none");
}

void acpi_print_summary(const struct acpi_info *info)
{
	print_tables(info);
	print_cpus(info);
	print_interrupts(info);
	print_platform(info);
}

/* ---- acpi_dump ------------------------------------------------------------ */

struct dump_state {
	const struct acpi_mem *mem;
	hpa_t done[DUMP_MAX_TABLES];
	u32 done_count;
};

static void dump_bytes(const char *sig, hpa_t addr, const u8 *p, u32 len)
{
	static const char hex[] = "0123456789abcdef";
	char line[2 * DUMP_BYTES_PER_LINE + 1];

	for (u32 off = 0; off < len; off += DUMP_BYTES_PER_LINE) {
		u32 n = len - off < DUMP_BYTES_PER_LINE ? len - off : DUMP_BYTES_PER_LINE;

		for (u32 i = 0; i < n; i++) {
			line[2 * i] = hex[p[off + i] >> 4];
			line[2 * i + 1] = hex[p[off + i] & 0xf];
		}
		line[2 * n] = '\0';
		pr_info("acpi-dump: %s %#llx %u +%u %s\n", sig, (unsigned long long)addr, len, off,
			line);
	}
}

static bool already_dumped(struct dump_state *st, hpa_t addr)
{
	for (u32 i = 0; i < st->done_count; i++)
		if (st->done[i] == addr)
			return true;
	if (st->done_count < DUMP_MAX_TABLES)
		st->done[st->done_count++] = addr;
	return false;
}

/* Dumps the table at addr whatever its checksum, if its length is sane. */
static const u8 *dump_table(struct dump_state *st, hpa_t addr, u32 *len_out)
{
	const u8 *t = addr ? st->mem->fetch(st->mem->ctx, addr, ACPI_HDR_SIZE) : NULL;
	char sig[5];
	u32 len;

	if (!t || already_dumped(st, addr))
		return NULL;
	len = acpi_rd32(t, ACPI_HDR_LENGTH);
	for (int i = 0; i < 4; i++)
		sig[i] = (t[i] > 0x20 && t[i] < 0x7f) ? (char)t[i] : '?';
	sig[4] = '\0';
	if (len < ACPI_HDR_SIZE || len > ACPI_TABLE_MAX_LEN ||
	    !(t = st->mem->fetch(st->mem->ctx, addr, len))) {
		pr_warn("acpi-dump: %s at %#llx: bad length %u\n", sig, (unsigned long long)addr,
			len);
		return NULL;
	}
	dump_bytes(sig, addr, t, len);
	*len_out = len;
	return t;
}

static void dump_listed(struct dump_state *st, hpa_t root, u32 entry_size)
{
	u32 len = 0;
	const u8 *r = dump_table(st, root, &len);

	for (u32 off = ACPI_HDR_SIZE; r && off + entry_size <= len; off += entry_size) {
		hpa_t addr = entry_size == 8 ? acpi_rd64(r, off) : acpi_rd32(r, off);
		u32 tlen = 0;
		const u8 *t = dump_table(st, addr, &tlen);

		if (t && !memcmp(t, "FACP", 4))
			dump_table(st, acpi_fadt_dsdt(t, tlen), &tlen);
	}
}

void acpi_dump(const struct acpi_mem *mem, hpa_t rsdp)
{
	struct dump_state st = {.mem = mem};
	const u8 *r = rsdp ? mem->fetch(mem->ctx, rsdp, RSDP_V1_SIZE) : NULL;
	u32 len = RSDP_V1_SIZE;
	u32 ext;

	if (!r || memcmp(r, RSDP_SIGNATURE, 8)) {
		pr_warn("acpi-dump: no RSDP at %#llx\n", (unsigned long long)rsdp);
		return;
	}
	ext = acpi_rd32(r, RSDP_LENGTH);
	if (r[RSDP_REVISION] >= 2 && ext > RSDP_V1_SIZE && ext <= RSDP_MAX_LENGTH)
		len = ext;
	r = mem->fetch(mem->ctx, rsdp, len);
	if (!r)
		return;
	dump_bytes("RSDP", rsdp, r, len);
	if (r[RSDP_REVISION] >= 2 && len >= RSDP_XSDT_ADDRESS + 8)
		dump_listed(&st, acpi_rd64(r, RSDP_XSDT_ADDRESS), 8);
	dump_listed(&st, acpi_rd32(r, RSDP_RSDT_ADDRESS), 4);
	pr_info("acpi-dump: end\n");
}
