/* SPDX-License-Identifier: Apache-2.0 */
/* The plan as a table: the boot log and the offline checker print the same text. */
#include <hv/config.h>
#include <hv/plan.h>
#include <hv/printk.h>
#include <hv/string.h>

#define PLAN_LINE_MAX 160

/* "1-3,5": CPU numbers with runs collapsed, in the guest's order. */
static void format_cpus(char *buf, size_t size, const u16 *cpus, u32 n)
{
	size_t len = 0;

	buf[0] = '\0';
	for (u32 i = 0; i < n && len < size; i++) {
		u32 j = i;

		while (j + 1 < n && cpus[j + 1] == cpus[j] + 1)
			j++;
		if (j > i)
			len += (size_t)hv_snprintf(buf + len, size - len, "%s%u-%u", i ? "," : "",
						   cpus[i], cpus[j]);
		else
			len += (size_t)hv_snprintf(buf + len, size - len, "%s%u", i ? "," : "",
						   cpus[i]);
		i = j;
	}
}

static const char *page_name(u64 ps)
{
	return ps == SIZE_1G ? "1G" : ps == SIZE_2M ? "2M" : "4K";
}

static void print_guest(const struct plan_guest *g, plan_print_fn print, void *ctx)
{
	char line[PLAN_LINE_MAX], cpus[48], mem[32];

	format_cpus(cpus, sizeof(cpus), g->cpus, g->cpu_count);
	cfg_format_size(mem, sizeof(mem), g->memory);
	for (u32 i = 0; i < g->extent_count || i == 0; i++) {
		const struct plan_extent *e = &g->extents[i];

		if (g->extent_count == 0) {
			hv_snprintf(line, sizeof(line), "  %-16s %-10s %-10s (not placed)", g->name,
				    cpus, mem);
		} else {
			hv_snprintf(
				line, sizeof(line),
				"  %-16s %-10s %-10s 0x%012llx-0x%012llx  0x%09llx-0x%09llx  %s",
				i ? "" : g->name, i ? "" : cpus, i ? "" : mem,
				(unsigned long long)e->hpa,
				(unsigned long long)(e->hpa + e->size - 1),
				(unsigned long long)e->gpa,
				(unsigned long long)(e->gpa + e->size - 1),
				i ? "" : page_name(g->page_size));
		}
		print(ctx, line);
	}
}

static void print_shared(const struct plan *p, const struct plan_shared *s, plan_print_fn print,
			 void *ctx)
{
	char line[PLAN_LINE_MAX], who[64], size[32];
	size_t len = 0;

	who[0] = '\0';
	for (u32 i = 0; i < s->guest_count && len < sizeof(who); i++)
		len += (size_t)hv_snprintf(who + len, sizeof(who) - len, "%s%s", i ? "," : "",
					   p->guests[s->guests[i]].name);
	cfg_format_size(size, sizeof(size), s->size);
	hv_snprintf(line, sizeof(line), "  %-16s %-21s 0x%012llx-0x%012llx  0x%09llx-0x%09llx  %s",
		    s->name, size, (unsigned long long)s->hpa,
		    (unsigned long long)(s->hpa + s->size - 1), (unsigned long long)s->gpa,
		    (unsigned long long)(s->gpa + s->size - 1), who);
	print(ctx, line);
}

static void print_cpus(const struct plan *p, plan_print_fn print, void *ctx)
{
	char line[PLAN_LINE_MAX];

	for (u32 c = 0; c < p->cpu_count; c++) {
		u8 o = p->cpu_owner[c];
		bool console = p->has_console_cpu && p->console_cpu == c;
		bool boot = o != PLAN_CPU_PARKED && p->guests[o].cpus[0] == c;

		hv_snprintf(line, sizeof(line), "  cpu %-3u %s%s%s", c,
			    o == PLAN_CPU_PARKED ? "parked in the hypervisor" : p->guests[o].name,
			    boot ? " (boot CPU)" : "", console ? ", console" : "");
		print(ctx, line);
	}
}

void plan_print(const struct plan *p, plan_print_fn print, void *ctx)
{
	print(ctx, "plan:");
	print(ctx, "  guest            cpus       memory     host-physical                  "
		   "guest-physical             pages");
	for (u32 i = 0; i < p->guest_count; i++)
		print_guest(&p->guests[i], print, ctx);
	if (p->shared_count) {
		print(ctx,
		      "  shared           size                  host-physical                  "
		      "guest-physical             guests");
		for (u32 i = 0; i < p->shared_count; i++)
			print_shared(p, &p->shared[i], print, ctx);
	}
	print_cpus(p, print, ctx);
}
