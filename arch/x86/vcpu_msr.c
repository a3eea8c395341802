/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The MSR allow-list (docs/vcpu.md "MSRs"). Every MSR a guest may touch is in
 * one table; anything else gets #GP, so a guest probing with rdmsr_safe sees
 * "not there". Kinds:
 *   STATE  plain guest state kept by the vendor (VMCS/VMCB fields), checked
 *   CONST  read-only constants; writes #GP (or are ignored where noted)
 *   EMUL   an emulation function (the local APIC, the TSC)
 * MSR numbers: SDM Vol. 4 chapter 2; AMD APM Vol. 2 Appendix A.
 */
#include <arch/vcpu.h>
#include <arch/vcpu_vendor.h>
#include <hv/errno.h>

#define MSR_TSC		    0x00000010
#define MSR_PLATFORM_ID	    0x00000017
#define MSR_APIC_BASE	    0x0000001b
#define MSR_FEATURE_CONTROL 0x0000003a
#define MSR_BIOS_SIGN_ID    0x0000008b /* microcode revision */
#define MSR_MTRRCAP	    0x000000fe
#define MSR_SYSENTER_CS	    0x00000174
#define MSR_SYSENTER_ESP    0x00000175
#define MSR_SYSENTER_EIP    0x00000176
#define MSR_MISC_ENABLE	    0x000001a0
#define MSR_PAT		    0x00000277
#define MSR_MTRR_DEF_TYPE   0x000002ff
#define MSR_TSC_DEADLINE    0x000006e0
#define MSR_X2APIC_FIRST    0x00000800
#define MSR_X2APIC_LAST	    0x000008ff
#define MSR_EFER_NR	    0xc0000080
#define MSR_STAR	    0xc0000081
#define MSR_LSTAR	    0xc0000082
#define MSR_CSTAR	    0xc0000083
#define MSR_SFMASK	    0xc0000084
#define MSR_FS_BASE_NR	    0xc0000100
#define MSR_GS_BASE_NR	    0xc0000101
#define MSR_KERNEL_GS_BASE  0xc0000102

/* IA32_FEATURE_CONTROL: bit 0 lock, VMX enable bits 1 and 2 clear (VMX is hidden). */
#define FEATURE_CONTROL_LOCKED BIT64(0)
/* IA32_MISC_ENABLE: fast strings (0), BTS unavailable (11), PEBS unavailable (12). */
#define MISC_ENABLE_VALUE (BIT64(0) | BIT64(11) | BIT64(12))
/* IA32_MTRR_DEF_TYPE: MTRRs enabled (E, bit 11), default type write-back (6). */
#define MTRR_DEF_TYPE_VALUE (BIT64(11) | 6)

/* EFER bits a guest may write: SCE (0), LME (8), NXE (11); LMA (10) is the CPU's. */
#define EFER_WRITABLE (BIT64(0) | BIT64(8) | BIT64(11))
#define EFER_LMA_BIT  BIT64(10)

enum msr_kind {
	MSR_STATE,
	MSR_CONST,
	MSR_CONST_WI, /* read-only constant, writes ignored */
	MSR_EMUL,
};

enum msr_check {
	CHECK_NONE,
	CHECK_CANONICAL,
	CHECK_PAT,
	CHECK_EFER,
};

struct msr_rule {
	u32 msr;
	u8 kind;
	u8 check;
	u8 reg;	   /* MSR_STATE: enum vcpu_reg */
	u64 value; /* MSR_CONST */
	int (*read)(struct vcpu *v, u32 msr, u64 *val);
	int (*write)(struct vcpu *v, u32 msr, u64 val);
};

static int tsc_read(struct vcpu *v, u32 msr, u64 *val)
{
	*val = vcpu_cycles(); /* no TSC offset: the guest sees the host TSC */
	return 0;
}

/* Writing the TSC would need TSC offsetting; ignored, documented. */
static int tsc_write(struct vcpu *v, u32 msr, u64 val)
{
	return 0;
}

static const struct msr_rule msr_rules[] = {
	{MSR_TSC, MSR_EMUL, CHECK_NONE, 0, 0, tsc_read, tsc_write},
	{MSR_PLATFORM_ID, MSR_CONST, CHECK_NONE, 0, 0, NULL, NULL},
	{MSR_APIC_BASE, MSR_EMUL, CHECK_NONE, 0, 0, vlapic_msr_read, vlapic_msr_write},
	{MSR_FEATURE_CONTROL, MSR_CONST, CHECK_NONE, 0, FEATURE_CONTROL_LOCKED, NULL, NULL},
	{MSR_BIOS_SIGN_ID, MSR_CONST_WI, CHECK_NONE, 0, 0, NULL, NULL},
	{MSR_MTRRCAP, MSR_CONST, CHECK_NONE, 0, 0, NULL, NULL},
	{MSR_SYSENTER_CS, MSR_STATE, CHECK_NONE, VCPU_REG_SYSENTER_CS, 0, NULL, NULL},
	{MSR_SYSENTER_ESP, MSR_STATE, CHECK_CANONICAL, VCPU_REG_SYSENTER_ESP, 0, NULL, NULL},
	{MSR_SYSENTER_EIP, MSR_STATE, CHECK_CANONICAL, VCPU_REG_SYSENTER_EIP, 0, NULL, NULL},
	{MSR_MISC_ENABLE, MSR_CONST_WI, CHECK_NONE, 0, MISC_ENABLE_VALUE, NULL, NULL},
	{MSR_PAT, MSR_STATE, CHECK_PAT, VCPU_REG_PAT, 0, NULL, NULL},
	{MSR_TSC_DEADLINE, MSR_EMUL, CHECK_NONE, 0, 0, vlapic_tsc_deadline_read,
	 vlapic_tsc_deadline_write},
	{MSR_MTRR_DEF_TYPE, MSR_CONST_WI, CHECK_NONE, 0, MTRR_DEF_TYPE_VALUE, NULL, NULL},
	{MSR_EFER_NR, MSR_STATE, CHECK_EFER, VCPU_REG_EFER, 0, NULL, NULL},
	{MSR_STAR, MSR_STATE, CHECK_NONE, VCPU_REG_STAR, 0, NULL, NULL},
	{MSR_LSTAR, MSR_STATE, CHECK_CANONICAL, VCPU_REG_LSTAR, 0, NULL, NULL},
	{MSR_CSTAR, MSR_STATE, CHECK_CANONICAL, VCPU_REG_CSTAR, 0, NULL, NULL},
	{MSR_SFMASK, MSR_STATE, CHECK_NONE, VCPU_REG_SFMASK, 0, NULL, NULL},
	{MSR_FS_BASE_NR, MSR_STATE, CHECK_CANONICAL, VCPU_REG_FS_BASE, 0, NULL, NULL},
	{MSR_GS_BASE_NR, MSR_STATE, CHECK_CANONICAL, VCPU_REG_GS_BASE, 0, NULL, NULL},
	{MSR_KERNEL_GS_BASE, MSR_STATE, CHECK_CANONICAL, VCPU_REG_KERNEL_GS_BASE, 0, NULL, NULL},
};

/* The x2APIC range is one rule, handled by the local APIC model. */
static const struct msr_rule x2apic_rule = {
	0, MSR_EMUL, CHECK_NONE, 0, 0, vlapic_msr_read, vlapic_msr_write,
};

static const struct msr_rule *find_rule(u32 msr)
{
	if (msr >= MSR_X2APIC_FIRST && msr <= MSR_X2APIC_LAST)
		return &x2apic_rule;
	for (size_t i = 0; i < ARRAY_SIZE(msr_rules); i++)
		if (msr_rules[i].msr == msr)
			return &msr_rules[i];
	return NULL;
}

/* 48-bit linear addresses (SDM Vol. 1 3.3.7.1); 5-level paging is not offered. */
static bool canonical(u64 a)
{
	return (u64)((s64)(a << 16) >> 16) == a;
}

/* Each PAT entry must be a defined memory type: 0, 1, 4, 5, 6, 7 (SDM Vol. 3A 13.12.2). */
static bool pat_valid(u64 pat)
{
	for (unsigned int i = 0; i < 8; i++) {
		u8 t = (pat >> (i * 8)) & 0xff;

		if (t == 2 || t == 3 || t > 7)
			return false;
	}
	return true;
}

static bool value_ok(const struct msr_rule *r, u64 val)
{
	switch (r->check) {
	case CHECK_CANONICAL:
		return canonical(val);
	case CHECK_PAT:
		return pat_valid(val);
	case CHECK_EFER:
		return !(val & ~(EFER_WRITABLE | EFER_LMA_BIT));
	default:
		return true;
	}
}

int msr_policy_read(struct vcpu *v, u32 msr, u64 *val)
{
	const struct msr_rule *r = find_rule(msr);

	if (!r)
		return -EPERM;
	switch (r->kind) {
	case MSR_STATE:
		*val = vcpu_ops->get_reg(v, r->reg);
		return 0;
	case MSR_EMUL:
		return r->read(v, msr, val);
	default:
		*val = r->value;
		return 0;
	}
}

int msr_policy_write(struct vcpu *v, u32 msr, u64 val)
{
	const struct msr_rule *r = find_rule(msr);

	if (!r || !value_ok(r, val))
		return -EPERM;
	switch (r->kind) {
	case MSR_STATE:
		if (r->check == CHECK_EFER) /* LMA is read-only: keep the CPU's */
			val = (val & ~EFER_LMA_BIT) |
			      (vcpu_ops->get_reg(v, VCPU_REG_EFER) & EFER_LMA_BIT);
		vcpu_ops->set_reg(v, r->reg, val);
		return 0;
	case MSR_EMUL:
		return r->write(v, msr, val);
	case MSR_CONST_WI:
		return 0;
	default:
		return -EPERM;
	}
}

bool msr_policy_direct(u32 msr)
{
	const struct msr_rule *r = find_rule(msr);

	return r && r->kind == MSR_STATE && r->check == CHECK_NONE;
}
