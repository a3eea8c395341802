/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Starting the application processors and parking them. The boot CPU starts
 * one AP at a time (INIT, 10 ms, SIPI, 200 us, SIPI: Intel SDM Vol. 3A "MP
 * Initialization Protocol Algorithm for MP Systems") and waits for it to
 * check in before reusing the trampoline's parameter block. An AP that does
 * not check in is reported, put back into wait-for-SIPI with another INIT,
 * and left alone.
 */
#include <arch/cpu.h>
#include <arch/gdt.h>
#include <arch/idle.h>
#include <arch/lapic.h>
#include <arch/paging.h>
#include <arch/percpu.h>
#include <arch/smp.h>
#include <arch/tsc.h>
#include <hv/acpi.h>
#include <hv/errno.h>
#include <hv/mm.h>
#include <hv/panic.h>
#include <hv/printk.h>
#include <hv/spinlock.h>
#include <hv/string.h>

#define INIT_DELAY_US	   10000
#define SIPI_DELAY_US	   200
#define CHECKIN_TIMEOUT_US 1000000
#define CHECKIN_POLL_US	   100
#define CALL_POLL_US	   10
#define CALL_TIMEOUT_US	   100000

#define CR3_ADDR_MASK  0x000ffffffffff000ULL
#define CR4_OSXMMEXCPT BIT64(10)
/* CR0 and CR4 bits an AP copies from the boot CPU before paging is on. */
#define AP_CR0_BITS  (CR0_PE | CR0_MP | CR0_ET | CR0_NE | CR0_WP | CR0_PG)
#define AP_CR4_BITS  (CR4_PAE | CR4_PGE | CR4_OSFXSR | CR4_OSXMMEXCPT)
#define AP_EFER_BITS (EFER_SCE | EFER_LME | EFER_NXE)

extern const char trampoline_start[], trampoline_end[], trampoline_params[];

u32 cpus_online;
static spinlock_t call_lock = SPINLOCK_INIT;

struct trampoline {
	hpa_t page;
	struct trampoline_params *params;
};

_Static_assert(__builtin_offsetof(struct trampoline_params, cr3) == TP_CR3, "TP_CR3");
_Static_assert(__builtin_offsetof(struct trampoline_params, cr4) == TP_CR4, "TP_CR4");
_Static_assert(__builtin_offsetof(struct trampoline_params, cr0) == TP_CR0, "TP_CR0");
_Static_assert(__builtin_offsetof(struct trampoline_params, efer) == TP_EFER, "TP_EFER");
_Static_assert(__builtin_offsetof(struct trampoline_params, stack) == TP_STACK, "TP_STACK");
_Static_assert(__builtin_offsetof(struct trampoline_params, percpu) == TP_PERCPU, "TP_PERCPU");
_Static_assert(__builtin_offsetof(struct trampoline_params, entry) == TP_ENTRY, "TP_ENTRY");
_Static_assert(sizeof(struct trampoline_params) == TP_SIZE, "TP_SIZE");

u32 smp_cpus_online(void)
{
	return __atomic_load_n(&cpus_online, __ATOMIC_ACQUIRE);
}

/* ---- the AP side ------------------------------------------------------------ */

/* Sleeps until smp_call_on() hands over work (arch/idle.h: the NMI cannot be missed). */
static __noreturn void ap_park(struct percpu *pc)
{
	for (;;) {
		cpu_work_fn fn;

		__atomic_store_n(&pc->wake, 0, __ATOMIC_SEQ_CST);
		fn = __atomic_load_n(&pc->work, __ATOMIC_ACQUIRE);
		if (fn) {
			void *arg = pc->work_arg;

			__atomic_store_n(&pc->work, NULL, __ATOMIC_RELEASE);
			fn(arg);
			continue;
		}
		cpu_idle_wait(&pc->wake, false);
	}
}

void smp_park(void)
{
	ap_park(this_cpu());
}

static __noreturn void ap_entry(struct percpu *pc)
{
	gdt_idt_init_ap(pc);
	lapic_init_ap();
	__atomic_store_n(&pc->online, 1, __ATOMIC_RELEASE);
	ap_park(pc);
}

/* ---- the trampoline page ---------------------------------------------------- */

/*
 * The hypervisor maps data non-executable, but an AP fetches code from the
 * trampoline page for a few instructions after it turns paging on; that page
 * is executable only while APs start. Without the hypervisor's own tables
 * (-ENODEV) the boot CPU still runs on the firmware's, which in practice
 * leave low memory executable.
 */
static int trampoline_set_exec(struct trampoline *t, bool exec)
{
	int rc = host_paging_map(t->page, PAGE_SIZE, exec ? PT_RWX : PT_RW);

	if (rc == -ENODEV)
		return 0;
	if (rc)
		pr_err("bulkhead: cannot remap the AP trampoline page (%d)", rc);
	return rc;
}

static int trampoline_setup(struct trampoline *t)
{
	size_t size = (size_t)(trampoline_end - trampoline_start);

	ASSERT(size <= PAGE_SIZE);
	if ((read_cr3() & CR3_ADDR_MASK) >= MM_4G) {
		pr_err("bulkhead: page tables above 4 GiB: APs cannot load them in 32-bit mode");
		return -ERANGE;
	}
	t->page = page_alloc(1, 0, PAGE_BELOW_1M);
	if (!t->page) {
		pr_err("bulkhead: no free page below 1 MiB for the AP trampoline");
		return -ENOMEM;
	}
	memcpy(phys_to_virt(t->page), trampoline_start, size);
	t->params = phys_to_virt(t->page + (hpa_t)(trampoline_params - trampoline_start));
	return trampoline_set_exec(t, true);
}

/* ---- starting one AP -------------------------------------------------------- */

static struct percpu *percpu_alloc(u32 index, u32 apic_id)
{
	hpa_t pa = page_alloc(sizeof(struct percpu) / PAGE_SIZE, 0, PAGE_ZERO);
	struct percpu *pc;

	if (!pa)
		return NULL;
	pc = phys_to_virt(pa);
	pc->self = pc;
	pc->cpu_index = index;
	pc->apic_id = apic_id;
	return pc;
}

static void fill_params(struct trampoline_params *p, struct percpu *pc)
{
	p->cr3 = (u32)read_cr3();
	p->cr4 = (u32)(read_cr4() & AP_CR4_BITS);
	p->cr0 = (u32)(read_cr0() & AP_CR0_BITS);
	p->efer = (u32)(rdmsr(MSR_EFER) & AP_EFER_BITS);
	p->stack = percpu_stack_top(pc);
	p->percpu = (u64)(uintptr_t)pc;
	p->entry = (u64)(uintptr_t)ap_entry;
	__atomic_thread_fence(__ATOMIC_SEQ_CST);
}

static bool wait_online(struct percpu *pc, u64 timeout_us)
{
	for (u64 waited = 0; waited < timeout_us; waited += CHECKIN_POLL_US) {
		if (__atomic_load_n(&pc->online, __ATOMIC_ACQUIRE))
			return true;
		tsc_delay_us(CHECKIN_POLL_US);
	}
	return __atomic_load_n(&pc->online, __ATOMIC_ACQUIRE);
}

/* INIT, 10 ms, SIPI, 200 us, SIPI (the second one only if the first did not start it). */
static bool wake_ap(struct percpu *pc, hpa_t page)
{
	u8 vector = (u8)(page >> PAGE_SHIFT);

	if (lapic_send_init(pc->apic_id))
		return false;
	tsc_delay_us(INIT_DELAY_US);
	for (int i = 0; i < 2; i++) {
		if (lapic_send_sipi(pc->apic_id, vector))
			return false;
		if (wait_online(pc, SIPI_DELAY_US))
			return true;
	}
	return wait_online(pc, CHECKIN_TIMEOUT_US);
}

static void start_ap(struct trampoline *t, u32 index, u32 apic_id)
{
	struct percpu *pc = NULL;

	if (t && index < MAX_CPUS)
		pc = percpu_alloc(index, apic_id);
	if (pc) {
		fill_params(t->params, pc);
		percpu_by_index[index] = pc;
		if (wake_ap(pc, t->page)) {
			__atomic_fetch_add(&cpus_online, 1, __ATOMIC_RELEASE);
			pr_info("bulkhead: CPU %u (APIC ID %u) online", index, apic_id);
			return;
		}
		/* Back to wait-for-SIPI, so a late start cannot use the next AP's parameters. */
		lapic_send_init(apic_id);
		percpu_by_index[index] = NULL; /* its memory stays allocated: it may have run */
	}
	pr_err("bulkhead: CPU %u (APIC ID %u) failed to start", index, apic_id);
}

/* ---- bring-up --------------------------------------------------------------- */

static bool bsp_listed(u32 bsp_apic_id)
{
	for (u32 i = 0; i < acpi.cpu_count; i++)
		if (acpi.cpus[i].enabled && acpi.cpus[i].apic_id == bsp_apic_id)
			return true;
	return false;
}

/* Starts every enabled MADT CPU but the boot CPU, in MADT order; returns how many are enabled. */
static u32 start_all_aps(u32 bsp_apic_id)
{
	struct trampoline tramp, *t = trampoline_setup(&tramp) ? NULL : &tramp;
	u32 enabled = bsp_listed(bsp_apic_id) ? 0 : 1, index = 1;

	for (u32 i = 0; i < acpi.cpu_count; i++) {
		const struct acpi_cpu *c = &acpi.cpus[i];

		if (!c->enabled)
			continue;
		enabled++;
		if (c->apic_id != bsp_apic_id)
			start_ap(t, index++, c->apic_id);
	}
	if (t)
		trampoline_set_exec(t, false); /* the page stays ours for later restarts */
	return enabled;
}

void smp_init(void)
{
	struct percpu *bsp = percpu_by_index[0];
	u32 enabled = 1;

	lapic_init();
	bsp->apic_id = lapic_id();
	cpus_online = 1;
	pr_info("bulkhead: boot CPU APIC ID %u, %s mode", bsp->apic_id,
		lapic_x2apic() ? "x2APIC" : "xAPIC");
	if (acpi.cpu_count)
		enabled = start_all_aps(bsp->apic_id);
	else
		pr_warn("bulkhead: no CPUs listed by ACPI: running on the boot CPU only");
	pr_info("bulkhead: %u of %u CPUs online", smp_cpus_online(), enabled);
}

/* ---- work for parked CPUs --------------------------------------------------- */

static int hand_over(struct percpu *pc, cpu_work_fn fn, void *arg)
{
	if (__atomic_load_n(&pc->work, __ATOMIC_ACQUIRE))
		return -EBUSY;
	pc->work_arg = arg;
	__atomic_store_n(&pc->work, fn, __ATOMIC_RELEASE);
	cpu_wake(pc);
	for (u64 waited = 0; waited < CALL_TIMEOUT_US; waited += CALL_POLL_US) {
		tsc_delay_us(CALL_POLL_US);
		if (!__atomic_load_n(&pc->work, __ATOMIC_ACQUIRE))
			return 0;
	}
	return -ETIMEDOUT;
}

int smp_call_on(u32 cpu_index, cpu_work_fn fn, void *arg)
{
	struct percpu *pc = cpu_index < MAX_CPUS ? percpu_by_index[cpu_index] : NULL;
	int rc;

	if (!pc || !pc->online || pc == this_cpu())
		return -ENODEV;
	spin_lock(&call_lock);
	rc = hand_over(pc, fn, arg);
	spin_unlock(&call_lock);
	return rc;
}
