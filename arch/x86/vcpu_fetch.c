/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Reading the guest's instruction bytes at CS:RIP, for the MMIO decoder:
 * neither VMX (no instruction length for EPT violations) nor SVM without
 * decode assists (QEMU TCG) gives them. The linear address goes through the
 * guest's own page tables (arch/guest_walk.h), every guest-physical read
 * through its second-level tables: a guest can only make us read its own
 * memory.
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

static int read_gpa(void *arg, gpa_t gpa, void *buf, unsigned int len)
{
	const struct pt *sl = arg;
	struct pt_mapping m;

	if ((gpa & PAGE_MASK) != ((gpa + len - 1) & PAGE_MASK))
		return -EFAULT;
	if (pt_lookup(sl, gpa, &m) || !(m.attrs & PT_READ))
		return -EFAULT;
	memcpy(buf, phys_to_virt(m.pa), len); /* m.pa translates gpa itself */
	return 0;
}

unsigned int vcpu_fetch_insn(struct vcpu *v, u8 *buf, unsigned int max, bool *code64)
{
	struct sl_format_info info;
	struct pt sl = {.root = vcpu_ops->sl_root(v), .mem = {.phys_to_virt = sl_virt}};
	struct guest_paging p = {
		vcpu_ops->get_reg(v, VCPU_REG_CR0), vcpu_ops->get_reg(v, VCPU_REG_CR3),
		vcpu_ops->get_reg(v, VCPU_REG_CR4), vcpu_ops->get_reg(v, VCPU_REG_EFER)};
	struct segment cs;
	u64 rip = vcpu_ops->get_reg(v, VCPU_REG_RIP);
	unsigned int n;

	vcpu_sl_format(&info);
	sl.fmt = info.fmt;
	sl.leaf_levels = info.leaf_levels;
	vcpu_ops->get_segment(v, SEG_CS, &cs);
	*code64 = (p.efer & EFER_LMA_BIT) && (cs.ar & SEG_AR_L);
	for (n = 0; n < max; n++) {
		u64 la = (*code64 ? 0 : cs.base) + rip + n;
		gpa_t gpa;

		if (!*code64)
			la &= 0xffffffffULL;
		if (guest_walk(&p, la, &gpa, read_gpa, &sl) || read_gpa(&sl, gpa, &buf[n], 1))
			break;
	}
	return n;
}
