/* SPDX-License-Identifier: Apache-2.0 */
/*
 * A guest's memory: the host ranges the planner chose, claimed from the page
 * allocator, zeroed, and mapped by second-level tables (EPT or NPT, built with
 * the one page-table walker) that map nothing else. Then its image and
 * multiboot modules, copied from the pristine boot copies by the format's
 * loader.
 */
#include <arch/vcpu_vendor.h>
#include <hv/boot_info.h>
#include <hv/errno.h>
#include <hv/loader.h>
#include <hv/mm.h>
#include <hv/printk.h>
#include <hv/sl_build.h>
#include <hv/string.h>

#include "guest_linux.h"
#include "guest_priv.h"

static hpa_t sl_alloc(void *ctx)
{
	return page_alloc(1, PAGE_SIZE, PAGE_ZERO);
}

static void sl_free(void *ctx, hpa_t table)
{
	page_free(table, 1);
}

static void *sl_virt(void *ctx, hpa_t table)
{
	return phys_to_virt(table);
}

static const struct pt_mem sl_mem = {.alloc = sl_alloc, .free = sl_free, .phys_to_virt = sl_virt};

static int map_extents(struct guest *g)
{
	struct sl_format_info fi;
	int rc;

	vcpu_sl_format(&fi);
	rc = pt_init(&g->sl, fi.fmt, &sl_mem);
	if (!rc)
		rc = pt_set_leaf_levels(&g->sl, fi.leaf_levels);
	if (!rc)
		rc = sl_map_guest(&g->sl, g->whole_plan, g->plan_index);
	return rc;
}

int guest_build_memory(struct guest *g)
{
	const struct plan_guest *p = g->plan;
	int rc;

	guest_mem_init(&g->mem);
	for (u32 i = 0; i < p->extent_count; i++) {
		const struct plan_extent *x = &p->extents[i];
		rc = mm_claim(x->hpa, x->size);
		if (rc) {
			pr_err("bulkhead: guest %s: host memory %#llx+%#llx is not free", p->name,
			       (unsigned long long)x->hpa, (unsigned long long)x->size);
			return rc;
		}
		rc = guest_mem_add(&g->mem, x->gpa, phys_to_virt(x->hpa), x->size);
		if (rc)
			return rc;
	}
	rc = map_extents(g);
	if (rc)
		pr_err("bulkhead: guest %s: cannot build its second-level tables (%d)", p->name,
		       rc);
	return rc;
}

/* The layout the guest is told about (docs/config.md, "Guest-physical layout"). */
static u32 guest_layout(const struct plan_guest *p, struct loader_map_entry *map)
{
	u32 n = 0;

	map[n++] = (struct loader_map_entry){0, PLAN_GPA_LEGACY_HOLE, LOADER_MEM_RAM};
	map[n++] = (struct loader_map_entry){
		PLAN_GPA_LEGACY_HOLE, PLAN_GPA_LOW_RAM - PLAN_GPA_LEGACY_HOLE, LOADER_MEM_RESERVED};
	if (p->low_end > PLAN_GPA_LOW_RAM)
		map[n++] = (struct loader_map_entry){PLAN_GPA_LOW_RAM,
						     p->low_end - PLAN_GPA_LOW_RAM, LOADER_MEM_RAM};
	if (p->high_end > PLAN_GPA_HIGH)
		map[n++] = (struct loader_map_entry){PLAN_GPA_HIGH, p->high_end - PLAN_GPA_HIGH,
						     LOADER_MEM_RAM};
	return n;
}

static int loader_format_of(enum cfg_format f, enum loader_format *out)
{
	switch (f) {
	case CFG_FORMAT_MULTIBOOT:
		*out = LOADER_FORMAT_MULTIBOOT;
		return 0;
	case CFG_FORMAT_ELF:
		*out = LOADER_FORMAT_ELF;
		return 0;
	case CFG_FORMAT_RAW:
		*out = LOADER_FORMAT_RAW;
		return 0;
	case CFG_FORMAT_LINUX:
		*out = LOADER_FORMAT_LINUX;
		return 0;
	case CFG_FORMAT_NONE:
		return -ENOTSUP;
	}
	return -ENOTSUP;
}

static void scrub(struct guest *g)
{
	for (u32 i = 0; i < g->mem.count; i++)
		memset(g->mem.regions[i].hva, 0, g->mem.regions[i].size);
}

/*
 * The configured multiboot modules, in order: the pristine bytes the boot
 * path loaded and the configured string. The configuration check has already
 * reported a missing file (image-missing); this refuses to load without it.
 */
static int guest_modules(const struct guest *g, struct loader_module *mods)
{
	for (u32 i = 0; i < g->cfg->module_count; i++) {
		const struct cfg_module *m = &g->cfg->modules[i];
		const struct boot_file *f = boot_find_file(g->boot, m->path);

		if (!f) {
			pr_err("bulkhead: guest %s: module %s was not loaded", g->cfg->name,
			       m->path);
			return -ENOENT;
		}
		mods[i] = (struct loader_module){phys_to_virt(f->addr), f->size, m->string};
	}
	return 0;
}

/* Zeroes all of the guest's memory, then loads its image: the same at boot and on restart. */
int guest_load_image(struct guest *g)
{
	struct loader_module mods[CFG_MAX_MODULES];
	struct loader_map_entry map[4];
	struct loader_image img = {0};
	struct loader_start start;
	enum loader_format fmt;
	char err[LOADER_ERR_MAX] = "";

	if (loader_format_of(g->cfg->format, &fmt)) {
		pr_err("bulkhead: guest %s: this image format is not supported yet", g->cfg->name);
		return -ENOTSUP;
	}
	if (guest_modules(g, mods))
		return -ENOENT;
	scrub(g);
	img.data = phys_to_virt(g->image->addr);
	img.size = g->image->size;
	img.path = g->cfg->kernel;
	img.cmdline = g->cfg->cmdline;
	img.modules = mods;
	img.module_count = g->cfg->module_count;
	img.load_addr = g->cfg->entry;
	img.map = map;
	img.map_count = guest_layout(g->plan, map);
	if (fmt == LOADER_FORMAT_LINUX && guest_linux_prepare(g, &img))
		return -EINVAL;
	if (loader_load(fmt, &img, &g->mem, &start, err)) {
		pr_err("bulkhead: guest %s: cannot load %s: %s", g->cfg->name, g->cfg->kernel, err);
		return -EINVAL;
	}
	vcpu_state_flat32(&g->boot_state, start.eip);
	g->boot_state.gpr[GPR_RAX] = start.eax;
	g->boot_state.gpr[GPR_RBX] = start.ebx;
	g->boot_state.gpr[GPR_RSI] = start.esi;
	return 0;
}
