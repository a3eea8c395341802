/* SPDX-License-Identifier: Apache-2.0 */
/* struct guest and the guest layer's internal interfaces (kernel/guest*.c only). */
#ifndef KERNEL_GUEST_PRIV_H
#define KERNEL_GUEST_PRIV_H

#include <arch/paging.h>
#include <arch/vcpu.h>
#include <hv/boot_info.h>
#include <hv/config.h>
#include <hv/guest.h>
#include <hv/guest_mem.h>
#include <hv/plan.h>
#include <hv/vcpu_state.h>
#include <hv/vdev.h>

enum guest_state {
	GUEST_CREATED = 0, /* built, not started (autostart = no) */
	GUEST_RUNNING,
	GUEST_STOPPED, /* stopped by a fault or the operator */
	GUEST_EXITED,  /* wrote its exit code to the test-exit port */
	GUEST_FAILED,  /* could not be built: never runs */
};

struct guest {
	const struct cfg_guest *cfg;
	const struct plan_guest *plan;
	const struct plan *whole_plan; /* plan == &whole_plan->guests[plan_index] */
	u32 plan_index;
	const struct boot_file *image; /* the pristine copy loaded at boot */
	const struct boot_info *boot;  /* the loaded files: multiboot modules are found there */
	volatile u32 state;	       /* enum guest_state */
	volatile u32 stopping;	       /* set once per run by the first guest_stop */
	volatile u32 vcpus_running;
	volatile bool active; /* from launch until its end is fully handled */
	bool restart_requested;
	u32 exit_code;
	u32 restarts;
	char stop_reason[96];
	u64 started_tsc;

	struct guest_mem mem;
	struct pt sl; /* second-level tables (EPT or NPT) */
	struct vcpu_init_state boot_state;
	struct guest_devices devices;
	u32 vcpu_count;
	struct vcpu vcpus[CFG_MAX_GUEST_CPUS];
	u32 pcpu[CFG_MAX_GUEST_CPUS]; /* physical CPU index of each vCPU */
};

extern struct guest guests[CFG_MAX_GUESTS];
extern u32 guest_count;

/* kernel/guest_build.c */
int guest_build_memory(struct guest *g);
int guest_load_image(struct guest *g);

/* kernel/guest_run.c: start again (reload: scrub and reload the image first). */
int guest_relaunch(struct guest *g, bool reload);

/* kernel/guest.c */
void guest_print_stats(struct guest *g);
void guest_format_cpus(const struct guest *g, char *buf, size_t size);

#endif
