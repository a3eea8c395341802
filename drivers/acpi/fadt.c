/* SPDX-License-Identifier: Apache-2.0 */
/*
 * FADT (ACPI 6.5, 5.2.9): PM timer, PM1 control blocks, reset register, SCI.
 * Older FADT revisions are shorter, so every field is read only when the
 * table's length covers it; an extended (X_) field wins over its 32-bit
 * predecessor when present and non-zero (5.2.9, Table 5.9).
 */
#include <hv/printk.h>

#include "acpi_priv.h"

/* Field offsets (ACPI 6.5, Table 5.9). */
#define FADT_DSDT	    40
#define FADT_SCI_INT	    46
#define FADT_PM1A_CNT_BLK   64
#define FADT_PM1B_CNT_BLK   68
#define FADT_PM_TMR_BLK	    76
#define FADT_PM1_CNT_LEN    89
#define FADT_PM_TMR_LEN	    91
#define FADT_IAPC_BOOT_ARCH 109
#define FADT_FLAGS	    112
#define FADT_RESET_REG	    116
#define FADT_RESET_VALUE    128
#define FADT_X_DSDT	    140
#define FADT_X_PM1A_CNT_BLK 172
#define FADT_X_PM1B_CNT_BLK 184
#define FADT_X_PM_TMR_BLK   208

#define GAS_SIZE	 12
#define PM_TMR_LEN_VALID 4 /* PM_TMR_LEN is 4 when the timer exists, else 0 */
#define IO_PORT_MAX	 0xffffU

static bool covers(u32 len, u32 off, u32 size)
{
	return off + size <= len;
}

/* A usable I/O-port GAS: non-zero, in system I/O space, within 16 bits. */
static bool gas_is_port(const struct acpi_gas *g)
{
	return g->address && g->space_id == ACPI_GAS_SYSTEM_IO && g->address <= IO_PORT_MAX;
}

static u16 pm_timer_port(const u8 *t, u32 len)
{
	if (covers(len, FADT_X_PM_TMR_BLK, GAS_SIZE)) {
		struct acpi_gas g = acpi_rd_gas(t, FADT_X_PM_TMR_BLK);

		if (gas_is_port(&g))
			return (u16)g.address;
		if (g.address)
			pr_warn("acpi: FADT: X_PM_TMR_BLK is not an I/O port, trying PM_TMR_BLK\n");
	}
	if (covers(len, FADT_PM_TMR_LEN, 1) && t[FADT_PM_TMR_LEN] == PM_TMR_LEN_VALID &&
	    acpi_rd32(t, FADT_PM_TMR_BLK) <= IO_PORT_MAX)
		return (u16)acpi_rd32(t, FADT_PM_TMR_BLK);
	return 0;
}

/* A PM1x control block: the X_ GAS when set, else the legacy port. */
static struct acpi_gas pm1_cnt_block(const u8 *t, u32 len, u32 x_off, u32 legacy_off)
{
	struct acpi_gas g = {0};

	if (covers(len, x_off, GAS_SIZE)) {
		g = acpi_rd_gas(t, x_off);
		if (g.address)
			return g;
	}
	if (covers(len, FADT_PM1_CNT_LEN, 1) && acpi_rd32(t, legacy_off)) {
		g.space_id = ACPI_GAS_SYSTEM_IO;
		g.bit_width = (u8)(t[FADT_PM1_CNT_LEN] * 8);
		g.address = acpi_rd32(t, legacy_off);
	}
	return g;
}

hpa_t acpi_fadt_dsdt(const u8 *t, u32 len)
{
	if (covers(len, FADT_X_DSDT, 8) && acpi_rd64(t, FADT_X_DSDT))
		return acpi_rd64(t, FADT_X_DSDT);
	return covers(len, FADT_DSDT, 4) ? acpi_rd32(t, FADT_DSDT) : 0;
}

static void parse_reset(const u8 *t, u32 len, struct acpi_info *info)
{
	if (!covers(len, FADT_RESET_VALUE, 1))
		return; /* ACPI 1.0 FADT: no reset register */
	info->reset_reg = acpi_rd_gas(t, FADT_RESET_REG);
	info->reset_value = t[FADT_RESET_VALUE];
	info->reset_supported =
		(info->fadt_flags & ACPI_FADT_RESET_REG_SUP) && info->reset_reg.address;
}

void acpi_parse_fadt(const u8 *t, u32 len, struct acpi_info *info)
{
	if (!covers(len, FADT_FLAGS, 4)) {
		pr_warn("acpi: FADT too short (%u bytes)\n", len);
		return;
	}
	info->fadt_flags = acpi_rd32(t, FADT_FLAGS);
	info->sci_irq = acpi_rd16(t, FADT_SCI_INT);
	info->iapc_boot_arch = acpi_rd16(t, FADT_IAPC_BOOT_ARCH);
	info->dsdt = acpi_fadt_dsdt(t, len);
	parse_reset(t, len, info);
	/* Hardware-reduced ACPI has no fixed hardware (ACPI 6.5, 4.1). */
	if (info->fadt_flags & ACPI_FADT_HW_REDUCED_ACPI)
		return;
	info->pm_timer_port = pm_timer_port(t, len);
	info->pm_timer_32bit = info->fadt_flags & ACPI_FADT_TMR_VAL_EXT;
	info->pm1a_cnt = pm1_cnt_block(t, len, FADT_X_PM1A_CNT_BLK, FADT_PM1A_CNT_BLK);
	info->pm1b_cnt = pm1_cnt_block(t, len, FADT_X_PM1B_CNT_BLK, FADT_PM1B_CNT_BLK);
}
