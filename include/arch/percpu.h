/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Per-CPU data: one page-aligned struct per CPU holding everything that CPU
 * owns (its GDT, TSS, IST stacks and stack), the SimpleVisor model. The boot
 * CPU's struct is static (it is needed before the page allocator exists); the
 * APs' structs are allocated by smp_init() before each AP starts. GS base
 * (MSR_GS_BASE) points at the running CPU's struct, whose first field points
 * to itself, so this_cpu() is one load.
 */
#ifndef ARCH_PERCPU_H
#define ARCH_PERCPU_H

#include <hv/compiler.h>
#include <hv/types.h>

struct vcpu;

#define MAX_CPUS 64

#define GDT_ENTRIES    8
#define IST_STACK_SIZE (8 * 1024)
#define CPU_STACK_SIZE (16 * 1024)

/* 64-bit TSS (Intel SDM Vol. 3A "Task Management in 64-bit Mode";
 * AMD APM Vol. 2 "64-Bit Task State Segment"). */
struct tss64 {
	u32 reserved0;
	u64 rsp[3];
	u64 reserved1;
	u64 ist[7];
	u64 reserved2;
	u16 reserved3;
	u16 iomap_base;
} __packed;

/* A parked CPU runs `work(arg)` once when another CPU sets `work` (smp_call_on). */
typedef void (*cpu_work_fn)(void *arg);

struct percpu {
	struct percpu *self; /* must stay first: this_cpu() reads %gs:0 */
	u32 cpu_index;	     /* 0 = boot CPU, then MADT order */
	u32 apic_id;
	volatile u32 online;
	u32 exc_depth; /* exceptions being reported on this CPU (nested-fault guard) */
	cpu_work_fn volatile work;
	void *volatile work_arg;
	volatile u32 wake; /* set by cpu_wake() before its NMI (arch/idle.h) */
	/*
	 * The hypervisor tick (arch/tick.h): while this CPU runs a vCPU, its loop
	 * calls tick_fn(tick_arg) between guest runs every 1/HV_TICK_HZ s and
	 * the backend leaves the guest in time for it. Set from any CPU.
	 */
	cpu_work_fn volatile tick_fn;
	void *volatile tick_arg;
	u64 tick_next;		/* TSC of the next tick; owned by this CPU */
	struct vcpu *tick_vcpu; /* the vCPU whose loop is inside tick_fn now, or NULL */
	u64 gdt[GDT_ENTRIES] __aligned(16);
	struct tss64 tss __aligned(16);
	u8 ist_nmi[IST_STACK_SIZE] __aligned(PAGE_SIZE);
	u8 ist_df[IST_STACK_SIZE] __aligned(PAGE_SIZE);
	u8 ist_mc[IST_STACK_SIZE] __aligned(PAGE_SIZE);
	u8 stack[CPU_STACK_SIZE] __aligned(PAGE_SIZE);
} __aligned(PAGE_SIZE);

/* Every started CPU by index; NULL for slots not (yet) started. */
extern struct percpu *percpu_by_index[MAX_CPUS];
extern u32 cpus_online;

static inline struct percpu *this_cpu(void)
{
	struct percpu *p;

	__asm__ volatile("mov %%gs:0, %0" : "=r"(p));
	return p;
}

static inline u64 percpu_stack_top(struct percpu *pc)
{
	return (u64)(uintptr_t)(pc->stack + CPU_STACK_SIZE);
}

#endif
