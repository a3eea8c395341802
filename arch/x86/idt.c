/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The IDT, shared by all CPUs. Gate format: Intel SDM Vol. 3A "64-Bit Mode
 * IDT" (16-byte interrupt gates); AMD APM Vol. 2 "Long-Mode Interrupt
 * Control Transfers". Interrupt gates (not trap gates) so IF stays clear in
 * every handler.
 */
#include <arch/gdt.h>
#include <arch/idt.h>
#include <arch/lapic.h>
#include <hv/compiler.h>

#define IDT_ENTRIES 256

#define GATE_SELECTOR_SHIFT 16
#define GATE_IST_SHIFT	    32
#define GATE_TYPE_INTR64    (0xeULL << 40) /* 64-bit interrupt gate */
#define GATE_P		    BIT64(47)	   /* P: present */

struct idt_gate {
	u64 lo, hi;
};

struct __packed idt_ptr {
	u16 limit;
	u64 base;
};

extern const char exception_stubs[];
extern const char lapic_irq_stub[];

static struct idt_gate idt[IDT_ENTRIES] __aligned(PAGE_SIZE);
static bool idt_built;

static struct idt_gate make_gate(u64 handler, unsigned ist)
{
	struct idt_gate g;

	g.lo = (handler & 0xffff) | ((u64)GDT_SEL_CODE << GATE_SELECTOR_SHIFT) |
	       ((u64)ist << GATE_IST_SHIFT) | GATE_TYPE_INTR64 | GATE_P |
	       (((handler >> 16) & 0xffff) << 48);
	g.hi = handler >> 32;
	return g;
}

static u64 stub_address(unsigned slot)
{
	return (u64)(uintptr_t)exception_stubs + (u64)slot * EXC_STUB_ALIGN;
}

/* NMI, #DF and #MC can arrive with a bad RSP: give them known-good IST stacks. */
static unsigned ist_for(unsigned vector)
{
	switch (vector) {
	case EXC_NMI:
		return IST_NMI;
	case EXC_DF:
		return IST_DF;
	case EXC_MC:
		return IST_MC;
	default:
		return 0;
	}
}

static void idt_build(void)
{
	for (unsigned v = 0; v < EXC_COUNT; v++)
		idt[v] = make_gate(stub_address(v), ist_for(v));
	/*
	 * Interrupts: the hypervisor tick (LAPIC_TICK_VECTOR), taken on the
	 * hypervisor's own stack in a window it opens, and any vector nobody
	 * should send, ended and dropped, never fatal (arch/lapic.h).
	 */
	for (unsigned v = EXC_COUNT; v < IDT_ENTRIES; v++)
		idt[v] = make_gate((u64)(uintptr_t)lapic_irq_stub, 0);
	idt[VEC_SPURIOUS] = make_gate(stub_address(EXC_SLOT_SPURIOUS), 0);
	idt_built = true;
}

void idt_load(void)
{
	struct idt_ptr ip = {.limit = sizeof(idt) - 1, .base = (u64)(uintptr_t)idt};

	__asm__ volatile("lidt %0" : : "m"(ip) : "memory");
}

/* The boot CPU builds the table before any AP starts; APs only load it. */
void idt_init(void)
{
	if (!idt_built)
		idt_build();
	idt_load();
}
