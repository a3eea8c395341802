/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The root of the guest's ACPI tables: RSDP (ACPI 6.5, 5.2.5.3), XSDT
 * (5.2.8), FACS (5.2.10) and the layout of all of them in one buffer.
 */
#include <hv/errno.h>
#include <hv/guest_platform.h>
#include <hv/string.h>

#include "acpi_priv.h"

#define RSDP_SIZE     36 /* ACPI 2.0+ RSDP with the XSDT address */
#define RSDP_V1_SIZE  20 /* the part the first checksum covers */
#define FACS_SIZE     64
#define FACS_ALIGN    64 /* 5.2.10: the FACS is 64-byte aligned */
#define XSDT_ENTRIES  2	 /* FADT, MADT */
#define TABLE_ALIGN   16
#define FADT_MAX_SIZE 276
#define DSDT_MAX_SIZE 64

static const char oem_id[6] = {'B', 'L', 'K', 'H', 'D', ' '};
static const char oem_table_id[8] = {'B', 'U', 'L', 'K', 'H', 'E', 'A', 'D'};

u8 guest_acpi_sum(const u8 *p, u32 len)
{
	u8 sum = 0;

	for (u32 i = 0; i < len; i++)
		sum = (u8)(sum + p[i]);
	return sum;
}

void acpi_header(u8 *t, const char sig[4], u8 revision)
{
	memcpy(t, sig, 4);
	t[8] = revision;
	memcpy(t + 10, oem_id, sizeof(oem_id));
	memcpy(t + 16, oem_table_id, sizeof(oem_table_id));
	put32(t + 24, 1);	   /* OEM revision */
	memcpy(t + 28, "BLKH", 4); /* creator ID */
	put32(t + 32, 1);	   /* creator revision */
}

void acpi_finish(u8 *t, u32 len)
{
	put32(t + 4, len);
	t[9] = 0;
	t[9] = (u8)-guest_acpi_sum(t, len);
}

static void rsdp(u8 *t, gpa_t xsdt)
{
	memcpy(t, "RSD PTR ", 8);
	memcpy(t + 9, oem_id, sizeof(oem_id));
	t[15] = 2;	  /* revision: ACPI 2.0 and later */
	put32(t + 16, 0); /* no RSDT: the XSDT is the only root table */
	put32(t + 20, RSDP_SIZE);
	put64(t + 24, xsdt);
	t[8] = (u8)-guest_acpi_sum(t, RSDP_V1_SIZE);
	t[32] = (u8)-guest_acpi_sum(t, RSDP_SIZE);
}

static u32 xsdt(u8 *t, gpa_t fadt, gpa_t madt)
{
	acpi_header(t, "XSDT", 1);
	put64(t + ACPI_HDR_SIZE, fadt);
	put64(t + ACPI_HDR_SIZE + 8, madt);
	acpi_finish(t, ACPI_HDR_SIZE + 8 * XSDT_ENTRIES);
	return ACPI_HDR_SIZE + 8 * XSDT_ENTRIES;
}

/* No checksum; version 2; no global lock, no waking vector: the guest never sleeps. */
static void facs(u8 *t)
{
	memcpy(t, "FACS", 4);
	put32(t + 4, FACS_SIZE);
	t[32] = 2; /* version */
}

static int check_params(const struct guest_acpi_params *p, gpa_t base)
{
	if (p->cpu_count == 0 || p->cpu_count > GUEST_ACPI_MAX_CPUS)
		return -EINVAL;
	if (p->iso_count > GUEST_ACPI_MAX_ISO || !IS_ALIGNED(base, TABLE_ALIGN))
		return -EINVAL;
	if (base + GUEST_ACPI_MAX_SIZE > (1ULL << 32))
		return -EINVAL;
	return 0;
}

/* Offsets of each table in the buffer: RSDP first, then 16-byte aligned tables. */
static u32 plan_layout(const struct guest_acpi_params *p, gpa_t base, struct guest_acpi_layout *l)
{
	u32 off = ALIGN_UP(RSDP_SIZE, TABLE_ALIGN);

	l->rsdp = base;
	l->xsdt = base + off;
	off = ALIGN_UP(off + ACPI_HDR_SIZE + 8 * XSDT_ENTRIES, FACS_ALIGN);
	l->facs = base + off;
	off += FACS_SIZE;
	l->fadt = base + off;
	off = ALIGN_UP(off + FADT_MAX_SIZE, TABLE_ALIGN);
	l->dsdt = base + off;
	off = ALIGN_UP(off + DSDT_MAX_SIZE, TABLE_ALIGN);
	l->madt = base + off;
	off += acpi_madt_size(p);
	l->size = off;
	return off;
}

int guest_acpi_build(const struct guest_acpi_params *p, gpa_t base, u8 *buf, u32 size,
		     struct guest_acpi_layout *out)
{
	struct guest_acpi_layout l;
	int rc = check_params(p, base);

	if (rc)
		return rc;
	if (plan_layout(p, base, &l) > size)
		return -ENOSPC;
	memset(buf, 0, size);
	rsdp(buf, l.xsdt);
	xsdt(buf + (l.xsdt - base), l.fadt, l.madt);
	facs(buf + (l.facs - base));
	acpi_fadt(buf + (l.fadt - base), p, l.facs, l.dsdt);
	acpi_dsdt(buf + (l.dsdt - base), p);
	acpi_madt(buf + (l.madt - base), p);
	*out = l;
	return 0;
}

void guest_acpi_default_params(struct guest_acpi_params *p, u32 cpu_count)
{
	memset(p, 0, sizeof(*p));
	p->cpu_count = cpu_count;
	p->lapic_addr = 0xfee00000ULL; /* SDM Vol. 3A 11.4.1: the default APIC base */
	p->ioapic_addr = GUEST_IOAPIC_ADDR;
	p->ioapic_id = GUEST_IOAPIC_ID;
	p->ioapic_gsi_base = GUEST_IOAPIC_GSI_BASE;
	p->iso[p->iso_count++] =
		(struct guest_acpi_iso){GUEST_PIT_IRQ, GUEST_PIT_GSI, GUEST_PIT_INTI_FLAGS};
	p->iso[p->iso_count++] =
		(struct guest_acpi_iso){GUEST_SCI_IRQ, GUEST_SCI_GSI, GUEST_SCI_INTI_FLAGS};
	p->sci_irq = GUEST_SCI_IRQ;
	p->pm1a_evt = GUEST_PM1A_EVT_BLK;
	p->pm1a_cnt = GUEST_PM1A_CNT_BLK;
	p->pm_tmr = GUEST_PM_TMR_BLK;
	p->pm1_evt_len = GUEST_PM1_EVT_LEN;
	p->pm1_cnt_len = GUEST_PM1_CNT_LEN;
	p->pm_tmr_len = GUEST_PM_TMR_LEN;
	p->pm_tmr_32bit = GUEST_PM_TMR_32BIT;
	p->reset_port = GUEST_RESET_PORT;
	p->reset_value = GUEST_RESET_VALUE;
	p->slp_typ_s5 = GUEST_SLP_TYP_S5;
	p->iapc_boot_arch = GUEST_IAPC_BOOT_ARCH;
	p->century = GUEST_RTC_CENTURY;
}
