/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Second-level tables (EPT and NPT) built from real plans: walking them must
 * give back exactly each guest's extents and its shared regions, and never a
 * hypervisor page or another guest's page.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include <hv/config.h>
#include <hv/errno.h>
#include <hv/plan.h>
#include <hv/sl_build.h>

static struct config cfg;
static struct plan plan;
static struct machine_desc machine;

static void quiet(void *ctx, enum diag_severity sev, const char *line)
{
	fprintf(stderr, "%s\n", line);
}

/* Table pages from the host heap: the "physical address" is the pointer. */
static hpa_t heap_alloc(void *ctx)
{
	void *p = aligned_alloc(PAGE_SIZE, PAGE_SIZE);

	if (p)
		memset(p, 0, PAGE_SIZE);
	return (hpa_t)(uintptr_t)p;
}

static void heap_free(void *ctx, hpa_t t)
{
	free((void *)(uintptr_t)t);
}

static void *heap_virt(void *ctx, hpa_t t)
{
	return (void *)(uintptr_t)t;
}

static const struct pt_mem heap = {heap_alloc, heap_free, heap_virt, NULL};

static const char three_guests[] = "[guest a]\ncpus = 1\nmemory = 6M\nformat = multiboot\n"
				   "kernel = a.elf\n"
				   "[guest b]\ncpus = 2\nmemory = 1G\nformat = multiboot\n"
				   "kernel = b.elf\n"
				   "[guest c]\ncpus = 3\nmemory = 5G\nformat = multiboot\n"
				   "kernel = c.elf\n"
				   "[shared ring]\nsize = 2M\nguests = a c\n";

static void make_plan(const char *text)
{
	struct diag_sink sink = {.emit = quiet, .file = "t.cfg"};

	machine_default(&machine);
	machine.ram_count = 2;
	machine.ram[0] = (struct machine_range){0x100000, 0x7ff00000};		 /* < 2 GiB */
	machine.ram[1] = (struct machine_range){0x100000000ULL, 0x200000000ULL}; /* 4-12 GiB */
	machine.file_size = NULL;
	assert_int_equal(config_load(&cfg, "t.cfg", text, strlen(text), &sink), 0);
	assert_int_equal(config_check_machine(&cfg, &machine, &sink), 0);
	assert_int_equal(plan_build(&cfg, &machine, &plan, &sink), 0);
}

struct walk_check {
	u32 gi;
	u64 mapped;
};

static bool inside(u64 a, u64 size, u64 base, u64 len)
{
	return a >= base && a + size <= base + len;
}

static bool overlaps(u64 a, u64 size, u64 base, u64 len)
{
	return a < base + len && base < a + size;
}

/* The one place a leaf may come from: one of the guest's extents or its shared regions. */
static bool leaf_is_planned(const struct walk_check *w, const struct pt_mapping *m)
{
	const struct plan_guest *g = &plan.guests[w->gi];

	for (u32 i = 0; i < g->extent_count; i++) {
		const struct plan_extent *x = &g->extents[i];
		if (inside(m->va, m->size, x->gpa, x->size))
			return m->pa == x->hpa + (m->va - x->gpa);
	}
	for (u32 i = 0; i < plan.shared_count; i++) {
		const struct plan_shared *s = &plan.shared[i];
		if (plan_shared_has_guest(s, w->gi) && inside(m->va, m->size, s->gpa, s->size))
			return m->pa == s->hpa + (m->va - s->gpa);
	}
	return false;
}

static int check_leaf(void *arg, const struct pt_mapping *m)
{
	struct walk_check *w = arg;

	assert_true(leaf_is_planned(w, m));
	for (u32 r = 0; r < machine.reserved_count; r++) /* the hypervisor's own memory */
		assert_false(overlaps(m->pa, m->size, machine.reserved[r].base,
				      machine.reserved[r].size));
	for (u32 o = 0; o < plan.guest_count; o++) {
		if (o == w->gi)
			continue;
		for (u32 i = 0; i < plan.guests[o].extent_count; i++)
			assert_false(overlaps(m->pa, m->size, plan.guests[o].extents[i].hpa,
					      plan.guests[o].extents[i].size));
	}
	w->mapped += m->size;
	return 0;
}

static u64 shared_bytes(u32 gi)
{
	u64 n = 0;

	for (u32 i = 0; i < plan.shared_count; i++)
		if (plan_shared_has_guest(&plan.shared[i], gi))
			n += plan.shared[i].size;
	return n;
}

static void check_format(const struct pt_format *fmt)
{
	for (u32 gi = 0; gi < plan.guest_count; gi++) {
		struct walk_check w = {.gi = gi};
		struct pt sl;

		assert_int_equal(pt_init(&sl, fmt, &heap), 0);
		assert_int_equal(sl_map_guest(&sl, &plan, gi), 0);
		assert_int_equal(pt_walk(&sl, check_leaf, &w), 0);
		assert_int_equal(w.mapped, plan.guests[gi].memory + shared_bytes(gi));
		pt_destroy(&sl);
	}
}

static void test_ept_from_plan(void **state)
{
	make_plan(three_guests);
	assert_int_equal(plan.shared_count, 1);
	check_format(&pt_format_ept);
}

static void test_npt_from_plan(void **state)
{
	make_plan(three_guests);
	check_format(&pt_format_npt);
}

/* The guest above 4 GiB gets RAM from 4 GiB up and nothing in its 3-4 GiB window but shared memory.
 */
static void test_high_memory_layout(void **state)
{
	struct pt_mapping m;
	struct pt sl;
	u32 c = 2;

	make_plan(three_guests);
	assert_string_equal(plan.guests[c].name, "c");
	assert_int_equal(pt_init(&sl, &pt_format_ept, &heap), 0);
	assert_int_equal(sl_map_guest(&sl, &plan, c), 0);
	assert_int_equal(pt_lookup(&sl, 0, &m), 0);
	assert_int_equal(pt_lookup(&sl, PLAN_GPA_HIGH, &m), 0);
	assert_int_equal(pt_lookup(&sl, plan.guests[c].high_end - 1, &m), 0);
	assert_int_not_equal(pt_lookup(&sl, plan.guests[c].high_end, &m), 0);
	assert_int_not_equal(pt_lookup(&sl, PLAN_GPA_MMIO32 + 0x10000000, &m), 0);
	pt_destroy(&sl);
}

/* Guest b is in no shared region: the shared range is unmapped for it. */
static void test_shared_only_for_members(void **state)
{
	struct pt_mapping m;
	struct pt sl;

	make_plan(three_guests);
	assert_int_equal(pt_init(&sl, &pt_format_npt, &heap), 0);
	assert_int_equal(sl_map_guest(&sl, &plan, 1), 0);
	assert_int_not_equal(pt_lookup(&sl, plan.shared[0].gpa, &m), 0);
	pt_destroy(&sl);
	assert_int_equal(pt_init(&sl, &pt_format_npt, &heap), 0);
	assert_int_equal(sl_map_guest(&sl, &plan, 0), 0);
	assert_int_equal(pt_lookup(&sl, plan.shared[0].gpa, &m), 0);
	assert_int_equal(m.pa, plan.shared[0].hpa);
	pt_destroy(&sl);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_ept_from_plan),
		cmocka_unit_test(test_npt_from_plan),
		cmocka_unit_test(test_high_memory_layout),
		cmocka_unit_test(test_shared_only_for_members),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
