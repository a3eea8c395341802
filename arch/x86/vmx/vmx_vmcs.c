/* SPDX-License-Identifier: Apache-2.0 */
/*
 * VMCS setup (SDM Vol. 3C chapter 25 "Virtual Machine Control Structures"):
 * the control fields from the probed configuration, the host state of this
 * CPU, the I/O and MSR bitmaps, EPT and VPID. Every VMWRITE is checked and
 * accumulated; the first failure names its field.
 */
#include <arch/cpu.h>
#include <arch/percpu.h>
#include <arch/tsc.h>
#include <hv/errno.h>
#include <hv/mm.h>
#include <hv/printk.h>
#include <hv/string.h>

#include "vmcs.h"
#include "vmx.h"
#include "vmx_bits.h"
#include "vmx_hw.h"

#define MSR_SYSENTER_CS	 0x174
#define MSR_SYSENTER_ESP 0x175
#define MSR_SYSENTER_EIP 0x176

/*
 * Exceptions intercepted (docs/vmx.md): #DB and #AC so that a guest cannot
 * hang its CPU in an endless benign-exception delivery loop, #MC so that a
 * machine check stops the guest.
 */
#define EXCEPTION_BITMAP (BIT(1) | BIT(17) | BIT(18))

/* One VMCS and bitmap set per physical CPU, reused across restarts of its guest. */
static struct vmx_vcpu vmx_vcpus[MAX_CPUS];

bool vmcs_write(u32 field, u64 val)
{
	unsigned int w = vmcs_field_width(field);
	const char *name = vmcs_field_name(field);

	if ((w == VMCS_W16 && val > 0xffffULL) || (w == VMCS_W32 && val > 0xffffffffULL)) {
		pr_err("vmx: VMWRITE %s (0x%04x): value 0x%llx wider than %u bits",
		       name ? name : "?", field, (unsigned long long)val, w);
		return false;
	}
	if (vmwrite_raw(field, val))
		return true;
	pr_err("vmx: VMWRITE %s (0x%04x) = 0x%llx failed: %s", name ? name : "?", field,
	       (unsigned long long)val, vmx_insn_error_name((u32)vmread(VMCS_VM_INSN_ERROR)));
	return false;
}

static int alloc_hw(struct vmx_vcpu *x)
{
	hpa_t pages;

	if (x->vmcs)
		return 0;
	pages = page_alloc(4, 0,
			   PAGE_ZERO | PAGE_BELOW_4G); /* VMCS, I/O bitmaps A and B, MSR bitmap */
	if (!pages)
		return -ENOMEM;
	x->vmcs = pages;
	x->io_bitmap = pages + PAGE_SIZE;
	x->msr_bitmap = pages + 3 * PAGE_SIZE;
	/* All ones: every port and every MSR exits; the policy decides (SDM Vol.
	 * 3C 25.6.4, 25.6.9). */
	memset(phys_to_virt(x->io_bitmap), 0xff, 2 * PAGE_SIZE);
	memset(phys_to_virt(x->msr_bitmap), 0xff, PAGE_SIZE);
	return 0;
}

/* VMCLEAR then VMPTRLD: a clear, current VMCS with this CPU's revision (SDM Vol. 3C 25.11.3). */
static int make_current(struct vmx_vcpu *x)
{
	*(u32 *)phys_to_virt(x->vmcs) = vmx_cfg.revision;
	if (!vmclear(x->vmcs) || !vmptrld(x->vmcs)) {
		pr_err("vmx: VMCLEAR/VMPTRLD of the VMCS at 0x%llx failed",
		       (unsigned long long)x->vmcs);
		return -EIO;
	}
	x->launched = false;
	return 0;
}

static bool write_controls(const struct vmx_vcpu *x)
{
	bool ok = true;

	ok &= vmcs_write(VMCS_PIN_CONTROLS, vmx_cfg.pin);
	ok &= vmcs_write(VMCS_PROC_CONTROLS, vmx_cfg.proc);
	ok &= vmcs_write(VMCS_PROC_CONTROLS2, vmx_cfg.proc2);
	ok &= vmcs_write(VMCS_EXIT_CONTROLS, vmx_cfg.exit);
	ok &= vmcs_write(VMCS_ENTRY_CONTROLS, vmx_cfg.entry);
	ok &= vmcs_write(VMCS_EXCEPTION_BITMAP, EXCEPTION_BITMAP);
	ok &= vmcs_write(VMCS_PF_ERROR_MASK, 0);
	ok &= vmcs_write(VMCS_PF_ERROR_MATCH, 0);
	ok &= vmcs_write(VMCS_CR3_TARGET_COUNT, 0);
	ok &= vmcs_write(VMCS_EXIT_MSR_STORE_COUNT, 0);
	ok &= vmcs_write(VMCS_EXIT_MSR_LOAD_COUNT, 0);
	ok &= vmcs_write(VMCS_ENTRY_MSR_LOAD_COUNT, 0);
	ok &= vmcs_write(VMCS_TSC_OFFSET, 0);
	ok &= vmcs_write(VMCS_IO_BITMAP_A, x->io_bitmap);
	ok &= vmcs_write(VMCS_IO_BITMAP_B, x->io_bitmap + PAGE_SIZE);
	ok &= vmcs_write(VMCS_MSR_BITMAP, x->msr_bitmap);
	ok &= vmcs_write(VMCS_EPT_POINTER, x->eptp);
	ok &= vmcs_write(VMCS_VPID, x->vpid);
	ok &= vmcs_write(VMCS_CR0_MASK, vmx_cr0_mask(&vmx_cfg));
	ok &= vmcs_write(VMCS_CR4_MASK, vmx_cr4_mask(&vmx_cfg));
	if (vmx_cfg.proc2 & PROC2_XSAVES)
		ok &= vmcs_write(VMCS_XSS_EXIT_BITMAP, 0); /* no XSAVES/XRSTORS exits */
	return ok;
}

static u16 read_sel(int which)
{
	u16 s = 0;

	switch (which) {
	case 0:
		__asm__ volatile("mov %%cs, %0" : "=r"(s));
		break;
	case 1:
		__asm__ volatile("mov %%ss, %0" : "=r"(s));
		break;
	case 2:
		__asm__ volatile("mov %%ds, %0" : "=r"(s));
		break;
	case 3:
		__asm__ volatile("mov %%es, %0" : "=r"(s));
		break;
	case 4:
		__asm__ volatile("mov %%fs, %0" : "=r"(s));
		break;
	case 5:
		__asm__ volatile("mov %%gs, %0" : "=r"(s));
		break;
	default:
		__asm__ volatile("str %0" : "=r"(s));
		break;
	}
	return s & 0xfff8; /* host selectors need RPL 0 and TI 0 (SDM Vol. 3C 26.2.3) */
}

struct dt_ptr {
	u16 limit;
	u64 base;
} __packed;

static u64 gdt_base(void)
{
	struct dt_ptr p;

	__asm__ volatile("sgdt %0" : "=m"(p));
	return p.base;
}

static u64 idt_base(void)
{
	struct dt_ptr p;

	__asm__ volatile("sidt %0" : "=m"(p));
	return p.base;
}

/* The state a VM exit loads (SDM Vol. 3C 25.5, 28.5): this CPU as it is now. */
static bool write_host_state(void)
{
	bool ok = true;

	ok &= vmcs_write(VMCS_HOST_CR0, read_cr0());
	ok &= vmcs_write(VMCS_HOST_CR3, read_cr3());
	ok &= vmcs_write(VMCS_HOST_CR4, read_cr4());
	ok &= vmcs_write(VMCS_HOST_CS_SEL, read_sel(0));
	ok &= vmcs_write(VMCS_HOST_SS_SEL, read_sel(1));
	ok &= vmcs_write(VMCS_HOST_DS_SEL, read_sel(2));
	ok &= vmcs_write(VMCS_HOST_ES_SEL, read_sel(3));
	ok &= vmcs_write(VMCS_HOST_FS_SEL, read_sel(4));
	ok &= vmcs_write(VMCS_HOST_GS_SEL, read_sel(5));
	ok &= vmcs_write(VMCS_HOST_TR_SEL, read_sel(6));
	ok &= vmcs_write(VMCS_HOST_FS_BASE, rdmsr(MSR_FS_BASE));
	ok &= vmcs_write(VMCS_HOST_GS_BASE, rdmsr(MSR_GS_BASE));
	ok &= vmcs_write(VMCS_HOST_TR_BASE, (u64)(uintptr_t)&this_cpu()->tss);
	ok &= vmcs_write(VMCS_HOST_GDTR_BASE, gdt_base());
	ok &= vmcs_write(VMCS_HOST_IDTR_BASE, idt_base());
	ok &= vmcs_write(VMCS_HOST_SYSENTER_CS, rdmsr(MSR_SYSENTER_CS) & 0xffffffffULL);
	ok &= vmcs_write(VMCS_HOST_SYSENTER_ESP, rdmsr(MSR_SYSENTER_ESP));
	ok &= vmcs_write(VMCS_HOST_SYSENTER_EIP, rdmsr(MSR_SYSENTER_EIP));
	ok &= vmcs_write(VMCS_HOST_EFER, rdmsr(MSR_EFER));
	ok &= vmcs_write(VMCS_HOST_PAT, rdmsr(MSR_IA32_PAT));
	ok &= vmcs_write(VMCS_HOST_RIP, (u64)(uintptr_t)vmx_exit_stub);
	return ok;
}

/* Stale translations of a previous run of this guest (or CPU) must go (SDM Vol. 3C 29.4.3). */
static bool flush_tlbs(const struct vmx_vcpu *x)
{
	bool ctx = vmx_cfg.ept_vpid & EPT_CAP_INVEPT_CTX;
	bool vctx = vmx_cfg.ept_vpid & VPID_CAP_INVVPID_CTX;
	bool ok = true;

	ok &= invept(ctx ? INV_SINGLE_CONTEXT : INV_ALL_CONTEXT, x->eptp);
	ok &= invvpid(vctx ? INV_SINGLE_CONTEXT : INV_ALL_CONTEXT, x->vpid);
	if (!ok)
		pr_err("vmx: INVEPT/INVVPID failed");
	return ok;
}

/* EPTP: write-back paging structures, 4-level walk, A/D flags off (SDM Vol. 3C 25.6.11). */
static u64 make_eptp(hpa_t sl_root)
{
	return (sl_root & PAGE_MASK) | EPTP_MEMTYPE_WB | EPTP_WALK4;
}

int vmx_vcpu_init(struct vcpu *v, hpa_t sl_root, const struct vcpu_init_state *st)
{
	struct vmx_vcpu *x;
	bool ok = true;
	int err;

	if (v->pcpu >= MAX_CPUS)
		return -EINVAL;
	x = &vmx_vcpus[v->pcpu];
	err = alloc_hw(x);
	if (!err)
		err = make_current(x);
	if (err)
		return err;
	/* VPIDs must be non-zero; one vCPU per physical CPU makes pcpu + 1 unique. */
	x->vpid = (u16)(v->pcpu + 1);
	x->eptp = make_eptp(sl_root);
	x->hw_xcr0 = ~0ULL; /* unknown: the first run loads the guest's */
	v->hw = x;
	ok &= write_controls(x);
	ok &= write_host_state();
	ok &= flush_tlbs(x);
	if (!ok) {
		pr_err("vmx: cpu %u: VMCS setup failed", v->index);
		return -EIO;
	}
	vmx_load_state(v, st);
	return 0;
}
