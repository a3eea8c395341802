/* SPDX-License-Identifier: Apache-2.0 */
/*
 * A read-only walk of the guest's own page tables, to find the bytes of an
 * intercepted instruction (APM Vol. 2 chapter 5 "Page Translation and
 * Protection": 5.2 32-bit legacy, 5.2.3 PAE, 5.3 long mode). Pure: guest
 * memory is read through a callback; shared by both backends; host-tested by test_svm_insn.c.
 */
#include <arch/guest_walk.h>
#include <hv/errno.h>

#define CR0_PG_BIT   BIT64(31)
#define CR4_PSE_BIT  BIT64(4)
#define CR4_PAE_BIT  BIT64(5)
#define CR4_LA57_BIT BIT64(12)
#define EFER_LMA_BIT BIT64(10)

#define PTE_P	     BIT64(0)		   /* present */
#define PTE_PS	     BIT64(7)		   /* page size (in a PDE or PDPE) */
#define PTE_ADDR     0x000ffffffffff000ULL /* bits 51:12 */
#define PDE32_ADDR   0xfffff000ULL
#define PDE32_4M     0xffc00000ULL /* 4 MiB page base bits 31:22 */
#define PDE32_HI     0x001fe000ULL /* PSE-36/40: base bits 39:32 in 20:13 */
#define PAE_CR3_ADDR 0xffffffe0ULL /* PDPT base in legacy PAE mode */

static int read_entry(guest_gpa_read_fn read, void *ctx, gpa_t gpa, unsigned int size, u64 *out)
{
	u32 v32 = 0;
	int rc;

	if (size == 4) {
		rc = read(ctx, gpa, &v32, 4);
		*out = v32;
		return rc;
	}
	return read(ctx, gpa, out, 8);
}

/* 32-bit paging: two levels of 4-byte entries, 4 MiB pages with CR4.PSE. */
static int walk32(const struct guest_paging *p, u32 la, gpa_t *out, guest_gpa_read_fn read,
		  void *ctx)
{
	u64 pde, pte;

	if (read_entry(read, ctx, (p->cr3 & PDE32_ADDR) + ((la >> 22) & 0x3ff) * 4, 4, &pde))
		return -EFAULT;
	if (!(pde & PTE_P))
		return -ENOENT;
	if ((pde & PTE_PS) && (p->cr4 & CR4_PSE_BIT)) {
		*out = (pde & PDE32_4M) | ((pde & PDE32_HI) << 19) | (la & 0x3fffff);
		return 0;
	}
	if (read_entry(read, ctx, (pde & PDE32_ADDR) + ((la >> 12) & 0x3ff) * 4, 4, &pte))
		return -EFAULT;
	if (!(pte & PTE_P))
		return -ENOENT;
	*out = (pte & PDE32_ADDR) | (la & 0xfff);
	return 0;
}

/* PAE and long mode: 8-byte entries, 9 bits per level below the top. */
static int walk64(const struct guest_paging *p, u64 la, gpa_t *out, guest_gpa_read_fn read,
		  void *ctx)
{
	bool lma = p->efer & EFER_LMA_BIT;
	int level = lma ? ((p->cr4 & CR4_LA57_BIT) ? 4 : 3) : 2;
	u64 table = lma ? (p->cr3 & PTE_ADDR) : (p->cr3 & PAE_CR3_ADDR);

	for (; level >= 0; level--) {
		unsigned int shift = 12 + 9 * (unsigned int)level;
		u64 index = (la >> shift) & (level == 2 && !lma ? 3 : 0x1ff);
		u64 e;

		if (read_entry(read, ctx, table + index * 8, 8, &e))
			return -EFAULT;
		if (!(e & PTE_P))
			return -ENOENT;
		/* PS in a PDE (2 MiB) or, in long mode, a PDPE (1 GiB); never in PAE's PDPTE. */
		if (level == 0 || (level <= 2 && (e & PTE_PS) && (level == 1 || lma))) {
			u64 page = 1ULL << shift;
			*out = (e & PTE_ADDR & ~(page - 1)) | (la & (page - 1));
			return 0;
		}
		table = e & PTE_ADDR;
	}
	return -EFAULT;
}

int guest_walk(const struct guest_paging *p, u64 la, gpa_t *out, guest_gpa_read_fn read, void *ctx)
{
	if (!(p->cr0 & CR0_PG_BIT)) {
		*out = la & 0xffffffffULL; /* no paging: linear is physical, 32 bits wide */
		return 0;
	}
	if (!(p->cr4 & CR4_PAE_BIT))
		return walk32(p, (u32)la, out, read, ctx);
	return walk64(p, la, out, read, ctx);
}
