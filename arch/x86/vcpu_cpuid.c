/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The CPUID profile every guest sees (docs/vcpu.md "CPUID profile"): the
 * host's answers filtered through allow-masks, so that a feature appears only
 * when the guest can really use it under Bulkhead, plus the hypervisor
 * leaves. Leaves not listed read as zero. Bit positions: SDM Vol. 2A CPUID,
 * AMD APM Vol. 3 Appendix E.
 */
#include <arch/cpu.h>
#include <arch/vcpu.h>
#include <arch/vcpu_vendor.h>
#include <hv/guest.h>
#include <hv/string.h>

#define CPUID_MAX_BASIC 0x16U
#define CPUID_MAX_EXT	0x80000008U

/* Leaf 1 ECX. */
#define CPUID1_ECX_VMX	   BIT(5)
#define CPUID1_ECX_X2APIC  BIT(21)
#define CPUID1_ECX_TSC_DL  BIT(24) /* TSC-deadline timer mode (the LAPIC model's) */
#define CPUID1_ECX_OSXSAVE BIT(27)
#define CPUID1_ECX_HV	   BIT(31) /* hypervisor present */
#define CPUID1_ECX_ALLOWED                                                                         \
	(BIT(0) |  /* SSE3 */                                                                      \
	 BIT(1) |  /* PCLMULQDQ */                                                                 \
	 BIT(9) |  /* SSSE3 */                                                                     \
	 BIT(12) | /* FMA */                                                                       \
	 BIT(13) | /* CMPXCHG16B */                                                                \
	 BIT(17) | /* PCID */                                                                      \
	 BIT(19) | /* SSE4.1 */                                                                    \
	 BIT(20) | /* SSE4.2 */                                                                    \
	 BIT(22) | /* MOVBE */                                                                     \
	 BIT(23) | /* POPCNT */                                                                    \
	 BIT(25) | /* AES */                                                                       \
	 BIT(26) | /* XSAVE */                                                                     \
	 BIT(28) | /* AVX */                                                                       \
	 BIT(29) | /* F16C */                                                                      \
	 BIT(30))  /* RDRAND */

/* Leaf 1 EDX: everything but MCE, MCA, PSN, DS, ACPI, TM, PBE. */
#define CPUID1_EDX_APIC BIT(9)
#define CPUID1_EDX_HTT	BIT(28)
#define CPUID1_EDX_ALLOWED                                                                         \
	(BIT(0) | BIT(1) | BIT(2) | BIT(3) | /* FPU VME DE PSE */                                  \
	 BIT(4) | BIT(5) | BIT(6) | BIT(8) | /* TSC MSR PAE CX8 */                                 \
	 BIT(9) | BIT(11) | BIT(12) |	     /* APIC SEP MTRR */                                   \
	 BIT(13) | BIT(15) | BIT(16) |	     /* PGE CMOV PAT */                                    \
	 BIT(17) | BIT(19) | BIT(23) |	     /* PSE-36 CLFSH MMX */                                \
	 BIT(24) | BIT(25) | BIT(26) |	     /* FXSR SSE SSE2 */                                   \
	 BIT(27) | BIT(28))		     /* SS HTT */

#define CPUID6_EAX_ARAT BIT(2) /* APIC timer always running */

/* Leaf 7 subleaf 0. */
#define CPUID7_EBX_ALLOWED                                                                         \
	(BIT(0) |  /* FSGSBASE */                                                                  \
	 BIT(3) |  /* BMI1 */                                                                      \
	 BIT(5) |  /* AVX2 */                                                                      \
	 BIT(6) |  /* FDP_EXCPTN_ONLY */                                                           \
	 BIT(7) |  /* SMEP */                                                                      \
	 BIT(8) |  /* BMI2 */                                                                      \
	 BIT(9) |  /* ERMS */                                                                      \
	 BIT(10) | /* INVPCID */                                                                   \
	 BIT(13) | /* FCS/FDS deprecated */                                                        \
	 BIT(16) | /* AVX512F */                                                                   \
	 BIT(17) | /* AVX512DQ */                                                                  \
	 BIT(18) | /* RDSEED */                                                                    \
	 BIT(19) | /* ADX */                                                                       \
	 BIT(20) | /* SMAP */                                                                      \
	 BIT(21) | /* AVX512_IFMA */                                                               \
	 BIT(23) | /* CLFLUSHOPT */                                                                \
	 BIT(24) | /* CLWB */                                                                      \
	 BIT(28) | /* AVX512CD */                                                                  \
	 BIT(29) | /* SHA */                                                                       \
	 BIT(30) | /* AVX512BW */                                                                  \
	 BIT(31))  /* AVX512VL */
#define CPUID7_ECX_ALLOWED                                                                         \
	(BIT(1) |  /* AVX512_VBMI */                                                               \
	 BIT(2) |  /* UMIP */                                                                      \
	 BIT(6) |  /* AVX512_VBMI2 */                                                              \
	 BIT(8) |  /* GFNI */                                                                      \
	 BIT(9) |  /* VAES */                                                                      \
	 BIT(10) | /* VPCLMULQDQ */                                                                \
	 BIT(11) | /* AVX512_VNNI */                                                               \
	 BIT(12) | /* AVX512_BITALG */                                                             \
	 BIT(14))  /* AVX512_VPOPCNTDQ */
#define CPUID7_EDX_ALLOWED                                                                         \
	(BIT(4) |  /* FSRM */                                                                      \
	 BIT(10) | /* MD_CLEAR (a hint: VERW clears buffers) */                                    \
	 BIT(14))  /* SERIALIZE */

/* Leaf 0xD subleaf 1 EAX: XSAVEOPT and XGETBV with ECX=1; not XSAVEC/XSAVES. */
#define CPUIDD1_EAX_ALLOWED (BIT(0) | BIT(2))

/* Leaf 0x80000001. */
#define CPUIDX1_ECX_SVM BIT(2)
#define CPUIDX1_ECX_ALLOWED                                                                        \
	(BIT(0) |  /* LAHF/SAHF in 64-bit mode */                                                  \
	 BIT(5) |  /* ABM / LZCNT */                                                               \
	 BIT(6) |  /* SSE4A */                                                                     \
	 BIT(7) |  /* misaligned SSE */                                                            \
	 BIT(8) |  /* PREFETCHW */                                                                 \
	 BIT(11) | /* XOP */                                                                       \
	 BIT(16) | /* FMA4 */                                                                      \
	 BIT(21))  /* TBM */
/* AMD mirrors leaf 1 EDX here; RDTSCP (27) and FFXSR (25) are hidden. */
#define CPUIDX1_EDX_ALLOWED                                                                        \
	((CPUID1_EDX_ALLOWED & ~(CPUID1_EDX_HTT | BIT(27) | BIT(25))) | BIT(11) | /* SYSCALL */    \
	 BIT(20) |								  /* NX */         \
	 BIT(22) |								  /* MMXEXT */     \
	 BIT(26) |	    /* 1 GiB pages */                                                      \
	 BIT(29) |	    /* long mode */                                                        \
	 BIT(30) | BIT(31)) /* 3DNow! extensions, 3DNow! */
#define CPUIDX7_EDX_INVARIANT_TSC BIT(8)

static u64 guest_tsc_hz;

void vcpu_policy_init(u64 tsc_hz)
{
	guest_tsc_hz = tsc_hz;
}

/* The XCR0 bits the guest may enable: x87, SSE, AVX, AVX-512 state (SDM Vol. 1 13.1). */
#define XCR0_GUEST_MASK (BIT64(0) | BIT64(1) | BIT64(2) | BIT64(5) | BIT64(6) | BIT64(7))

u64 vcpu_xcr0_allowed(void)
{
	return host_xcr0_supported() & XCR0_GUEST_MASK;
}

static void leaf1(struct vcpu *v, struct cpuid_regs *r)
{
	u32 count = v->guest ? guest_vcpu_count(v->guest) : 1;

	r->ecx = (r->ecx & CPUID1_ECX_ALLOWED) | CPUID1_ECX_HV | CPUID1_ECX_X2APIC |
		 CPUID1_ECX_TSC_DL;
	/* OSXSAVE mirrors the guest's CR4.OSXSAVE (bit 18), as on hardware. */
	if (vcpu_ops->get_reg(v, VCPU_REG_CR4) & BIT64(18))
		r->ecx |= CPUID1_ECX_OSXSAVE;
	r->edx = (r->edx & CPUID1_EDX_ALLOWED) | CPUID1_EDX_APIC | CPUID1_EDX_HTT;
	/* EBX[31:24] initial APIC ID, [23:16] addressable logical processors. */
	r->ebx = (r->ebx & 0xffffU) | (v->index << 24) | ((count & 0xff) << 16);
}

/* Leaf 0xB: x2APIC topology, one SMT thread per core, the guest's CPUs as cores. */
static void leaf_b(const struct vcpu *v, u32 sub, struct cpuid_regs *r)
{
	u32 count = v->guest ? guest_vcpu_count(v->guest) : 1;
	u32 shift = 0;

	while ((1U << shift) < count)
		shift++;
	memset(r, 0, sizeof(*r));
	r->edx = v->index;
	r->ecx = sub & 0xff;
	if (sub == 0) {
		r->ebx = 1;
		r->ecx |= 1 << 8; /* level type: SMT */
	} else if (sub == 1) {
		r->eax = shift;
		r->ebx = count;
		r->ecx |= 2 << 8; /* level type: core */
	}
}

/* Leaf 0xD: sizes follow the guest's XCR0, not the host's. */
static void leaf_d(const struct vcpu *v, u32 sub, struct cpuid_regs *r)
{
	u64 allowed = vcpu_xcr0_allowed();
	u32 size = 576; /* legacy area + XSAVE header */

	if (sub == 0) {
		for (u32 i = 2; i < 64; i++) {
			struct cpuid_regs c;

			if (!(v->xcr0 & BIT64(i)))
				continue;
			host_cpuid(0xd, i, &c);
			if (c.ebx + c.eax > size)
				size = c.ebx + c.eax;
		}
		r->eax = (u32)allowed;
		r->edx = (u32)(allowed >> 32);
		r->ebx = size;
	} else if (sub == 1) {
		memset(r, 0, sizeof(*r));
		/* EAX already holds the host's bits: keep only the allowed ones. */
	} else if (sub >= 64 || !(allowed & BIT64(sub))) {
		memset(r, 0, sizeof(*r));
	}
}

static void leaf_hv(u32 leaf, struct cpuid_regs *r)
{
	memset(r, 0, sizeof(*r));
	if (leaf == CPUID_HV_BASE) {
		r->eax = CPUID_HV_MAX;
		r->ebx = CPUID_HV_SIG_EBX;
		r->ecx = CPUID_HV_SIG_ECX;
		r->edx = CPUID_HV_SIG_EDX;
	} else if (leaf == CPUID_HV_TSC) {
		r->eax = (u32)(guest_tsc_hz / 1000);
		r->ebx = (u32)(guest_tsc_hz / 1000); /* LAPIC timer input clock: the TSC's */
	}
}

static void leaf_basic(struct vcpu *v, u32 leaf, u32 sub, struct cpuid_regs *r)
{
	switch (leaf) {
	case 0:
		if (r->eax > CPUID_MAX_BASIC)
			r->eax = CPUID_MAX_BASIC;
		return;
	case 1:
		leaf1(v, r);
		return;
	case 2:
	case 0x16:
		return; /* caches/TLBs, base frequency: host values */
	case 0x15:
		/* TSC = crystal * EBX / EAX with the crystal at the TSC frequency: the LAPIC
		 * timer's input clock (SDM Vol. 3A 11.5.4; docs/vcpu.md) */
		if (guest_tsc_hz && guest_tsc_hz <= 0xffffffffULL)
			*r = (struct cpuid_regs){.eax = 1, .ebx = 1, .ecx = (u32)guest_tsc_hz};
		return;
	case 6:
		/*
		 * Only ARAT (EAX bit 2, SDM Vol. 2A CPUID leaf 6): the emulated APIC
		 * timer never stops in idle states, so Linux uses the LAPIC/TSC-deadline
		 * timer and needs no PIT interrupt. No thermal or power controls.
		 */
		*r = (struct cpuid_regs){.eax = CPUID6_EAX_ARAT};
		return;
	case 4:
		r->eax &= 0x3fffU; /* one core, no sharing: the guest sees its topology in 0xB */
		return;
	case 7:
		if (sub != 0) {
			memset(r, 0, sizeof(*r));
			return;
		}
		r->eax = 0;
		r->ebx &= CPUID7_EBX_ALLOWED;
		r->ecx &= CPUID7_ECX_ALLOWED;
		r->edx &= CPUID7_EDX_ALLOWED;
		return;
	case 0xb:
		leaf_b(v, sub, r);
		return;
	case 0xd: {
		u32 eax1 = r->eax & CPUIDD1_EAX_ALLOWED;

		leaf_d(v, sub, r);
		if (sub == 1)
			r->eax = eax1;
		return;
	}
	default:
		memset(r, 0, sizeof(*r)); /* 3, 5, 8..0xa, 0xc, 0xe..0x14: hidden */
		return;
	}
}

static void leaf_ext(u32 leaf, struct cpuid_regs *r)
{
	switch (leaf) {
	case 0x80000000:
		if (r->eax > CPUID_MAX_EXT)
			r->eax = CPUID_MAX_EXT;
		return;
	case 0x80000001:
		r->ecx &= CPUIDX1_ECX_ALLOWED;
		r->edx &= CPUIDX1_EDX_ALLOWED;
		return;
	case 0x80000002:
	case 0x80000003:
	case 0x80000004:
	case 0x80000005:
	case 0x80000006:
		return; /* brand string, caches */
	case 0x80000007:
		r->eax = r->ebx = r->ecx = 0;
		r->edx &= CPUIDX7_EDX_INVARIANT_TSC;
		return;
	case 0x80000008:
		r->eax &= 0xffffU; /* physical and linear address sizes */
		r->ebx = r->ecx = r->edx = 0;
		return;
	default:
		memset(r, 0, sizeof(*r));
		return;
	}
}

void cpuid_policy(struct vcpu *v, u32 leaf, u32 subleaf, struct cpuid_regs *out)
{
	struct cpuid_regs max;

	if (leaf >= CPUID_HV_BASE && leaf <= 0x400000ffU) {
		leaf_hv(leaf, out);
		return;
	}
	host_cpuid(leaf & 0x80000000U, 0, &max);
	if (leaf > max.eax || (leaf & 0x7fffffffU) > 0xffffU) {
		memset(out, 0, sizeof(*out)); /* beyond the host's range: zeros, not Intel's echo */
		return;
	}
	host_cpuid(leaf, subleaf, out);
	if (leaf & 0x80000000U)
		leaf_ext(leaf, out);
	else
		leaf_basic(v, leaf, subleaf, out);
}
