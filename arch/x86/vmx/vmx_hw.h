/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The VMX instructions (SDM Vol. 3C chapter 31, "VMX Instruction Reference").
 * Each returns true on success: VMfailInvalid sets CF, VMfailValid sets ZF
 * (31.2 "Conventions"), so "setna" (CF or ZF) is the failure flag.
 *
 * Vendor header: included by arch/x86/vmx/ only.
 */
#ifndef VMX_HW_H
#define VMX_HW_H

#include <hv/types.h>

static inline bool vmxon(hpa_t region)
{
	u8 fail;

	__asm__ volatile("vmxon %1; setna %0" : "=q"(fail) : "m"(region) : "cc", "memory");
	return !fail;
}

static inline bool vmclear(hpa_t vmcs)
{
	u8 fail;

	__asm__ volatile("vmclear %1; setna %0" : "=q"(fail) : "m"(vmcs) : "cc", "memory");
	return !fail;
}

static inline bool vmptrld(hpa_t vmcs)
{
	u8 fail;

	__asm__ volatile("vmptrld %1; setna %0" : "=q"(fail) : "m"(vmcs) : "cc", "memory");
	return !fail;
}

static inline bool vmwrite_raw(u32 field, u64 val)
{
	u8 fail;

	__asm__ volatile("vmwrite %1, %2; setna %0"
			 : "=q"(fail)
			 : "r"(val), "r"((u64)field)
			 : "cc", "memory");
	return !fail;
}

/* VMREAD; a failure (unsupported field) reads as 0. */
static inline u64 vmread(u32 field)
{
	u64 val = 0;
	u8 fail;

	__asm__ volatile("vmread %2, %1; setna %0"
			 : "=q"(fail), "+r"(val)
			 : "r"((u64)field)
			 : "cc", "memory");
	return fail ? 0 : val;
}

/* INVEPT/INVVPID types (31.3): 1 single context, 2 all contexts. */
#define INV_SINGLE_CONTEXT 1ULL
#define INV_ALL_CONTEXT	   2ULL

static inline bool invept(u64 type, u64 eptp)
{
	struct {
		u64 eptp, reserved;
	} desc = {eptp, 0};
	u8 fail;

	__asm__ volatile("invept %1, %2; setna %0"
			 : "=q"(fail)
			 : "m"(desc), "r"(type)
			 : "cc", "memory");
	return !fail;
}

static inline bool invvpid(u64 type, u16 vpid)
{
	struct {
		u64 vpid, addr;
	} desc = {vpid, 0};
	u8 fail;

	__asm__ volatile("invvpid %1, %2; setna %0"
			 : "=q"(fail)
			 : "m"(desc), "r"(type)
			 : "cc", "memory");
	return !fail;
}

static inline u64 xgetbv0(void)
{
	u32 lo, hi;

	__asm__ volatile("xgetbv" : "=a"(lo), "=d"(hi) : "c"(0));
	return ((u64)hi << 32) | lo;
}

static inline void xsetbv0(u64 val)
{
	__asm__ volatile("xsetbv" : : "c"(0), "a"((u32)val), "d"((u32)(val >> 32)) : "memory");
}

#endif
