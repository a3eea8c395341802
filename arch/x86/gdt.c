/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Per-CPU GDT and TSS. Segment descriptor formats: Intel SDM Vol. 3A
 * "Segment Descriptors" (code/data) and "TSS Descriptor in 64-bit Mode"
 * (16 bytes); AMD APM Vol. 2 "Long-Mode Segment Descriptors". In 64-bit mode base and limit of
 * code/data are ignored, but the values are kept flat so the descriptors also read sensibly in VMX
 * host state and for a later return to 32-bit code.
 */
#include <arch/cpu.h>
#include <arch/gdt.h>
#include <arch/idt.h>
#include <arch/percpu.h>
#include <hv/string.h>

#define SEG_LIMIT_FLAT (0xffffULL | (0xfULL << 48)) /* limit 0xfffff (with G: 4 GiB) */
#define SEG_ACCESSED   BIT64(40)		    /* A: set so the CPU never writes the GDT */
#define SEG_RW	       BIT64(41)		    /* readable code / writable data */
#define SEG_CODE       BIT64(43)		    /* type bit 3: code segment */
#define SEG_S	       BIT64(44)		    /* S: code or data (not system) */
#define SEG_P	       BIT64(47)		    /* P: present */
#define SEG_L	       BIT64(53)		    /* L: 64-bit code segment */
#define SEG_DB	       BIT64(54)		    /* D/B: 32-bit default size */
#define SEG_G	       BIT64(55)		    /* G: limit in 4 KiB units */
#define SEG_TYPE_TSS64 (0x9ULL << 40)		    /* available 64-bit TSS */

#define GDT_CODE64                                                                                 \
	(SEG_LIMIT_FLAT | SEG_ACCESSED | SEG_RW | SEG_CODE | SEG_S | SEG_P | SEG_L | SEG_G)
#define GDT_DATA (SEG_LIMIT_FLAT | SEG_ACCESSED | SEG_RW | SEG_S | SEG_P | SEG_DB | SEG_G)

struct percpu *percpu_by_index[MAX_CPUS];
static struct percpu boot_cpu_percpu;

struct __packed gdt_ptr {
	u16 limit;
	u64 base;
};

static void gdt_set_tss(u64 *gdt, const struct tss64 *tss)
{
	u64 base = (u64)(uintptr_t)tss;
	u64 limit = sizeof(*tss) - 1;

	gdt[GDT_SEL_TSS / 8] = (limit & 0xffff) | ((base & 0xffffff) << 16) | SEG_TYPE_TSS64 |
			       SEG_P | (((base >> 24) & 0xff) << 56);
	gdt[GDT_SEL_TSS / 8 + 1] = base >> 32;
}

void gdt_build(struct percpu *pc)
{
	memset(pc->gdt, 0, sizeof(pc->gdt));
	pc->gdt[GDT_SEL_CODE / 8] = GDT_CODE64;
	pc->gdt[GDT_SEL_DATA / 8] = GDT_DATA;

	memset(&pc->tss, 0, sizeof(pc->tss));
	pc->tss.ist[IST_NMI - 1] = (u64)(uintptr_t)(pc->ist_nmi + IST_STACK_SIZE);
	pc->tss.ist[IST_DF - 1] = (u64)(uintptr_t)(pc->ist_df + IST_STACK_SIZE);
	pc->tss.ist[IST_MC - 1] = (u64)(uintptr_t)(pc->ist_mc + IST_STACK_SIZE);
	pc->tss.rsp[0] = percpu_stack_top(pc);
	/* An I/O bitmap base beyond the limit means "no bitmap" (SDM Vol. 1 "I/O Permission Bit
	 * Map"). */
	pc->tss.iomap_base = sizeof(pc->tss);
	gdt_set_tss(pc->gdt, &pc->tss);
}

/*
 * Reloading a segment register clears the hidden base, so GS base is written
 * after the data selectors. CS is reloaded with a far return (no far jump to
 * an absolute address in position-independent code).
 */
void gdt_load(struct percpu *pc)
{
	struct gdt_ptr gp = {.limit = sizeof(pc->gdt) - 1, .base = (u64)(uintptr_t)pc->gdt};

	__asm__ volatile("lgdt %0\n\t"
			 "pushq %1\n\t"
			 "leaq 1f(%%rip), %%rax\n\t"
			 "pushq %%rax\n\t"
			 "lretq\n"
			 "1:\n\t"
			 "mov %2, %%ds\n\t"
			 "mov %2, %%es\n\t"
			 "mov %2, %%ss\n\t"
			 "mov %2, %%fs\n\t"
			 "mov %2, %%gs\n\t"
			 :
			 : "m"(gp), "i"(GDT_SEL_CODE), "r"((u32)GDT_SEL_DATA)
			 : "rax", "memory");
	wrmsr(MSR_GS_BASE, (u64)(uintptr_t)pc);
	__asm__ volatile("ltr %w0" : : "r"((u32)GDT_SEL_TSS) : "memory");
}

static void cpu_tables_init(struct percpu *pc)
{
	pc->self = pc;
	gdt_build(pc);
	gdt_load(pc);
	idt_init();
}

void gdt_idt_init_boot_cpu(void)
{
	struct percpu *pc = &boot_cpu_percpu;

	pc->cpu_index = 0;
	pc->apic_id = cpuid(1, 0).ebx >> 24; /* initial APIC ID; lapic_init() refines it */
	percpu_by_index[0] = pc;
	cpu_tables_init(pc);
	pc->online = 1;
}

void gdt_idt_init_ap(struct percpu *pc)
{
	cpu_tables_init(pc);
}
