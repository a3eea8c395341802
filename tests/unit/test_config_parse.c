/* SPDX-License-Identifier: Apache-2.0 */
/* Parser edge cases: line ends, odd bytes, huge inputs and 64-bit limits. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>

#include <cmocka.h>

#include <hv/config.h>
#include <hv/errno.h>

#include "config_test_util.h"

static struct config cfg;
static struct captured cap;

#define GUEST "[guest a]\ncpus = 1\nmemory = 4M\nformat = multiboot\nkernel = a.elf\n"

static int load(const char *text, size_t len)
{
	struct diag_sink sink = {.emit = capture_emit, .ctx = &cap, .file = "p.cfg"};

	memset(&cap, 0, sizeof(cap));
	return config_load(&cfg, "p.cfg", text, len, &sink);
}

static int load_str(const char *text)
{
	return load(text, strlen(text));
}

static void test_empty_file(void **state)
{
	assert_int_equal(load("", 0), -EINVAL);
	assert_int_equal(cap.count, 1);
	assert_true(captured_has(&cap, "error", "no-guest"));
	assert_int_equal(load_str("\n\n   \n# only a comment"), -EINVAL);
	assert_int_equal(cap.count, 1);
}

static void test_no_trailing_newline(void **state)
{
	assert_int_equal(load_str(GUEST "cmdline = last"), 0);
	assert_string_equal(cfg.guests[0].cmdline, "last");
}

static void test_hypervisor_options(void **state)
{
	char text[512];

	assert_int_equal(load_str("[hypervisor]\noptions = test_exit loglevel=3\n" GUEST), 0);
	assert_string_equal(cfg.options, "test_exit loglevel=3");
	assert_int_equal(load_str(GUEST), 0);
	assert_null(cfg.options);
	snprintf(text, sizeof(text), "[hypervisor]\noptions = %0200d\n" GUEST, 0);
	assert_int_equal(load_str(text), -EINVAL);
	assert_true(captured_has(&cap, "error", "bad-value"));
}

static void test_crlf(void **state)
{
	const char *text = "[guest a]\r\ncpus = 1-2\r\nmemory = 4M\r\nformat = raw\r\n"
			   "kernel = a.bin\r\nentry = 0x100000\r\ncmdline = x y\r\n";

	assert_int_equal(load_str(text), 0);
	assert_string_equal(cfg.guests[0].cmdline, "x y");
	assert_string_equal(cfg.guests[0].kernel, "a.bin");
	assert_int_equal(cfg.guests[0].cpu_count, 2);
}

static void test_tabs_and_comments(void **state)
{
	const char *text = "\t[guest\ta]\t# the guest\n\tcpus\t=\t1 , 3\t# two\n"
			   "memory=4M\nformat =multiboot\nkernel= a.elf\n"
			   "cmdline = \"a # b \\\" c \"   # comment\n";

	assert_int_equal(load_str(text), 0);
	assert_string_equal(cfg.guests[0].name, "a");
	assert_int_equal(cfg.guests[0].cpus[1], 3);
	assert_string_equal(cfg.guests[0].cmdline, "a # b \" c ");
}

static void test_very_long_lines(void **state)
{
	size_t n = 200000;
	char *text = malloc(n + sizeof(GUEST) + 16);

	/* A huge comment is fine. */
	strcpy(text, GUEST);
	text[strlen(GUEST)] = '#';
	memset(text + strlen(GUEST) + 1, 'x', n);
	strcpy(text + strlen(GUEST) + 1 + n, "\n");
	assert_int_equal(load_str(text), 0);
	/* A huge value is an error, and so is a huge key. */
	memcpy(text + strlen(GUEST), "cmdline=", 8);
	assert_int_equal(load_str(text), -EINVAL);
	assert_true(captured_has(&cap, "error", "bad-value"));
	memset(text + strlen(GUEST), 'k', 9);
	assert_int_equal(load_str(text), -EINVAL);
	assert_true(captured_has(&cap, "error", "syntax"));
	free(text);
}

static void test_nul_bytes(void **state)
{
	static const char text[] = GUEST "cmdline = a\0b\n[guest b]\ncpus=2\n";

	assert_int_equal(load(text, sizeof(text) - 1), -EINVAL);
	assert_true(captured_has(&cap, "error", "bad-char"));
	assert_non_null(strstr(cap.lines[0], "p.cfg:6: error[bad-char]: NUL byte"));
	/* The lines after it are still parsed, with the right line numbers. */
	assert_int_equal(cfg.guest_count, 2);
	assert_int_equal(cfg.guests[1].line, 7);
}

static void test_non_ascii(void **state)
{
	assert_int_equal(load_str("# Gäste ☃\n" GUEST "cmdline = \"façade ☃\"\n"), 0);
	assert_string_equal(cfg.guests[0].cmdline, "façade ☃");
	assert_int_equal(load_str("[guest café]\n"), -EINVAL);
	assert_true(captured_has(&cap, "error", "bad-name"));
	assert_int_equal(load_str(GUEST "mémoire = 4M\n"), -EINVAL);
	assert_true(captured_has(&cap, "error", "syntax"));
	assert_int_equal(load_str("\xff\xfe\x80\n" GUEST), -EINVAL);
}

static void test_ten_thousand_guests(void **state)
{
	size_t cap_len = 10000 * 80, len = 0;
	char *text = malloc(cap_len);

	for (int i = 0; i < 10000; i++)
		len += (size_t)snprintf(text + len, cap_len - len,
					"[guest g%d]\ncpus=%d\nmemory=2M\nformat=elf\nkernel=k\n",
					i, i % 256);
	assert_int_equal(load(text, len), -EINVAL);
	assert_int_equal(cfg.guest_count, CFG_MAX_GUESTS);
	assert_int_equal(cap.count, 1);
	assert_true(captured_has(&cap, "error", "limit"));
	free(text);
}

static void test_numbers_at_2_64(void **state)
{
	u64 v;
	struct cfg_range r;

	assert_int_equal(cfg_parse_u64("18446744073709551615", 20, &v), 0);
	assert_true(v == UINT64_MAX);
	assert_int_equal(cfg_parse_u64("18446744073709551616", 20, &v), -EOVERFLOW);
	assert_int_equal(cfg_parse_u64("0xffffffffffffffff", 18, &v), 0);
	assert_int_equal(cfg_parse_u64("0x10000000000000000", 19, &v), -EOVERFLOW);
	assert_int_equal(cfg_parse_u64("0x0000000000000000000001", 24, &v), 0);
	assert_int_equal(cfg_parse_size("16777215T", 9, &v), 0);
	assert_int_equal(cfg_parse_size("16777216T", 9, &v), -EOVERFLOW);
	assert_int_equal(cfg_parse_size("17179869184G", 12, &v), -EOVERFLOW);
	assert_int_equal(cfg_parse_range("0xfffffffffffff000+4K", 21, &r), 0);
	assert_int_equal(cfg_parse_range("0xfffffffffffff000+8K", 21, &r), -EOVERFLOW);
	assert_int_equal(cfg_parse_range("0-0xffffffffffffffff", 20, &r), -EOVERFLOW);
	assert_int_equal(cfg_parse_range("5-4", 3, &r), -EINVAL);
	assert_int_equal(cfg_parse_u64("", 0, &v), -EINVAL);
	assert_int_equal(cfg_parse_u64("0x", 2, &v), -EINVAL);
	assert_int_equal(cfg_parse_u64("-1", 2, &v), -EINVAL);
	assert_int_equal(load_str("[guest a]\ncpus=1\nmemory = 8K at 0xfffffffffffff000\n"
				  "format=elf\nkernel=k\n"),
			 -EINVAL);
	assert_true(captured_has(&cap, "error", "value-overflow"));
	assert_int_equal(load_str("[guest a]\ncpus=18446744073709551616\n"), -EINVAL);
	assert_true(captured_has(&cap, "error", "value-overflow"));
}

static void test_values(void **state)
{
	struct cfg_pci pci;
	const struct cfg_guest *g;

	assert_int_equal(cfg_parse_pci("00:1f.3", 7, &pci), 0);
	assert_int_equal(pci.dev, 0x1f);
	assert_int_equal(cfg_parse_pci("00:20.0", 7, &pci), -EINVAL);
	assert_int_equal(cfg_parse_pci("00:03.8", 7, &pci), -EINVAL);
	assert_int_equal(
		load_str("[hypervisor]\nserial = mmio=0xfe030000 9600\nconsole_cpu=3\n" GUEST
			 "uart = none\nioports = 0x2f8-0x2ff 0x3e8+8\npci = 00:03.0\n"
			 "mmio = 0xfed00000+0x1000\nautostart = no\non_fault = restart\n"
			 "memory = 2G at 0x100000000\n"),
		-EINVAL); /* memory given twice */
	g = &cfg.guests[0];
	assert_int_equal(cfg.serial_kind, CFG_SERIAL_MMIO);
	assert_int_equal(cfg.serial_baud, 9600);
	assert_int_equal(g->uart_port, 0);
	assert_int_equal(g->ioport_count, 2);
	assert_int_equal(g->ioports[1].size, 8);
	assert_false(g->autostart);
	assert_int_equal(g->on_fault, CFG_FAULT_RESTART);
	assert_int_equal(cap.count, 1);
	assert_true(captured_has(&cap, "error", "duplicate-key"));
	assert_int_equal(load_str("[hypervisor]\nserial = com1 9601\n" GUEST), -EINVAL);
	assert_true(captured_has(&cap, "error", "bad-value"));
}

static void test_format_size(void **state)
{
	char b[32];

	cfg_format_size(b, sizeof(b), 512ULL << 20);
	assert_string_equal(b, "512 MiB");
	cfg_format_size(b, sizeof(b), 4065ULL << 20);
	assert_string_equal(b, "4065 MiB");
	cfg_format_size(b, sizeof(b), 3000);
	assert_string_equal(b, "3000 B");
	cfg_format_size(b, sizeof(b), UINT64_MAX);
	assert_string_equal(b, "~16777215.9 TiB");
	cfg_format_size(b, sizeof(b), (3ULL << 30) + (512ULL << 20) + 1);
	assert_string_equal(b, "~3.5 GiB");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_empty_file),
		cmocka_unit_test(test_no_trailing_newline),
		cmocka_unit_test(test_crlf),
		cmocka_unit_test(test_hypervisor_options),
		cmocka_unit_test(test_tabs_and_comments),
		cmocka_unit_test(test_very_long_lines),
		cmocka_unit_test(test_nul_bytes),
		cmocka_unit_test(test_non_ascii),
		cmocka_unit_test(test_ten_thousand_guests),
		cmocka_unit_test(test_numbers_at_2_64),
		cmocka_unit_test(test_values),
		cmocka_unit_test(test_format_size),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
