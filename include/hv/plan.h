/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Partition plan: from a validated configuration and the machine, where each
 * guest's memory lies in host-physical memory, how it appears in the guest's
 * physical address space, where shared regions lie, and which CPU runs what.
 * plan_build is deterministic: the same inputs give the same plan, at boot
 * and in the offline checker.
 *
 * Guest-physical layout of every guest (a standard PC, docs/config.md):
 *	[0, 0xa0000)		RAM
 *	[0xa0000, 0x100000)	legacy VGA/ROM hole (backed, reported reserved)
 *	[0x100000, low_end)	RAM, low_end <= PLAN_GPA_MMIO32 (3 GiB)
 *	[3 GiB, 4 GiB)		32-bit MMIO window; shared regions at its bottom
 *	[4 GiB, high_end)	the rest of the RAM, if any
 * The guest's memory is one linear run of bytes that fills these RAM ranges
 * in order; extents map that run onto host memory.
 */
#ifndef HV_PLAN_H
#define HV_PLAN_H

#include <hv/config.h>

#define PLAN_GPA_LEGACY_HOLE 0xa0000ULL
#define PLAN_GPA_LOW_RAM     0x100000ULL
#define PLAN_GPA_MMIO32	     0xc0000000ULL
#define PLAN_GPA_HIGH	     0x100000000ULL

#define PLAN_MAX_PIECES	 8		       /* host-physical pieces per guest (fragmentation) */
#define PLAN_MAX_EXTENTS (PLAN_MAX_PIECES + 1) /* + a split at the 3 GiB boundary */
#define PLAN_MAX_FREE	 768
#define PLAN_MAX_ADDR	 (1ULL << 52) /* architectural physical-address limit */
#define PLAN_CPU_PARKED	 0xff

/* guest-physical [gpa, gpa + size) is host-physical [hpa, hpa + size). */
struct plan_extent {
	hpa_t hpa;
	gpa_t gpa;
	u64 size;
};

struct plan_guest {
	char name[CFG_NAME_MAX];
	u32 cfg_index; /* index in config.guests */
	u64 memory;
	gpa_t low_end;	/* end of the RAM below 3 GiB */
	gpa_t high_end; /* end of the RAM above 4 GiB, PLAN_GPA_HIGH if none */
	u64 page_size;	/* the largest page (4K, 2M, 1G) every extent is aligned to */
	u32 extent_count;
	struct plan_extent extents[PLAN_MAX_EXTENTS];
	u32 cpu_count;
	u16 cpus[CFG_MAX_GUEST_CPUS]; /* cpus[0] is the boot CPU */
};

struct plan_shared {
	char name[CFG_NAME_MAX];
	hpa_t hpa;
	gpa_t gpa; /* the same in every guest that maps it */
	u64 size;
	u32 guest_count;
	u8 guests[CFG_MAX_GUESTS]; /* indices into plan.guests */
};

struct plan {
	u32 guest_count;
	struct plan_guest guests[CFG_MAX_GUESTS];
	u32 shared_count;
	struct plan_shared shared[CFG_MAX_SHARED];
	u32 cpu_count;
	u8 cpu_owner[MACHINE_MAX_CPUS]; /* guest index, or PLAN_CPU_PARKED */
	bool has_console_cpu;
	u32 console_cpu;

	/* Scratch: free host memory while planning, sorted, disjoint. */
	u32 free_count;
	struct machine_range free[PLAN_MAX_FREE];
};

/*
 * Builds the plan; reports ram-short (with how much is missing) and
 * plan-fragmented. Returns 0 or -ENOSPC. cfg must have passed config_load
 * and config_check_machine.
 */
int plan_build(const struct config *cfg, const struct machine_desc *machine, struct plan *plan,
	       struct diag_sink *diags);

/* Prints the plan as a table, one line (without newline) per call. */
typedef void (*plan_print_fn)(void *ctx, const char *line);
void plan_print(const struct plan *plan, plan_print_fn print, void *ctx);

#endif
