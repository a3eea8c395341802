/* SPDX-License-Identifier: Apache-2.0 */
/* Architectural start states (include/hv/vcpu_state.h). Pure: host-tested. */
#include <hv/string.h>
#include <hv/vcpu_state.h>

/* CR0 after reset/INIT: CD, NW and ET set (SDM Vol. 3A, register state after reset). */
#define CR0_RESET  0x60000010ULL
#define DR7_RESET  0x400ULL
#define REAL_LIMIT 0xffffU

static void real_segment(struct segment *s, u16 sel, u64 base, u32 type)
{
	s->sel = sel;
	s->base = base;
	s->limit = REAL_LIMIT;
	s->ar = type | SEG_AR_S | SEG_AR_P;
}

void vcpu_state_reset(struct vcpu_init_state *s, u32 signature)
{
	memset(s, 0, sizeof(*s));
	s->gpr[GPR_RDX] = signature;
	s->rip = 0xfff0;
	s->rflags = RFLAGS_FIXED;
	s->cr0 = CR0_RESET;
	s->dr7 = DR7_RESET;
	for (unsigned int i = SEG_ES; i <= SEG_GS; i++)
		real_segment(&s->seg[i], 0, 0, SEG_TYPE_DATA_RW_A);
	real_segment(&s->seg[SEG_CS], 0xf000, 0xffff0000ULL, SEG_TYPE_CODE_RX_A);
	s->seg[SEG_LDTR].limit = REAL_LIMIT;
	s->seg[SEG_LDTR].ar = SEG_TYPE_LDT | SEG_AR_P;
	/*
	 * After INIT the SDM gives TR only "present, R/W" (Vol. 3A Table 9-1). A
	 * 32/64-bit busy TSS type is chosen: VM entry accepts it in every mode
	 * (Vol. 3C 26.3.1.2), and a CPU model that refuses to enter long mode
	 * with a 16-bit TSS in TR (Bochs does) lets an AP's trampoline through.
	 */
	s->seg[SEG_TR].limit = REAL_LIMIT;
	s->seg[SEG_TR].ar = SEG_TYPE_TSS32_BUSY | SEG_AR_P;
	s->gdtr.limit = REAL_LIMIT;
	s->idtr.limit = REAL_LIMIT;
}

void vcpu_state_sipi(struct vcpu_init_state *s, u32 signature, u8 vector)
{
	vcpu_state_reset(s, signature);
	s->seg[SEG_CS].sel = (u16)(vector << 8);
	s->seg[SEG_CS].base = (u64)vector << 12;
	s->rip = 0;
}

static void flat_segment(struct segment *s, u16 sel, u32 type)
{
	s->sel = sel;
	s->base = 0;
	s->limit = 0xffffffffU;
	s->ar = type | SEG_AR_S | SEG_AR_P | SEG_AR_DB | SEG_AR_G;
}

/* Selectors as if from a GDT with code at 0x08 and data at 0x10 (Multiboot 3.2
 * leaves the GDT undefined: the guest must load its own before reloading). */
void vcpu_state_flat32(struct vcpu_init_state *s, u32 entry)
{
	vcpu_state_reset(s, 0);
	s->gpr[GPR_RDX] = 0;
	s->rip = entry;
	s->cr0 = 0x11; /* PE, ET */
	for (unsigned int i = SEG_ES; i <= SEG_GS; i++)
		flat_segment(&s->seg[i], 0x10, SEG_TYPE_DATA_RW_A);
	flat_segment(&s->seg[SEG_CS], 0x08, SEG_TYPE_CODE_RX_A);
	s->seg[SEG_TR].ar = SEG_TYPE_TSS32_BUSY | SEG_AR_P;
}
