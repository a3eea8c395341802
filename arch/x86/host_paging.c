/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The hypervisor's own page tables: an identity map built with the generic
 * walker (x86-64 format), replacing whatever the firmware or the multiboot2
 * entry left in CR3.
 *
 * Order matters because each pt_map replaces what it covers: first the low
 * 4 GiB as uncached MMIO, then the non-RAM ranges of the map, then RAM as
 * write-back (so RAM wins a page it shares with a firmware range), then the
 * image, and last the text as read-only and executable.
 */
#include <arch/cpu.h>
#include <arch/paging.h>
#include <hv/errno.h>
#include <hv/mm.h>
#include <hv/printk.h>
#include <hv/spinlock.h>

extern char _text[], _etext[];

#define CPUID_EXT_MAX	      0x80000000
#define CPUID_EXT_FEATURES    0x80000001
#define CPUID_EXT_EDX_NX      BIT(20)	/* execute disable (SDM Vol. 2A, CPUID 80000001H) */
#define CPUID_EXT_EDX_PAGE1GB BIT(26)	/* 1 GiB pages */
#define CR4_LA57	      BIT64(12) /* 5-level paging: these tables are 4-level */

static struct pt host_pt;
static spinlock_t host_pt_lock = SPINLOCK_INIT;
static bool nx_enabled;
static u64 table_pages;

static hpa_t table_alloc(void *ctx)
{
	hpa_t pa = page_alloc(1, PAGE_SIZE, PAGE_BELOW_4G);

	if (pa)
		table_pages++;
	return pa;
}

static void table_free(void *ctx, hpa_t table)
{
	page_free(table, 1);
	table_pages--;
}

static void *table_virt(void *ctx, hpa_t table)
{
	return phys_to_virt(table);
}

static const struct pt_mem host_mem = {table_alloc, table_free, table_virt, NULL};

static bool cpu_ext_feature(u32 edx_bit)
{
	if (cpuid(CPUID_EXT_MAX, 0).eax < CPUID_EXT_FEATURES)
		return false;
	return cpuid(CPUID_EXT_FEATURES, 0).edx & edx_bit;
}

/* Without NX every mapping is executable: the XD bit would be reserved (SDM Vol. 3A 4.5). */
static unsigned int nx_fixup(unsigned int attrs)
{
	return nx_enabled ? attrs : attrs | PT_EXEC;
}

static int map_identity(hpa_t base, u64 size, unsigned int attrs)
{
	hpa_t start = ALIGN_DOWN(base, PAGE_SIZE);
	hpa_t end = ALIGN_UP(base + size, PAGE_SIZE);

	if (!size || end <= start)
		return size ? -ERANGE : 0;
	return pt_map(&host_pt, start, start, end - start, nx_fixup(attrs));
}

static bool is_ram(u32 type)
{
	return type != BOOT_MEM_RESERVED && type != BOOT_MEM_UNUSABLE;
}

/* One pass over the memory map: the RAM ranges (WB) or the others (UC). */
static int map_memmap(bool ram)
{
	u32 n;
	const struct boot_mem_range *map = mm_memmap(&n);

	for (u32 i = 0; i < n; i++) {
		int rc;

		/* Non-RAM below 4 GiB is already mapped UC: leave its large pages whole. */
		if (is_ram(map[i].type) != ram || (!ram && map[i].base + map[i].length <= MM_4G))
			continue;
		rc = map_identity(map[i].base, map[i].length,
				  PT_RW | (ram ? PT_CACHE_WB : PT_CACHE_UC));
		if (rc)
			return rc;
	}
	return 0;
}

static int build_tables(const struct boot_info *bi)
{
	hpa_t text = virt_to_phys(_text), etext = virt_to_phys(_etext);
	int rc;

	rc = map_identity(0, MM_4G, PT_RW | PT_CACHE_UC);
	if (!rc)
		rc = map_memmap(false);
	if (!rc)
		rc = map_memmap(true);
	if (!rc)
		rc = map_identity(bi->image_base, bi->image_size, PT_RW);
	/* Both link scripts start the section after _etext on a new page. */
	if (!rc)
		rc = map_identity(text, etext - text, PT_READ | PT_EXEC);
	return rc;
}

struct leaf_census {
	u64 pages[3];
	hpa_t top;
};

static int count_leaf(void *arg, const struct pt_mapping *m)
{
	struct leaf_census *c = arg;

	if (m->level < ARRAY_SIZE(c->pages))
		c->pages[m->level]++;
	c->top = m->va + m->size;
	return 0;
}

static void log_summary(void)
{
	struct leaf_census c = {{0}, 0};

	pt_walk(&host_pt, count_leaf, &c);
	pr_info("paging: identity map to %#llx: %llu x 1G, %llu x 2M, %llu x 4K pages, "
		"%llu table pages at %#llx; text %#llx-%#llx r-x, NX %s",
		(unsigned long long)c.top, (unsigned long long)c.pages[2],
		(unsigned long long)c.pages[1], (unsigned long long)c.pages[0],
		(unsigned long long)table_pages, (unsigned long long)host_pt.root,
		(unsigned long long)virt_to_phys(_text), (unsigned long long)virt_to_phys(_etext),
		nx_enabled ? "on" : "unsupported");
}

/* NXE before the switch (the new tables set XD), WP so read-only binds the hypervisor too. */
static void load_tables(void)
{
	u64 cr4 = read_cr4();

	if (nx_enabled)
		wrmsr(MSR_EFER, rdmsr(MSR_EFER) | EFER_NXE);
	write_cr0(read_cr0() | CR0_WP);
	write_cr3(host_pt.root);
	if (cr4 & CR4_PGE) {
		/* Toggling PGE also drops the firmware's global TLB entries (SDM Vol. 3A 4.10.4.1).
		 */
		write_cr4(cr4 & ~CR4_PGE);
		write_cr4(cr4);
	}
}

int host_paging_init(const struct boot_info *bi)
{
	int rc;

	if (read_cr4() & CR4_LA57) {
		pr_err("paging: firmware left 5-level paging on; not supported");
		return -ENOTSUP;
	}
	nx_enabled = cpu_ext_feature(CPUID_EXT_EDX_NX);
	rc = pt_init(&host_pt, &pt_format_x86_64, &host_mem);
	if (!rc && !cpu_ext_feature(CPUID_EXT_EDX_PAGE1GB))
		rc = pt_set_leaf_levels(&host_pt, BIT(0) | BIT(1));
	if (!rc)
		rc = build_tables(bi);
	if (rc) {
		pr_err("paging: building the host page tables failed (%d)", rc);
		return rc;
	}
	load_tables();
	log_summary();
	return 0;
}

hpa_t host_paging_root(void)
{
	return host_pt.root;
}

bool host_paging_nx(void)
{
	return nx_enabled;
}

int host_paging_map(hpa_t pa, u64 size, unsigned int attrs)
{
	int rc;

	if (!host_pt.root)
		return -ENODEV;
	spin_lock(&host_pt_lock);
	rc = map_identity(pa, size, attrs);
	spin_unlock(&host_pt_lock);
	write_cr3(read_cr3());
	return rc;
}
