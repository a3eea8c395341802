/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Control-register writes a backend intercepts (VMX: CR0.PG and CR4 bits it
 * owns; SVM: none needed today). Validated as the hardware would (SDM Vol. 3A
 * 2.5; the #GP conditions of MOV to CR in Vol. 2B), then handed back to the
 * vendor, which keeps its derived state (EFER.LMA, IA-32e mode) consistent.
 *
 * CR8 (VMX intercepts both directions): the guest's view of its own local
 * APIC's TPR, bits 7:4 (SDM Vol. 3A 11.8.6.1). Without the intercept a MOV to
 * CR8 would load the physical TPR, which the hypervisor's own timer depends on.
 */
#include <arch/vcpu.h>
#include <arch/vcpu_vendor.h>

enum exit_result vcpu_handle_cr_write(struct vcpu *v, struct vm_exit *e);
enum exit_result vcpu_handle_cr_read(struct vcpu *v, struct vm_exit *e);

#define CR8_TPR_MASK 0xfULL /* bits 63:4 are reserved: #GP (SDM Vol. 2B MOV to CR8) */

#define CR0_PE_BIT BIT64(0)
#define CR0_NW_BIT BIT64(29)
#define CR0_CD_BIT BIT64(30)
#define CR0_PG_BIT BIT64(31)

/* CR4 bits a guest may set: those of the features the CPUID profile shows. */
#define CR4_GUEST_ALLOWED                                                                          \
	(BIT64(0) |  /* VME */                                                                     \
	 BIT64(1) |  /* PVI */                                                                     \
	 BIT64(2) |  /* TSD */                                                                     \
	 BIT64(3) |  /* DE */                                                                      \
	 BIT64(4) |  /* PSE */                                                                     \
	 BIT64(5) |  /* PAE */                                                                     \
	 BIT64(6) |  /* MCE (machine checks stop the guest anyway) */                              \
	 BIT64(7) |  /* PGE */                                                                     \
	 BIT64(8) |  /* PCE */                                                                     \
	 BIT64(9) |  /* OSFXSR */                                                                  \
	 BIT64(10) | /* OSXMMEXCPT */                                                              \
	 BIT64(11) | /* UMIP */                                                                    \
	 BIT64(16) | /* FSGSBASE */                                                                \
	 BIT64(17) | /* PCIDE */                                                                   \
	 BIT64(18) | /* OSXSAVE */                                                                 \
	 BIT64(20) | /* SMEP */                                                                    \
	 BIT64(21))  /* SMAP */

static bool cr0_valid(u64 val)
{
	if (val >> 32)
		return false;
	if ((val & CR0_PG_BIT) && !(val & CR0_PE_BIT))
		return false;
	return !((val & CR0_NW_BIT) && !(val & CR0_CD_BIT));
}

enum exit_result vcpu_handle_cr_write(struct vcpu *v, struct vm_exit *e)
{
	const struct exit_cr *cr = &e->u.cr;
	bool ok;

	switch (cr->cr) {
	case 0:
		ok = cr0_valid(cr->value);
		break;
	case 4:
		ok = !(cr->value & ~CR4_GUEST_ALLOWED);
		break;
	case 8:
		if (cr->value & ~CR8_TPR_MASK) {
			vcpu_inject_gp(v);
			return EXIT_RESUME;
		}
		vlapic_set_tpr(v, (u8)(cr->value << 4));
		vcpu_skip(v, e);
		return EXIT_RESUME;
	default:
		return guest_fatal(v, e, "cr-write-unexpected");
	}
	if (!ok) {
		vcpu_inject_gp(v);
		return EXIT_RESUME;
	}
	vcpu_ops->set_reg(v, cr->cr == 0 ? VCPU_REG_CR0 : VCPU_REG_CR4, cr->value);
	vcpu_skip(v, e);
	return EXIT_RESUME;
}

enum exit_result vcpu_handle_cr_read(struct vcpu *v, struct vm_exit *e)
{
	if (e->u.cr.cr != 8)
		return guest_fatal(v, e, "cr-read-unexpected");
	vcpu_gpr_write(v, e->u.cr.gpr, vlapic_get_tpr(v) >> 4);
	vcpu_skip(v, e);
	return EXIT_RESUME;
}
