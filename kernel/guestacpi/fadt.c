/* SPDX-License-Identifier: Apache-2.0 */
/*
 * FADT (ACPI 6.5, 5.2.9) and the minimal DSDT it points to. The FADT names
 * the fixed hardware the guest's emulated devices implement
 * (hv/guest_platform.h): the PM1a event and control blocks, the PM timer,
 * the SCI and the reset register. The platform is not hardware-reduced and
 * always in ACPI mode (SMI_CMD = 0). The DSDT declares only \_S5, the sleep
 * type Linux writes to PM1a_CNT to power off (7.4.2 "\_Sx System States").
 */
#include <hv/string.h>

#include "acpi_priv.h"

#define FADT_REVISION	6
#define FADT_MINOR	5
#define FADT_SIZE	276  /* up to the Hypervisor Vendor Identity (ACPI 6.0+) */
#define DSDT_REVISION	2    /* 64-bit AML integers */
#define P_LVL2_NONE	101  /* 5.2.9: a latency over 100 us means C2 is not supported */
#define P_LVL3_NONE	1001 /* over 1000 us: no C3 */
#define GAS_SPACE_IO	1    /* 5.2.3.2 Generic Address Structure: System I/O */
#define GAS_ACCESS_BYTE 1

/* FADT Flags (Table 5.10). */
#define FADT_WBINVD	   BIT(0)  /* WBINVD works */
#define FADT_PROC_C1	   BIT(2)  /* C1 (HLT) on every processor */
#define FADT_PWR_BUTTON	   BIT(4)  /* no fixed-feature power button */
#define FADT_SLP_BUTTON	   BIT(5)  /* no fixed-feature sleep button */
#define FADT_FIX_RTC	   BIT(6)  /* no RTC wake status in the fixed registers */
#define FADT_TMR_VAL_EXT   BIT(8)  /* the PM timer is 32 bits wide */
#define FADT_RESET_REG_SUP BIT(10) /* RESET_REG is supported */

/* FADT field offsets (Table 5.9). */
#define FADT_FIRMWARE_CTRL 36
#define FADT_DSDT	   40
#define FADT_SCI_INT	   46
#define FADT_SMI_CMD	   48
#define FADT_PM1A_EVT_BLK  56
#define FADT_PM1A_CNT_BLK  64
#define FADT_PM_TMR_BLK	   76
#define FADT_PM1_EVT_LEN   88
#define FADT_PM1_CNT_LEN   89
#define FADT_PM_TMR_LEN	   91
#define FADT_P_LVL2_LAT	   96
#define FADT_P_LVL3_LAT	   98
#define FADT_CENTURY	   108
#define FADT_IAPC_BOOT	   109
#define FADT_FLAGS	   112
#define FADT_RESET_REG	   116
#define FADT_RESET_VALUE   128
#define FADT_MINOR_VERSION 131
#define FADT_X_DSDT	   140

static u32 fadt_flags(const struct guest_acpi_params *p)
{
	u32 f = FADT_WBINVD | FADT_PROC_C1 | FADT_PWR_BUTTON | FADT_SLP_BUTTON | FADT_FIX_RTC |
		FADT_RESET_REG_SUP;

	if (p->pm_tmr_32bit)
		f |= FADT_TMR_VAL_EXT;
	return f;
}

/* A Generic Address Structure for one byte-wide I/O port. */
static void gas_io8(u8 *g, u16 port)
{
	g[0] = GAS_SPACE_IO;
	g[1] = 8; /* register bit width */
	g[2] = 0; /* bit offset */
	g[3] = GAS_ACCESS_BYTE;
	put64(g + 4, port);
}

/*
 * The X_ forms of the PM blocks stay zero: the 32-bit block addresses
 * describe I/O ports completely, and an OS uses them when X_ is zero (5.2.9).
 */
u32 acpi_fadt(u8 *t, const struct guest_acpi_params *p, gpa_t facs, gpa_t dsdt)
{
	acpi_header(t, "FACP", FADT_REVISION);
	put32(t + FADT_FIRMWARE_CTRL, (u32)facs);
	put32(t + FADT_DSDT, (u32)dsdt);
	put16(t + FADT_SCI_INT, p->sci_irq);
	put32(t + FADT_SMI_CMD, 0);
	put32(t + FADT_PM1A_EVT_BLK, p->pm1a_evt);
	put32(t + FADT_PM1A_CNT_BLK, p->pm1a_cnt);
	put32(t + FADT_PM_TMR_BLK, p->pm_tmr);
	t[FADT_PM1_EVT_LEN] = p->pm1_evt_len;
	t[FADT_PM1_CNT_LEN] = p->pm1_cnt_len;
	t[FADT_PM_TMR_LEN] = p->pm_tmr_len;
	put16(t + FADT_P_LVL2_LAT, P_LVL2_NONE);
	put16(t + FADT_P_LVL3_LAT, P_LVL3_NONE);
	t[FADT_CENTURY] = p->century;
	put16(t + FADT_IAPC_BOOT, p->iapc_boot_arch);
	put32(t + FADT_FLAGS, fadt_flags(p));
	gas_io8(t + FADT_RESET_REG, p->reset_port);
	t[FADT_RESET_VALUE] = p->reset_value;
	t[FADT_MINOR_VERSION] = FADT_MINOR;
	put64(t + FADT_X_DSDT, dsdt);
	acpi_finish(t, FADT_SIZE);
	return FADT_SIZE;
}

/*
 * AML (ACPI 6.5, 20.2): Name (_S5, Package (4) { typ, typ, 0, 0 }).
 * NameOp 0x08, NameSeg "_S5_", PackageOp 0x12, PkgLength (one byte: itself,
 * NumElements and four BytePrefix 0x0A constants = 10), NumElements 4.
 */
u32 acpi_dsdt(u8 *t, const struct guest_acpi_params *p)
{
	const u8 aml[] = {0x08, '_',	       'S',  '5',	    '_',  0x12, 0x0a, 0x04,
			  0x0a, p->slp_typ_s5, 0x0a, p->slp_typ_s5, 0x0a, 0x00, 0x0a, 0x00};

	acpi_header(t, "DSDT", DSDT_REVISION);
	memcpy(t + ACPI_HDR_SIZE, aml, sizeof(aml));
	acpi_finish(t, ACPI_HDR_SIZE + sizeof(aml));
	return ACPI_HDR_SIZE + sizeof(aml);
}
