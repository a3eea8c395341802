/* SPDX-License-Identifier: Apache-2.0 */
/*
 * What the console needs from the guest layer (kernel/guest_admin.c), in
 * plain data: the console's commands are host-tested against a fake
 * implementation of this interface. Guests are named by their index
 * (0 .. ga_guest_count()-1). Everything here runs on the console CPU.
 */
#ifndef HV_GUEST_ADMIN_H
#define HV_GUEST_ADMIN_H

#include <arch/vcpu.h>
#include <hv/boot_info.h>
#include <hv/plan.h>
#include <hv/types.h>
#include <hv/vdev.h>

/* Mirrors the guest layer's states (kernel/guest_priv.h). */
enum ga_state {
	GA_CREATED = 0, /* built, never started (autostart = no) */
	GA_RUNNING,
	GA_STOPPED, /* by a fault or the operator */
	GA_EXITED,  /* wrote its exit code to the test-exit port */
	GA_FAILED,  /* could not be built or reloaded */
};

struct ga_guest {
	const char *name;
	enum ga_state state;
	bool active; /* its vCPUs have not all finished yet */
	u32 exit_code;
	u32 restarts;
	const char *stop_reason;
	u64 uptime_us; /* since its latest (re)start; 0 when it never ran */
	char cpus[64]; /* "1-2,5" */
	u32 vcpu_count;
	const struct cfg_guest *cfg;
	const struct plan_guest *plan;
	const struct vdev_bus *bus;
	const struct vuart *uart; /* NULL without a virtual UART */
};

u32 ga_guest_count(void);
/* The index of the guest called name, or -ENOENT. */
int ga_guest_find(const char *name);
int ga_guest_get(u32 idx, struct ga_guest *out);
/* The index of the guest owning this virtual UART, or -ENOENT. */
int ga_guest_of_uart(const struct vuart *u);

/*
 * Operator actions. 0, or: -EINVAL (stop: not running), -EBUSY (start: it
 * is running), -EIO (reload failed), -ETIMEDOUT (its CPUs did not answer).
 * Each waits until the action is complete (the guest has ended, or been
 * launched again). restart scrubs its memory and reloads the pristine image.
 */
int ga_stop(u32 idx);
int ga_start(u32 idx);
int ga_restart(u32 idx);

/*
 * The registers of vCPU `vcpu`: a running vCPU is asked for them (its CPU
 * answers between two guest runs); a stopped one gives those it stopped
 * with (*live = false). -ENOENT: no such vCPU; -ENOSYS: it never ran;
 * -ETIMEDOUT: its CPU did not answer.
 */
int ga_regs(u32 idx, u32 vcpu, struct vcpu_snapshot *out, bool *live);
/* vCPU's state name: "running", "halted", "wait-for-sipi", "stopped". */
const char *ga_vcpu_state(u32 idx, u32 vcpu);

/* Exit counters of a vCPU since its guest started and since the last reset. */
int ga_exit_stats(u32 idx, u32 vcpu, struct exit_stats *total, struct exit_stats *since_reset);
void ga_stats_reset(void);

/* Physical CPUs. */
struct ga_cpu {
	u32 index;
	u32 apic_id;
	bool online;
	const char *owner; /* guest name, NULL: the hypervisor's */
	u32 vcpu;	   /* the owner's vCPU index */
};
u32 ga_cpu_count(void);
int ga_cpu_get(u32 index, struct ga_cpu *out);

/* The normalised memory map and its type names (mm). */
const struct boot_mem_range *ga_memmap(u32 *count);
const char *ga_mem_type_name(u32 type);

/* Console input for a guest's virtual UART: 0 or -ENOSPC (FIFO full) / -ENODEV. */
int ga_uart_input(u32 idx, u8 c);
/* Flushes each guest's partial output line that saw no new byte since the previous call. */
void ga_uart_flush_idle(void);

#endif
