/* SPDX-License-Identifier: Apache-2.0 */
/*
 * One test per rule identifier of docs/config.md: a file that breaks the
 * rule must report it, and the same file with the fix must report nothing.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>

#include <cmocka.h>

#include <hv/config.h>
#include <hv/plan.h>

#include "config_test_util.h"

static struct config cfg;
static struct machine_desc machine;
static struct plan plan;

struct rule_case {
	const char *rule;
	bool warning; /* the rule is a warning; "machine": below, needs the machine check */
	const char *bad;
	const char *good;
};

#define G_A	    "[guest a]\ncpus = 1\nmemory = 4M\nformat = multiboot\nkernel = a.elf\n"
#define G_B	    "[guest b]\ncpus = 2\nmemory = 4M\nformat = multiboot\nkernel = b.elf\n"
#define G_A_(extra) "[guest a]\ncpus = 1\nmemory = 4M\nformat = multiboot\nkernel = a.elf\n" extra
#define G_(cpus, mem, fmt, extra)                                                                  \
	"[guest a]\ncpus = " cpus "\nmemory = " mem "\nformat = " fmt "\nkernel = a.elf\n" extra

static const struct rule_case cases[] = {
	{"syntax", false, G_A_("uart com1\n"), G_A_("uart = com1\n")},
	{"bad-char", false, G_A_("cmdline = a\001b\n"), G_A_("cmdline = ab\n")},
	{"unknown-section", false, "[gest x]\n" G_A,
	 "[guest x]\ncpus=3\nmemory=4M\nformat=elf\n"
	 "kernel=x\n" G_A},
	{"unknown-key", false, G_A_("memroy = 4M\n"), G_A},
	{"duplicate-key", false, G_A_("cpus = 1\n"), G_A},
	{"duplicate-section", false, "[hypervisor]\n[hypervisor]\n" G_A, "[hypervisor]\n" G_A},
	{"duplicate-guest", false, G_A G_A, G_A G_B},
	{"duplicate-shared", false,
	 G_A G_B "[shared r]\nsize=4K\nguests=a b\n[shared r]\nsize=4K\nguests=a b\n",
	 G_A G_B "[shared r]\nsize=4K\nguests=a b\n[shared s]\nsize=4K\nguests=a b\n"},
	{"bad-name", false, "[guest a/b]\n", G_A},
	{"missing-key", false, "[guest a]\ncpus = 1\nmemory = 4M\nformat = elf\n", G_A},
	{"bad-value", false, G_A_("on_fault = explode\n"), G_A_("on_fault = restart\n")},
	{"value-overflow", false, G_("1", "4M", "raw", "entry = 0x10000000000000000\n"),
	 G_("1", "4M", "raw", "entry = 0xffffffffffffffff\n")},
	{"limit", false, G_("0-64", "4M", "elf", ""), G_("0-63", "4M", "elf", "")},
	{"cpu-duplicate", false, G_("1,2,1", "4M", "elf", ""), G_("1,2", "4M", "elf", "")},
	{"cpu-shared", false, G_A "[guest b]\ncpus=0-1\nmemory=4M\nformat=elf\nkernel=b\n",
	 G_A "[guest b]\ncpus=0,2\nmemory=4M\nformat=elf\nkernel=b\n"},
	{"cpu-range", false, G_("256", "4M", "elf", ""), G_("255", "4M", "elf", "")},
	{"memory-align", false, G_("1", "4097K", "elf", ""), G_("1", "4100K", "elf", "")},
	{"memory-too-small", false, G_("1", "15M", "linux", ""), G_("1", "16M", "linux", "")},
	{"memory-overlap", false,
	 G_("1", "64M at 0x40000000", "elf", "") "[guest b]\ncpus=2\nmemory=4M at 0x43fff000\n"
						 "format=elf\nkernel=b\n",
	 G_("1", "64M at 0x40000000", "elf", "") "[guest b]\ncpus=2\nmemory=4M at 0x44000000\n"
						 "format=elf\nkernel=b\n"},
	{"memory-reserved", false, G_("1", "4M at 0xff000", "elf", ""),
	 G_("1", "4M at 0x40000000", "elf", "")},
	{"raw-entry", false, G_("1", "4M", "raw", ""), G_("1", "4M", "raw", "entry = 0x100000\n")},
	{"entry-ignored", true, G_("1", "4M", "elf", "entry = 0x100000\n"),
	 G_("1", "4M", "elf", "")},
	{"initrd-format", false, G_("1", "4M", "elf", "initrd = i.gz\n"),
	 G_("1", "16M", "linux", "initrd = i.gz\n")},
	{"module-format", false, G_("1", "16M", "linux", "module = m.bin\n"),
	 G_("1", "16M", "multiboot", "module = m.bin\n")},
	{"mmio-align", false, G_A_("mmio = 0xfed00000+0x100\n"), G_A_("mmio = 0xfed00000+4K\n")},
	{"port-conflict", false, G_A_("ioports = 0x70-0x71\n"), G_A_("ioports = 0x2f8-0x2ff\n")},
	{"port-conflict", false, G_A_("ioports = 0x608+4\n"), G_A_("ioports = 0x610+4\n")},
	{"port-conflict", false, G_A_("ioports = 0x4d0\n"), G_A_("ioports = 0x4d2\n")},
	{"port-conflict", false, G_A_("ioports = 0x61\n"), G_A_("ioports = 0x62\n")},
	{"passthrough-shared", false, G_A_("pci = 00:03.0\n") G_B "pci = 00:03.0\n",
	 G_A_("pci = 00:03.0\n") G_B "pci = 00:02.0\n"},
	{"passthrough-duplicate", false, G_A_("mmio = 0xfed00000+8K\nmmio = 0xfed01000+4K\n"),
	 G_A_("mmio = 0xfed00000+4K\nmmio = 0xfed01000+4K\n")},
	{"console-passthrough", false,
	 "[hypervisor]\nserial = io=0x2f8\n" G_A_("ioports=0x2f8+8\n"),
	 "[hypervisor]\nserial = com1\n" G_A_("ioports=0x2f8+8\n")},
	{"console-cpu", true, "[hypervisor]\nconsole_cpu = 1\n" G_A,
	 "[hypervisor]\nconsole_cpu = 0\n" G_A},
	{"shared-unknown-guest", false, G_A G_B "[shared r]\nsize = 2M\nguests = a c\n",
	 G_A G_B "[shared r]\nsize = 2M\nguests = a b\n"},
	{"shared-one-guest", false, G_A G_B "[shared r]\nsize = 2M\nguests = a\n",
	 G_A G_B "[shared r]\nsize = 2M\nguests = a, b\n"},
	{"no-guest", false, "[hypervisor]\nserial = com1\n", G_A},
/* Rules of the machine (the default machine of docs/config.md), from here on. */
#define FIRST_MACHINE_RULE "cpu-absent"
	{"cpu-absent", false, G_("4", "4M", "elf", ""), G_("3", "4M", "elf", "")},
	{"ram-short", false, G_("1", "5G", "elf", ""), G_("1", "3G", "elf", "")},
	{"memory-not-ram", false, G_("1", "4M at 0x80000000", "elf", ""),
	 G_("1", "4M at 0x7fc00000", "elf", "")},
	{"pci-absent", false, G_A_("pci = 00:04.0\n"), G_A_("pci = 00:1f.3\n")},
	{"image-missing", false, "[guest a]\ncpus=1\nmemory=4M\nformat=elf\nkernel=missing\n", G_A},
	{"image-too-large", false, "[guest a]\ncpus=1\nmemory=4M\nformat=elf\nkernel=big\n", G_A},
};

/*
 * Images: "big" weighs 5 MiB, "almost" 2 MiB - 4 KiB, "tiny" 1 byte,
 * "missing" is absent, every other file 64 KiB.
 */
static int file_size(void *ctx, const char *name, u64 *size)
{
	if (!strcmp(name, "missing"))
		return -2;
	if (!strcmp(name, "big"))
		*size = 5 << 20;
	else if (!strcmp(name, "almost"))
		*size = (2 << 20) - 4096;
	else if (!strcmp(name, "tiny"))
		*size = 1;
	else
		*size = 0x10000;
	return 0;
}

static int run(const char *text, bool with_machine, struct captured *c)
{
	struct diag_sink sink = {.emit = capture_emit, .ctx = c, .file = "t.cfg"};
	int err;

	memset(c, 0, sizeof(*c));
	machine_default(&machine);
	machine.file_size = file_size;
	err = config_load(&cfg, "t.cfg", text, strlen(text), &sink);
	if (!err && with_machine)
		err = config_check_machine(&cfg, &machine, &sink);
	if (!err && with_machine)
		err = plan_build(&cfg, &machine, &plan, &sink);
	return err;
}

static bool is_machine_rule(const struct rule_case *rc)
{
	for (size_t i = 0; i < ARRAY_SIZE(cases); i++)
		if (!strcmp(cases[i].rule, FIRST_MACHINE_RULE))
			return rc >= &cases[i];
	return false;
}

static void test_rule(void **state)
{
	const struct rule_case *rc = *state;
	const char *sev = rc->warning ? "warning" : "error";
	bool with_machine = is_machine_rule(rc);
	struct captured c;
	int err;

	err = run(rc->bad, with_machine, &c);
	if (!captured_has(&c, sev, rc->rule)) {
		captured_dump(&c);
		fail_msg("%s: the bad file did not report %s[%s]", rc->rule, sev, rc->rule);
	}
	assert_true(rc->warning || err != 0);
	err = run(rc->good, with_machine, &c);
	if (err || c.count) {
		captured_dump(&c);
		fail_msg("%s: the fixed file still reports something", rc->rule);
	}
}

/* Every rule's line names the right file and a line of the file. */
static void test_format_of_a_line(void **state)
{
	struct captured c;

	run(G_A "cpus = 2\n", false, &c);
	assert_int_equal(c.count, 1);
	assert_string_equal(
		c.lines[0],
		"t.cfg:6: error[duplicate-key]: 'cpus' is already set at line 2: keep one");
}

/* ---- module = PATH [STRING] ------------------------------------------------------ */

static void expect_clean(const char *text, bool with_machine)
{
	struct captured c;

	if (run(text, with_machine, &c) || c.count) {
		captured_dump(&c);
		fail_msg("expected no finding");
	}
}

static void expect_only(const char *text, bool with_machine, const char *rule, unsigned int line)
{
	struct captured c;
	char want[32];

	assert_int_not_equal(run(text, with_machine, &c), 0);
	snprintf(want, sizeof(want), "t.cfg:%u: error[%s]: ", line, rule);
	if (c.count != 1 || strncmp(c.lines[0], want, strlen(want))) {
		captured_dump(&c);
		fail_msg("expected exactly one finding starting '%s'", want);
	}
}

static void test_module_strings(void **state)
{
	const struct cfg_guest *g = &cfg.guests[0];

	expect_clean(G_A_("module = m1.bin\n"
			  "module = m2.bin \"m2.bin first  args # kept\"  # comment\n"
			  "module = \tm3.bin\t x\n"),
		     false);
	assert_int_equal(g->module_count, 3);
	assert_string_equal(g->modules[0].path, "m1.bin");
	assert_string_equal(g->modules[0].string, "m1.bin");
	assert_int_equal(g->modules[0].line, 6);
	assert_string_equal(g->modules[1].path, "m2.bin");
	assert_string_equal(g->modules[1].string, "m2.bin first  args # kept");
	assert_string_equal(g->modules[2].path, "m3.bin");
	assert_string_equal(g->modules[2].string, "x");
	assert_int_equal(g->modules[2].line, 8);
}

static void test_module_bad_path(void **state)
{
	char text[512];
	char path[129];

	expect_only(G_A_("module = \" m.bin\"\n"), false, "bad-value", 6);
	expect_only(G_A_("module =\n"), false, "bad-value", 6);
	memset(path, 'p', 128);
	path[128] = '\0';
	snprintf(text, sizeof(text), G_A_("module = %s\n"), path);
	expect_only(text, false, "bad-value", 6);
	snprintf(text, sizeof(text), G_A_("module = %s s\n"), path + 1);
	expect_clean(text, false);
}

static void test_module_limit(void **state)
{
	char text[2048];
	size_t n = snprintf(text, sizeof(text), G_A);

	for (int i = 0; i < CFG_MAX_MODULES; i++)
		n += snprintf(text + n, sizeof(text) - n, "module = m%d.bin\n", i);
	expect_clean(text, false);
	assert_int_equal(cfg.guests[0].module_count, CFG_MAX_MODULES);
	snprintf(text + n, sizeof(text) - n, "module = extra.bin\n");
	expect_only(text, false, "limit", 6 + CFG_MAX_MODULES);
}

/* Each module is an image: missing ones are reported at their own line. */
static void test_module_image_missing(void **state)
{
	expect_only(G_A_("module = a.elf\nmodule = missing args\n"), true, "image-missing", 7);
	expect_clean(G_A_("module = a.elf\nmodule = tiny args\n"), true);
}

/* Modules count in the image size, each as whole pages. */
#define G_ALMOST "[guest a]\ncpus = 1\nmemory = 2M\nformat = multiboot\nkernel = almost\n"
static void test_module_image_too_large(void **state)
{
	expect_only(G_A_("module = big\n"), true, "image-too-large", 5);
	expect_clean(G_ALMOST "module = tiny\n", true);
	expect_only(G_ALMOST "module = tiny\nmodule = tiny again\n", true, "image-too-large", 5);
}

int main(void)
{
	static const struct CMUnitTest module_tests[] = {
		cmocka_unit_test(test_module_strings),
		cmocka_unit_test(test_module_bad_path),
		cmocka_unit_test(test_module_limit),
		cmocka_unit_test(test_module_image_missing),
		cmocka_unit_test(test_module_image_too_large),
	};
	struct CMUnitTest tests[ARRAY_SIZE(cases) + 1];
	int failed;

	for (size_t i = 0; i < ARRAY_SIZE(cases); i++)
		tests[i] = (struct CMUnitTest){.name = cases[i].rule,
					       .test_func = test_rule,
					       .initial_state = (void *)&cases[i]};
	tests[ARRAY_SIZE(cases)] =
		(struct CMUnitTest){.name = "format of a line", .test_func = test_format_of_a_line};
	failed = _cmocka_run_group_tests("config rules", tests, ARRAY_SIZE(tests), NULL, NULL);
	return failed | cmocka_run_group_tests_name("config modules", module_tests, NULL, NULL);
}
