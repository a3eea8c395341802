/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The guest-visible platform: every port, address, IRQ and magic value that
 * the emulated devices (kernel/vdev/) implement and that the generated ACPI
 * tables (FADT, MADT, DSDT) describe to the guest. One place, so the tables
 * and the devices cannot disagree.
 *
 * The machine is a PC with an ICH-like ACPI I/O block at 0x600 (the layout
 * Intel's ICH9 uses at its PMBASE): PM1a event block, PM1a control block and
 * the PM timer; no PM1b, no GPE blocks, no SMI command port (the platform is
 * always in ACPI mode: SCI_EN reads 1).
 */
#ifndef HV_GUEST_PLATFORM_H
#define HV_GUEST_PLATFORM_H

#include <hv/types.h>

/* ---- ACPI fixed hardware (ACPI 6.5, 4.8 "ACPI Hardware Model") ------------------ */

#define GUEST_PM_BASE 0x600 /* start of the ACPI I/O block, 16 ports */
#define GUEST_PM_SIZE 0x10

/* PM1a_EVT_BLK: PM1_STS (2 bytes) then PM1_EN (2 bytes); FADT PM1_EVT_LEN = 4. */
#define GUEST_PM1A_EVT_BLK 0x600
#define GUEST_PM1_EVT_LEN  4
/* PM1a_CNT_BLK: PM1_CNT, 2 bytes; FADT PM1_CNT_LEN = 2. */
#define GUEST_PM1A_CNT_BLK 0x604
#define GUEST_PM1_CNT_LEN  2
/* PM_TMR_BLK: 4 bytes; FADT PM_TMR_LEN = 4. */
#define GUEST_PM_TMR_BLK 0x608
#define GUEST_PM_TMR_LEN 4

/*
 * The PM timer counts at 3.579545 MHz (ACPI 4.8.3.3) and is 32 bits wide:
 * the FADT sets TMR_VAL_EXT (Flags bit 8).
 */
#define GUEST_PM_TMR_HZ	      3579545ULL
#define GUEST_PM_TMR_32BIT    1
#define GUEST_PM_TMR_VAL_MASK 0xffffffffU

/*
 * PM1_CNT fields (ACPI 4.8.3.2.1): SCI_EN bit 0 (always 1 here), SLP_TYPx
 * bits 12:10, SLP_EN bit 13 (write-only). Writing SLP_TYP = the \_S5 value
 * with SLP_EN powers the guest off; the DSDT's \_S5 package must hold
 * GUEST_SLP_TYP_S5 (for PM1a and PM1b alike). Other sleep types are ignored
 * (no \_S1-\_S4 are declared).
 */
#define GUEST_PM1_CNT_SCI_EN	    BIT(0) /* SCI_EN */
#define GUEST_PM1_CNT_SLP_TYP_SHIFT 10
#define GUEST_PM1_CNT_SLP_TYP	    (7U << 10) /* SLP_TYPx */
#define GUEST_PM1_CNT_SLP_EN	    BIT(13)    /* SLP_EN */
#define GUEST_SLP_TYP_S5	    5

/*
 * SCI: ISA IRQ 9, routed to GSI 9. The MADT should carry an Interrupt Source
 * Override IRQ 9 -> GSI 9, level-triggered, active high (MPS INTI flags
 * 0x000d), which is what the IOAPIC model expects. The devices never assert
 * the SCI today (no fixed or GPE events are generated), so the polarity only
 * has to be consistent.
 */
#define GUEST_SCI_IRQ	     9
#define GUEST_SCI_GSI	     9
#define GUEST_SCI_INTI_FLAGS 0x000d /* MPS INTI: polarity 01 high, trigger 11 level */

/* No SMI command port: ACPI mode is permanently enabled (FADT SMI_CMD = 0). */
#define GUEST_SMI_CMD 0

/*
 * Reset register (FADT RESET_REG, ACPI 4.8.3.6): system I/O space, 8 bits
 * wide, at 0xCF9 (the PC reset control register), RESET_VALUE 0x06 (full
 * reset + reset CPU). The FADT sets RESET_REG_SUP (Flags bit 10). Writes of
 * 0x06 or 0x0E to 0xCF9 reset the guest.
 */
#define GUEST_RESET_PORT  0xcf9
#define GUEST_RESET_VALUE 0x06

/* The keyboard controller: 0xFE to the command port 0x64 resets (pulse of output port bit 0). */
#define GUEST_KBC_DATA_PORT 0x60
#define GUEST_KBC_CMD_PORT  0x64
#define GUEST_KBC_CMD_RESET 0xfe

/*
 * FADT IAPC_BOOT_ARCH (ACPI 5.2.9.3) suggested for these devices:
 * LEGACY_DEVICES (bit 0) set, 8042 (bit 1) clear (no keyboard: only the
 * reset command and idle status reads are emulated), VGA Not Present
 * (bit 2) set, MSI Not Supported (bit 3) set, CMOS RTC Not Present (bit 5)
 * clear.
 */
#define GUEST_IAPC_BOOT_ARCH (BIT(0) | BIT(2) | BIT(3))

/* ---- IOAPIC (82093AA datasheet) ---------------------------------------------------- */

#define GUEST_IOAPIC_ADDR     0xfec00000ULL
#define GUEST_IOAPIC_SIZE     0x1000 /* one page of MMIO; IOREGSEL at +0, IOWIN at +0x10 */
#define GUEST_IOAPIC_ID	      0
#define GUEST_IOAPIC_GSI_BASE 0
#define GUEST_IOAPIC_PINS     24 /* version register: max redirection entry 23 */

/*
 * ISA IRQs: identity-mapped to GSIs (edge, active high, the ISA default)
 * except IRQ 0, which the MADT overrides to GSI 2 (INTI flags 0: conforms to
 * the bus), as on a PC; and IRQ 9 (the SCI, above).
 */
#define GUEST_PIT_IRQ	     0
#define GUEST_PIT_GSI	     2
#define GUEST_PIT_INTI_FLAGS 0x0000
#define GUEST_COM1_IRQ	     4 /* the virtual 16550 at 0x3f8: GSI 4, edge, active high */
#define GUEST_COM1_GSI	     4
#define GUEST_RTC_IRQ	     8 /* never raised: the RTC has no interrupts here */

/* ---- legacy devices -------------------------------------------------------------- */

#define GUEST_PIC_MASTER      0x20 /* 8259A pair: present, always masked, never delivers */
#define GUEST_PIC_SLAVE	      0xa0
#define GUEST_ELCR_PORT	      0x4d0 /* edge/level control, 0x4d0-0x4d1 */
#define GUEST_PIT_PORT	      0x40  /* 8254 PIT, 0x40-0x43 */
#define GUEST_PIT_HZ	      1193182ULL
#define GUEST_SYS_CTRL_B_PORT 0x61 /* NMI status / control: PIT channel 2 gate and output */
#define GUEST_RTC_PORT	      0x70 /* MC146818 RTC/CMOS index 0x70, data 0x71 */
#define GUEST_RTC_CENTURY     0x32 /* CMOS century byte (FADT CENTURY = 0x32) */

/*
 * PCI configuration mechanism #1 (PCI Local Bus 3.0, 3.2.2.3.2) only: no
 * MMCONFIG, so no MCFG table. One host bridge at 00:00.0 with the Intel
 * 82441FX (440FX) identity; every other function reads as absent.
 */
#define GUEST_PCI_CONF_ADDR   0xcf8
#define GUEST_PCI_CONF_DATA   0xcfc
#define GUEST_PCI_HB_VENDOR   0x8086
#define GUEST_PCI_HB_DEVICE   0x1237
#define GUEST_PCI_HB_REVISION 0x02
#define GUEST_PCI_HB_CLASS    0x060000 /* bridge, host bridge, prog-if 0 */

#endif
