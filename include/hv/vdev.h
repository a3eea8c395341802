/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Emulated devices: per-guest registries of port-I/O and MMIO devices, and
 * the configured port passthrough ranges. The vCPU layer routes an I/O exit
 * here: an emulated device if one claims the port, else a passthrough range
 * (the real port), else nothing: reads return all ones, writes are dropped
 * (what an unpopulated ISA bus does). An MMIO access that no device claims is
 * not routed anywhere: the caller treats it as an isolation breach.
 *
 * Devices receive the accessing vCPU (opaque here) so per-CPU devices, the
 * local APIC, can find their state; everything else uses its ctx.
 */
#ifndef HV_VDEV_H
#define HV_VDEV_H

#include <hv/spinlock.h>
#include <hv/types.h>
#include <hv/vplatform.h>

struct vcpu;
struct guest;
struct cfg_guest;

#define VDEV_MAX_PIO  16
#define VDEV_MAX_MMIO 8
#define VDEV_MAX_PASS 16 /* CFG_MAX_PASS */

/*
 * addr is the port, or the guest-physical address, of the access; size is 1,
 * 2, 4 (or 8 for MMIO). Return 0, or a negative errno when the access is a
 * guest error the device cannot absorb (the guest is then stopped).
 */
struct vdev_ops {
	int (*read)(void *ctx, struct vcpu *v, u64 addr, unsigned int size, u64 *val);
	int (*write)(void *ctx, struct vcpu *v, u64 addr, unsigned int size, u64 val);
};

struct vdev {
	const char *name;
	u64 base;
	u64 size;
	const struct vdev_ops *ops;
	void *ctx;
};

struct vdev_range {
	u64 base;
	u64 size;
};

struct vdev_bus {
	u32 pio_count;
	struct vdev pio[VDEV_MAX_PIO];
	u32 mmio_count;
	struct vdev mmio[VDEV_MAX_MMIO];
	u32 pass_count;
	struct vdev_range pass[VDEV_MAX_PASS]; /* passthrough port ranges */
};

void vdev_bus_init(struct vdev_bus *bus);

/* Each returns 0, -EINVAL (empty or wrapping range), -EEXIST (overlap), -ENOSPC (full). */
int vdev_add_pio(struct vdev_bus *bus, const char *name, u16 base, u32 count,
		 const struct vdev_ops *ops, void *ctx);
int vdev_add_mmio(struct vdev_bus *bus, const char *name, gpa_t base, u64 size,
		  const struct vdev_ops *ops, void *ctx);
int vdev_add_pio_passthrough(struct vdev_bus *bus, u16 base, u32 count);

/* Where a port access went. */
enum pio_route {
	PIO_EMULATED,
	PIO_PASSTHROUGH,
	PIO_UNASSIGNED,
	PIO_ERROR, /* a device rejected the access: stop the guest */
};

/* Whether the whole access [port, port + size) is in a passthrough range (vendor bitmaps ask). */
bool vdev_pio_is_passthrough(const struct vdev_bus *bus, u16 port, unsigned int size);

/* Port I/O dispatch; *val is all ones (of size bytes) for an unassigned read. */
enum pio_route vdev_pio_read(struct vdev_bus *bus, struct vcpu *v, u16 port, unsigned int size,
			     u32 *val);
enum pio_route vdev_pio_write(struct vdev_bus *bus, struct vcpu *v, u16 port, unsigned int size,
			      u32 val);

/* The MMIO device claiming gpa, or NULL. */
const struct vdev *vdev_mmio_find(const struct vdev_bus *bus, gpa_t gpa);
/* MMIO dispatch: 0, -ENOENT when no device claims the access, or the device's error. */
int vdev_mmio_read(struct vdev_bus *bus, struct vcpu *v, gpa_t gpa, unsigned int size, u64 *val);
int vdev_mmio_write(struct vdev_bus *bus, struct vcpu *v, gpa_t gpa, unsigned int size, u64 val);

/* Real port access for passthrough (arch/x86/vcpu_hw.c; host tests provide fakes). */
u32 host_pio_read(u16 port, unsigned int size);
void host_pio_write(u16 port, unsigned int size, u32 val);

/* ---- the virtual 16550 (kernel/vdev/vuart.c) ------------------------------------ */

#define VUART_LINE_MAX 160 /* bytes of guest text per emitted line (escapes count 4) */

#define VUART_RX_SIZE 64 /* receive FIFO bytes (the console's input for the guest) */

/* Receives one finished line, "[name] text", NUL-terminated, without newline. */
typedef void (*vuart_sink_fn)(const char *line, size_t len);
struct vuart;
/* The same, told which UART the line came from (the console's multiplexer). */
typedef void (*vuart_source_sink_fn)(struct vuart *u, const char *line, size_t len);

struct vuart {
	char tag[40]; /* "[name] " */
	size_t tag_len;
	u16 base;
	u8 ier, lcr, mcr, scr, dll, dlm;
	size_t len; /* bytes in line after the tag */
	char line[48 + VUART_LINE_MAX];
	spinlock_t lock;      /* the guest's CPU transmits; the console flushes and feeds RX */
	u32 tx_count;	      /* bytes transmitted so far (idle detection) */
	u32 rx_head, rx_tail; /* receive FIFO: head - tail bytes waiting */
	u8 rx[VUART_RX_SIZE];
	u64 rx_bytes, rx_dropped; /* received; lost because the FIFO was full */
	/* Interrupts and the 16550's other registers (vuart_set_irq). */
	u8 fcr;		   /* FIFO control: bit 0 enable, bits 7:6 trigger level */
	bool thre_pending; /* THR-empty interrupt condition, cleared by reading IIR */
	bool irq_level;	   /* what the INTR line (gated by MCR OUT2) drives now */
	void (*irq)(void *ctx, bool level);
	void *irq_ctx;
};

/* Where every guest's lines go (default: printk at LOG_INFO). */
void vuart_set_sink(vuart_sink_fn sink);
/* A source-aware sink replaces the plain one while set (NULL: back to it). */
void vuart_set_source_sink(vuart_source_sink_fn sink);
void vuart_init(struct vuart *u, const char *guest_name, u16 base);
/* Emits a partial line, if any (guest stop, and the console's timed flush). */
void vuart_flush(struct vuart *u);
/*
 * Emits a partial line only if no byte was transmitted since the previous
 * call with the same *seen (the console calls it periodically).
 */
void vuart_flush_if_idle(struct vuart *u, u32 *seen);
/* Queues a byte for the guest to read from RBR: 0, or -ENOSPC when the FIFO is full. */
int vuart_receive(struct vuart *u, u8 c);
/*
 * Connects the UART's interrupt output (INTR AND MCR OUT2, as on a PC) to
 * irq(ctx, level), called on every change of level (an IOAPIC pin).
 */
void vuart_set_irq(struct vuart *u, void (*irq)(void *ctx, bool level), void *ctx);
extern const struct vdev_ops vuart_ops;

/* ---- the test-exit device (kernel/vdev/testexit.c) ------------------------------- */

#define TESTEXIT_PORT 0xf4 /* as QEMU's isa-debug-exit, iobase=0xf4 */
/* ctx: the struct guest; a write of v records exit code v and stops the guest. */
extern const struct vdev_ops testexit_ops;

/* ---- one guest's devices ----------------------------------------------------------- */

struct guest_devices {
	struct vdev_bus bus;
	struct vuart uart;
	struct vplatform platform; /* IOAPIC, PIC, PIT, RTC, PCI, ACPI PM (<hv/vplatform.h>) */
};

/*
 * (Re)initialises a guest's devices from its configuration: the virtual
 * 16550 at cfg->uart_port (if any), the test-exit port, the passthrough port
 * ranges, the PC platform devices (vplatform_init: IOAPIC, PIC, PIT, RTC,
 * PCI, ACPI PM, reset), and the arch devices (arch_vdev_init: the local
 * APIC page).
 */
int guest_devices_init(struct guest_devices *d, struct guest *g, const struct cfg_guest *cfg);

/* Registers the architecture's per-guest devices (arch/x86/vcpu_lapic.c). */
int arch_vdev_init(struct vdev_bus *bus);

#endif
