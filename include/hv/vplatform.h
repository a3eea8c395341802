/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The emulated PC platform devices of one guest (kernel/vdev/v*.c): the
 * IOAPIC, the 8259 pair, the 8254 PIT with port 0x61, the RTC/CMOS, PCI
 * configuration mechanism #1 with a host bridge, the ACPI PM block, and the
 * reset paths (0xCF9, the keyboard controller). Ports and addresses are in
 * <hv/guest_platform.h>; guest_devices_init() registers them all.
 *
 * Time: the PIT, the PM timer and the RTC derive their counters from the
 * host TSC through vdev_now()/vdev_clock_hz() (kernel/vdev/clock.c), which
 * host tests replace with a fake clock.
 */
#ifndef HV_VPLATFORM_H
#define HV_VPLATFORM_H

#include <hv/guest_platform.h>
#include <hv/spinlock.h>
#include <hv/types.h>

struct guest;
struct vdev_bus;
struct vdev_ops;

/* The TSC now, and its frequency in Hz (never 0). */
u64 vdev_now(void);
u64 vdev_clock_hz(void);

/* ---- IOAPIC (kernel/vdev/vioapic.c) ------------------------------------------------ */

struct vioapic {
	spinlock_t lock; /* vCPUs (MMIO, EOI) and the console CPU (UART input) */
	struct guest *g;
	u32 regsel;		    /* IOREGSEL */
	u32 id;			    /* ID register bits 27:24 */
	u32 line;		    /* asserted input pins, one bit each */
	u64 rte[GUEST_IOAPIC_PINS]; /* redirection table */
};

void vioapic_init(struct vioapic *io, struct guest *g);
/* Drives input pin (GSI - base) to level (true: asserted); an edge pin fires on 0 -> 1. */
void vioapic_set_irq(struct vioapic *io, u32 pin, bool level);
/* The redirection entry of pin (tests, the console). */
u64 vioapic_rte(struct vioapic *io, u32 pin);
extern const struct vdev_ops vioapic_ops; /* MMIO at GUEST_IOAPIC_ADDR, ctx: struct vioapic */

/* ---- 8259A pair (kernel/vdev/vpic.c): accepted, masked, never delivers ------------- */

struct vpic_chip {
	u8 imr, irr, isr;
	u8 icw_step; /* 0: ready for OCWs; 2-4: next ICW expected */
	bool icw4_needed, single, read_isr;
	u8 vector_base, icw3, icw4;
};

struct vpic {
	struct vpic_chip chip[2]; /* master (0x20), slave (0xa0) */
	u8 elcr[2];		  /* 0x4d0, 0x4d1 */
};

void vpic_init(struct vpic *p);
extern const struct vdev_ops vpic_ops;	/* ports 0x20-0x21 and 0xa0-0xa1, ctx: struct vpic */
extern const struct vdev_ops velcr_ops; /* ports 0x4d0-0x4d1, ctx: struct vpic */

/* ---- 8254 PIT and port 0x61 (kernel/vdev/vpit.c) ----------------------------------- */

struct vpit_channel {
	u8 mode;	/* 0-5 */
	u8 access;	/* 1 LSB, 2 MSB, 3 LSB then MSB */
	u8 bcd;		/* stored, counting is binary */
	bool write_msb; /* next write of access 3 is the MSB */
	bool read_msb;	/* next read of access 3 is the MSB */
	bool latched;	/* a latch command froze the count */
	bool status_latched;
	u8 status;
	u16 latch;
	u16 reload;    /* 0 means 0x10000 */
	u8 reload_lsb; /* LSB held until the MSB arrives */
	bool armed;    /* a count was loaded (mode 0 output starts low) */
	u64 start;     /* PIT ticks at the load (or gate rise) */
	u64 frozen;    /* PIT ticks elapsed while the gate was low (channel 2) */
};

struct vpit {
	spinlock_t lock;
	struct vpit_channel ch[3];
	u64 irq0_edges; /* IRQ 0 edges raised since channel 0 was loaded */
	bool gate2;	/* port 0x61 bit 0 */
	bool speaker;	/* port 0x61 bit 1 */
	u64 gate_off;	/* PIT tick when gate 2 fell (valid while !gate2) */
};

void vpit_init(struct vpit *p);
/* PIT ticks (1.193182 MHz) since an arbitrary origin, from the TSC. */
u64 vpit_ticks(void);
/*
 * Channel 0's OUT is IRQ 0, which the platform routes to IOAPIC pin
 * GUEST_PIT_GSI: raises the edges due by now (several missed ones make one,
 * as a PC's edge-triggered line would) and returns the TSC time of the next
 * one, 0 for none. The guest's boot vCPU calls it before each entry and from
 * its halted wait.
 */
u64 vpit_poll(struct vpit *p, struct vioapic *io);
extern const struct vdev_ops vpit_ops;	  /* ports 0x40-0x43, ctx: struct vpit */
extern const struct vdev_ops vport61_ops; /* port 0x61, ctx: struct vpit */

/* ---- RTC/CMOS (kernel/vdev/vrtc.c) ------------------------------------------------- */

#define VRTC_CMOS_SIZE 128

struct vrtc {
	spinlock_t lock;
	u8 index;
	u8 cmos[VRTC_CMOS_SIZE]; /* NVRAM and the control registers; the clock is computed */
	u64 epoch;		 /* seconds since 1970 at vdev_now() == 0 */
	bool nvram_valid;	 /* initialised once: bytes 0x0e-0x7f survive a re-init */
};

/*
 * memory: the guest's RAM size in bytes (CMOS memory fields). A second call
 * on the same struct (reset, restart) keeps the NVRAM, as a battery would.
 */
void vrtc_init(struct vrtc *r, u64 memory);
/* Days since 1970-01-01 to a date (tests). */
void vrtc_civil(u64 days, u32 *year, u32 *month, u32 *day);
extern const struct vdev_ops vrtc_ops; /* ports 0x70-0x71, ctx: struct vrtc */

/* ---- PCI configuration mechanism #1 and 0xCF9 (kernel/vdev/vpci.c) ---------------- */

struct vpci {
	spinlock_t lock;
	struct guest *g;
	u32 addr; /* CONFIG_ADDRESS (0xCF8) */
	u8 rcr;	  /* reset control register (0xCF9) */
};

void vpci_init(struct vpci *p, struct guest *g);
extern const struct vdev_ops vpci_ops; /* ports 0xcf8-0xcff, ctx: struct vpci */

/* ---- ACPI PM block (kernel/vdev/vpm.c) --------------------------------------------- */

struct vpm {
	spinlock_t lock;
	struct guest *g;
	u16 sts, en, cnt;
};

void vpm_init(struct vpm *p, struct guest *g);
/* The PM timer value now (32 bits). */
u32 vpm_timer(void);
extern const struct vdev_ops vpm_ops; /* ports 0x600-0x60f, ctx: struct vpm */

/* ---- keyboard controller, reset only (kernel/vdev/vkbc.c) -------------------------- */

/* ctx: the struct guest. 0x60 reads 0 (no data); 0x64 reads "idle"; 0x64 <- 0xFE resets. */
extern const struct vdev_ops vkbc_ops;

/* ---- all of them -------------------------------------------------------------------- */

struct vplatform {
	struct vioapic ioapic;
	struct vpic pic;
	struct vpit pit;
	struct vrtc rtc;
	struct vpci pci;
	struct vpm pm;
};

/*
 * Initialises every platform device and registers it on bus. A port range
 * that the configuration passes through to the guest keeps the real
 * hardware: the emulated device is then left out. memory: the guest's RAM.
 */
int vplatform_init(struct vplatform *p, struct vdev_bus *bus, struct guest *g, u64 memory);

#endif
