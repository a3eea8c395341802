/* SPDX-License-Identifier: Apache-2.0 */
/*
 * XSETBV validation (SDM Vol. 2D XSETBV, Vol. 1 13.3 "Enabling the XSAVE
 * Feature Set"): only XCR0 exists; x87 must stay set; AVX needs SSE; the three
 * AVX-512 components go together and need AVX; nothing beyond what the
 * profile allows. The vendor loads xcr0 into the hardware around each entry.
 */
#include <arch/vcpu.h>
#include <hv/errno.h>

#define XCR0_X87	BIT64(0)
#define XCR0_SSE	BIT64(1)
#define XCR0_AVX	BIT64(2)
#define XCR0_AVX512_ALL (BIT64(5) | BIT64(6) | BIT64(7)) /* opmask, ZMM_Hi256, Hi16_ZMM */

static bool xcr0_valid(u64 val)
{
	if (!(val & XCR0_X87))
		return false;
	if ((val & XCR0_AVX) && !(val & XCR0_SSE))
		return false;
	if (val & XCR0_AVX512_ALL) {
		if ((val & XCR0_AVX512_ALL) != XCR0_AVX512_ALL || !(val & XCR0_AVX))
			return false;
	}
	return !(val & ~vcpu_xcr0_allowed());
}

int xsetbv_policy(struct vcpu *v, u32 xcr, u64 val)
{
	if (xcr != 0 || !xcr0_valid(val))
		return -EPERM;
	v->xcr0 = val;
	return 0;
}
