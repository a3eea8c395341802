/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Guest memory by guest-linear address: the instruction bytes at CS:RIP for
 * the MMIO decoder (neither VMX, for EPT violations, nor SVM without decode
 * assists, QEMU TCG, gives them), and the memory operand of INS/OUTS. The
 * linear address goes through the guest's own page tables (arch/guest_walk.h),
 * every guest-physical access through its second-level tables, with their
 * permissions: a guest can only make us read or write its own memory. The
 * guest's own page permissions are not checked (the walk is read-only).
 */
#include <arch/guest_walk.h>
#include <arch/paging.h>
#include <arch/vcpu.h>
#include <arch/vcpu_vendor.h>
#include <hv/errno.h>
#include <hv/mm.h>
#include <hv/string.h>

#define EFER_LMA_BIT BIT64(10)

static void *sl_virt(void *ctx, hpa_t table)
{
	return phys_to_virt(table);
}

/* len bytes at gpa, within one page, that the second-level tables let the guest access. */
static void *gpa_ptr(const struct pt *sl, gpa_t gpa, unsigned int len, bool write)
{
	struct pt_mapping m;

	if ((gpa & PAGE_MASK) != ((gpa + len - 1) & PAGE_MASK))
		return NULL;
	if (pt_lookup(sl, gpa, &m) || !(m.attrs & PT_READ) || (write && !(m.attrs & PT_WRITE)))
		return NULL;
	return phys_to_virt(m.pa); /* m.pa translates gpa itself */
}

static int read_gpa(void *arg, gpa_t gpa, void *buf, unsigned int len)
{
	void *src = gpa_ptr(arg, gpa, len, false);

	if (!src)
		return -EFAULT;
	memcpy(buf, src, len);
	return 0;
}

struct guest_mem {
	struct pt sl;
	struct guest_paging paging;
};

static void guest_mem_init(struct vcpu *v, struct guest_mem *gm)
{
	struct sl_format_info info;

	vcpu_sl_format(&info);
	gm->sl = (struct pt){.root = vcpu_ops->sl_root(v),
			     .mem = {.phys_to_virt = sl_virt},
			     .fmt = info.fmt,
			     .leaf_levels = info.leaf_levels};
	gm->paging = (struct guest_paging){
		vcpu_ops->get_reg(v, VCPU_REG_CR0), vcpu_ops->get_reg(v, VCPU_REG_CR3),
		vcpu_ops->get_reg(v, VCPU_REG_CR4), vcpu_ops->get_reg(v, VCPU_REG_EFER)};
}

int vcpu_linear_copy(struct vcpu *v, u64 la, void *buf, unsigned int len, bool write)
{
	struct guest_mem gm;
	u8 *b = buf;

	guest_mem_init(v, &gm);
	while (len) {
		unsigned int chunk = PAGE_SIZE - (unsigned int)(la & (PAGE_SIZE - 1));
		gpa_t gpa;
		void *p;

		if (chunk > len)
			chunk = len;
		if (guest_walk(&gm.paging, la, &gpa, read_gpa, &gm.sl))
			return -EFAULT;
		p = gpa_ptr(&gm.sl, gpa, chunk, write);
		if (!p)
			return -EFAULT;
		if (write)
			memcpy(p, b, chunk);
		else
			memcpy(b, p, chunk);
		la += chunk;
		b += chunk;
		len -= chunk;
	}
	return 0;
}

unsigned int vcpu_fetch_insn(struct vcpu *v, u8 *buf, unsigned int max, enum decode_mode *mode)
{
	struct guest_mem gm;
	struct segment cs;
	u64 rip = vcpu_ops->get_reg(v, VCPU_REG_RIP);
	unsigned int n;
	bool code64;

	guest_mem_init(v, &gm);
	vcpu_ops->get_segment(v, SEG_CS, &cs);
	code64 = (gm.paging.efer & EFER_LMA_BIT) && (cs.ar & SEG_AR_L);
	*mode = code64 ? DECODE_64 : (cs.ar & SEG_AR_DB) ? DECODE_32 : DECODE_16;
	for (n = 0; n < max; n++) {
		u64 la = (code64 ? 0 : cs.base) + rip + n;
		gpa_t gpa;

		if (!code64)
			la &= 0xffffffffULL;
		if (guest_walk(&gm.paging, la, &gpa, read_gpa, &gm.sl) ||
		    read_gpa(&gm.sl, gpa, &buf[n], 1))
			break;
	}
	return n;
}
