/* SPDX-License-Identifier: Apache-2.0 */
/* Planner: exact fit, fragmentation, pinned ranges, > 4 GiB, impossible plans. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>

#include <cmocka.h>

#include <hv/config.h>
#include <hv/errno.h>
#include <hv/plan.h>

#include "config_test_util.h"

static struct config cfg;
static struct machine_desc m;
static struct plan plan, plan2;
static struct captured cap;

static void machine_with(const struct machine_range *ram, u32 n)
{
	memset(&m, 0, sizeof(m));
	m.cpu_count = 8;
	for (u32 i = 0; i < n; i++)
		m.ram[m.ram_count++] = ram[i];
}

static int build(const char *text)
{
	struct diag_sink sink = {.emit = capture_emit, .ctx = &cap, .file = "p.cfg"};

	memset(&cap, 0, sizeof(cap));
	if (config_load(&cfg, "p.cfg", text, strlen(text), &sink)) {
		captured_dump(&cap);
		fail_msg("configuration rejected");
	}
	return plan_build(&cfg, &m, &plan, &sink);
}

/* Invariants of every plan: extents in RAM, disjoint, covering each guest's memory. */
static void check_invariants(void)
{
	for (u32 i = 0; i < plan.guest_count; i++) {
		const struct plan_guest *g = &plan.guests[i];
		u64 total = 0, off = 0;

		for (u32 e = 0; e < g->extent_count; e++) {
			const struct plan_extent *x = &g->extents[e];
			bool in_ram = false;

			for (u32 r = 0; r < m.ram_count; r++)
				in_ram |= x->hpa >= m.ram[r].base &&
					  x->hpa + x->size <= m.ram[r].base + m.ram[r].size;
			assert_true(in_ram);
			assert_true(x->hpa >= 0x100000);
			for (u32 r = 0; r < m.reserved_count; r++)
				assert_true(x->hpa + x->size <= m.reserved[r].base ||
					    x->hpa >= m.reserved[r].base + m.reserved[r].size);
			/* Guest memory fills 0..3G, then 4G up. */
			assert_true(x->gpa == (off < PLAN_GPA_MMIO32
						       ? off
						       : off + PLAN_GPA_HIGH - PLAN_GPA_MMIO32));
			off += x->size;
			total += x->size;
			for (u32 j = 0; j < plan.guest_count; j++)
				for (u32 f = 0; f < plan.guests[j].extent_count; f++) {
					const struct plan_extent *y = &plan.guests[j].extents[f];

					if (y != x)
						assert_true(x->hpa + x->size <= y->hpa ||
							    y->hpa + y->size <= x->hpa);
				}
			for (u32 s = 0; s < plan.shared_count; s++)
				assert_true(x->hpa + x->size <= plan.shared[s].hpa ||
					    plan.shared[s].hpa + plan.shared[s].size <= x->hpa);
		}
		assert_true(total == g->memory);
	}
}

#define GUEST(name, cpu, mem)                                                                      \
	"[guest " name "]\ncpus=" cpu "\nmemory=" mem "\nformat=elf\nkernel=k\n"

static void test_exact_fit(void **state)
{
	const struct machine_range ram[] = {{0x100000, 0x600000}}; /* 1-7 MiB */

	machine_with(ram, 1);
	assert_int_equal(build(GUEST("a", "1", "2M") GUEST("b", "2", "4M")), 0);
	check_invariants();
	assert_int_equal(plan.free_count, 0);
	/* 2 MiB alignment leaves gaps that make it fail: 4 KiB, one piece each. */
	assert_int_equal(plan.guests[0].extent_count, 1);
	assert_int_equal(plan.guests[1].extent_count, 1);
	assert_true(plan.guests[1].extents[0].hpa == 0x100000);
	assert_true(plan.guests[0].extents[0].hpa == 0x500000);
	assert_int_equal(plan.cpu_owner[1], 0);
	assert_int_equal(plan.cpu_owner[2], 1);
	assert_int_equal(plan.cpu_owner[0], PLAN_CPU_PARKED);
}

static void test_large_page_alignment(void **state)
{
	const struct machine_range ram[] = {{0x100000, 0xbff00000}, {1ULL << 32, 1ULL << 32}};

	machine_with(ram, 2);
	m.reserved[m.reserved_count++] = (struct machine_range){0x200000, 0x1e00000};
	assert_int_equal(build(GUEST("a", "1", "1G") GUEST("b", "2", "6M")), 0);
	check_invariants();
	assert_true(IS_ALIGNED(plan.guests[0].extents[0].hpa, SIZE_1G));
	assert_true(plan.guests[0].page_size == SIZE_1G);
	assert_true(IS_ALIGNED(plan.guests[1].extents[0].hpa, SIZE_2M));
	assert_true(plan.guests[1].page_size == SIZE_2M);
}

static void test_fragmentation(void **state)
{
	const struct machine_range ram[] = {
		{0x1000000, 0x1000000},
		{0x3000000, 0x1000000},
		{0x5000000, 0x1000000},
		{0x7000000, 0x1000000}}; /* four 16 MiB pieces with holes */

	machine_with(ram, 4);
	assert_int_equal(build(GUEST("a", "1", "40M") GUEST("b", "2", "20M")), 0);
	check_invariants();
	assert_int_equal(plan.guests[0].extent_count, 3);
	assert_int_equal(plan.guests[1].extent_count, 2);
}

static void test_pinned(void **state)
{
	const struct machine_range ram[] = {{0x100000, 0x3ff00000}};

	machine_with(ram, 1);
	assert_int_equal(build(GUEST("a", "1", "64M") GUEST("p", "2", "16M at 0x2000000")), 0);
	check_invariants();
	assert_int_equal(plan.guests[1].extent_count, 1);
	assert_true(plan.guests[1].extents[0].hpa == 0x2000000);
	/* Pinned memory is taken first; a goes elsewhere. */
	assert_true(plan.guests[0].extents[0].hpa >= 0x3000000);
}

static void test_above_4g(void **state)
{
	const struct machine_range ram[] = {{0x100000, 0x7ff00000}, {1ULL << 32, 8ULL << 30}};
	const struct plan_guest *g;

	machine_with(ram, 2);
	assert_int_equal(build(GUEST("a", "1", "5G") "[shared r]\nsize=2M\nguests=a b\n" GUEST(
				 "b", "2", "64M")),
			 0);
	check_invariants();
	g = &plan.guests[0];
	assert_int_equal(g->extent_count, 2);
	assert_true(g->extents[0].gpa == 0 && g->extents[0].size == 3ULL << 30);
	assert_true(g->extents[1].gpa == PLAN_GPA_HIGH && g->extents[1].size == 2ULL << 30);
	assert_true(g->low_end == PLAN_GPA_MMIO32);
	assert_true(g->high_end == PLAN_GPA_HIGH + (2ULL << 30));
	assert_true(g->page_size == SIZE_1G);
	assert_true(plan.shared[0].gpa == PLAN_GPA_MMIO32);
	assert_int_equal(plan.shared[0].guest_count, 2);
}

static void test_impossible(void **state)
{
	const struct machine_range ram[] = {{0x100000, 0x3f00000}}; /* 63 MiB */
	const struct machine_range frag[] = {{0x1000000, 0x400000}, {0x2000000, 0x400000},
					     {0x3000000, 0x400000}, {0x4000000, 0x400000},
					     {0x5000000, 0x400000}, {0x6000000, 0x400000},
					     {0x7000000, 0x400000}, {0x8000000, 0x400000},
					     {0x9000000, 0x400000}, {0xa000000, 0x400000}};

	machine_with(ram, 1);
	assert_int_equal(build(GUEST("a", "1", "32M") GUEST("b", "2", "32M")), -ENOSPC);
	assert_true(captured_has(&cap, "error", "ram-short"));
	assert_non_null(strstr(cap.lines[0], "1 MiB missing"));
	machine_with(frag, ARRAY_SIZE(frag));
	assert_int_equal(build(GUEST("a", "1", "36M")), -ENOSPC);
	assert_true(captured_has(&cap, "error", "plan-fragmented"));
	machine_with(ram, 1);
	assert_int_equal(build(GUEST("a", "1", "4M at 0x10000000")), -ENOSPC);
	assert_true(captured_has(&cap, "error", "memory-not-ram"));
}

static void test_deterministic(void **state)
{
	const struct machine_range ram[] = {{0x100000, 0x7ff00000}, {1ULL << 32, 1ULL << 31}};
	const char *text = GUEST("a", "1", "300M") GUEST("b", "2", "1G")
		GUEST("c", "3", "7M") "[shared r]\nsize=8K\nguests=a c\n";

	machine_with(ram, 2);
	assert_int_equal(build(text), 0);
	check_invariants();
	memcpy(&plan2, &plan, sizeof(plan));
	assert_int_equal(build(text), 0);
	assert_memory_equal(&plan, &plan2, sizeof(plan));
}

static void count_line(void *ctx, const char *line)
{
	(*(int *)ctx)++;
	assert_true(strlen(line) < 160);
}

static void test_print(void **state)
{
	const struct machine_range ram[] = {{0x100000, 0x7ff00000}};
	int lines = 0;

	machine_with(ram, 1);
	assert_int_equal(build(GUEST("a", "1-2", "64M")
				       GUEST("b", "3", "64M") "[shared r]\nsize=8K\nguests=a b\n"),
			 0);
	plan_print(&plan, count_line, &lines);
	/* title, header, 2 guests, shared header, 1 shared, 8 CPUs */
	assert_int_equal(lines, 14);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_exact_fit),     cmocka_unit_test(test_large_page_alignment),
		cmocka_unit_test(test_fragmentation), cmocka_unit_test(test_pinned),
		cmocka_unit_test(test_above_4g),      cmocka_unit_test(test_impossible),
		cmocka_unit_test(test_deterministic), cmocka_unit_test(test_print),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
