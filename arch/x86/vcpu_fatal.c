/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The fatal path for guest-caused failures: dump the exit and the registers,
 * then stop the guest on all its CPUs through the guest layer. Nothing here
 * may stop the hypervisor (style.md, error tier 4).
 */
#include <arch/vcpu.h>
#include <arch/vcpu_vendor.h>
#include <hv/guest.h>
#include <hv/printk.h>

static const char *const gpr_names[GPR_COUNT] = {
	"rax", "rcx", "rdx", "rbx", "rsp", "rbp", "rsi", "rdi",
	"r8",  "r9",  "r10", "r11", "r12", "r13", "r14", "r15",
};

static void dump_regs(struct vcpu *v)
{
	for (unsigned int i = 0; i < GPR_COUNT; i += 4)
		pr_err("  %-3s=%016llx %-3s=%016llx %-3s=%016llx %-3s=%016llx\n", gpr_names[i],
		       (unsigned long long)vcpu_gpr_read(v, i), gpr_names[i + 1],
		       (unsigned long long)vcpu_gpr_read(v, i + 1), gpr_names[i + 2],
		       (unsigned long long)vcpu_gpr_read(v, i + 2), gpr_names[i + 3],
		       (unsigned long long)vcpu_gpr_read(v, i + 3));
	pr_err("  rip=%016llx rflags=%016llx efer=%016llx\n",
	       (unsigned long long)vcpu_ops->get_reg(v, VCPU_REG_RIP),
	       (unsigned long long)vcpu_ops->get_reg(v, VCPU_REG_RFLAGS),
	       (unsigned long long)vcpu_ops->get_reg(v, VCPU_REG_EFER));
	pr_err("  cr0=%016llx cr2=%016llx cr3=%016llx cr4=%016llx\n",
	       (unsigned long long)vcpu_ops->get_reg(v, VCPU_REG_CR0),
	       (unsigned long long)vcpu_ops->get_reg(v, VCPU_REG_CR2),
	       (unsigned long long)vcpu_ops->get_reg(v, VCPU_REG_CR3),
	       (unsigned long long)vcpu_ops->get_reg(v, VCPU_REG_CR4));
}

static void dump_exit(const struct vm_exit *e)
{
	pr_err("  exit %s raw=%#llx qual=%#llx info=%#llx len=%u\n", exit_reason_name(e->reason),
	       (unsigned long long)e->raw_reason, (unsigned long long)e->raw_qual,
	       (unsigned long long)e->raw_info, e->insn_len);
}

/* "why gpa=0x... rip=0x..." for memory faults, "why rip=0x..." otherwise (docs/console.md). */
static void describe(char *buf, size_t size, const struct vm_exit *e, const char *why)
{
	if (e->reason == EXIT_SL_FAULT)
		hv_snprintf(buf, size, "%s gpa=%#llx rip=%#llx", why,
			    (unsigned long long)e->u.sl.gpa, (unsigned long long)e->rip);
	else
		hv_snprintf(buf, size, "%s rip=%#llx", why, (unsigned long long)e->rip);
}

enum exit_result guest_fatal(struct vcpu *v, const struct vm_exit *e, const char *why)
{
	char line[128];

	describe(line, sizeof(line), e, why);
	pr_err("bulkhead: guest %s cpu %u: %s\n", guest_name(v->guest), v->index, line);
	dump_exit(e);
	dump_regs(v);
	if (vcpu_ops->dump)
		vcpu_ops->dump(v, e);
	v->state = VCPU_STOPPED;
	guest_stop(v->guest, line);
	return EXIT_STOPPED;
}

void vcpu_print_stats(const struct vcpu *v)
{
	for (unsigned int r = 0; r < EXIT_REASON_COUNT; r++) {
		if (!v->stats.count[r])
			continue;
		/* Named per line: two guests may end at once and interleave. */
		pr_info("  %s cpu %u %-14s %10llu exits %14llu cycles\n", guest_name(v->guest),
			v->index, exit_reason_name((enum exit_reason)r),
			(unsigned long long)v->stats.count[r],
			(unsigned long long)v->stats.cycles[r]);
	}
}
