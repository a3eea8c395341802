/* SPDX-License-Identifier: Apache-2.0 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include <hv/printk.h>

#include "test_acpi_fake.h"

#define MAX_REGIONS 128

struct region {
	hpa_t addr;
	size_t len;
	u8 *bytes; /* ends exactly at a guard page */
	void *map;
	size_t map_len;
};

static struct region regions[MAX_REGIONS];
static size_t region_count;

char test_log[1 << 20];
static size_t test_log_len;
unsigned test_log_warnings;

void vprintk(int level, const char *fmt, va_list ap)
{
	int n = vsnprintf(test_log + test_log_len, sizeof(test_log) - test_log_len, fmt, ap);

	if (n > 0 && test_log_len + (size_t)n < sizeof(test_log))
		test_log_len += (size_t)n;
	if (level <= LOG_WARN)
		test_log_warnings++;
}

void printk(int level, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vprintk(level, fmt, ap);
	va_end(ap);
}

static const void *fake_fetch(void *ctx, hpa_t addr, size_t len)
{
	for (size_t i = 0; i < region_count; i++) {
		const struct region *r = &regions[i];

		if (addr >= r->addr && len <= r->len && addr - r->addr <= r->len - len)
			return r->bytes + (addr - r->addr);
	}
	return NULL;
}

const struct acpi_mem fake_mem = {.fetch = fake_fetch};

void *fake_place(hpa_t addr, const void *bytes, size_t len)
{
	size_t page = (size_t)sysconf(_SC_PAGESIZE);
	size_t data_pages = (len + page - 1) / page;
	struct region *r;
	u8 *map;

	if (region_count == MAX_REGIONS)
		abort();
	map = mmap(NULL, (data_pages + 1) * page, PROT_READ | PROT_WRITE,
		   MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (map == MAP_FAILED || mprotect(map + data_pages * page, page, PROT_NONE))
		abort();
	r = &regions[region_count++];
	r->addr = addr;
	r->len = len;
	r->map = map;
	r->map_len = (data_pages + 1) * page;
	r->bytes = map + data_pages * page - len;
	memcpy(r->bytes, bytes, len);
	return r->bytes;
}

void fake_reset(void)
{
	for (size_t i = 0; i < region_count; i++)
		munmap(regions[i].map, regions[i].map_len);
	region_count = 0;
	test_log_len = 0;
	test_log[0] = '\0';
	test_log_warnings = 0;
}

static void *read_file(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	static u8 buf[1 << 20];

	if (!f) {
		fprintf(stderr, "cannot open %s\n", path);
		abort();
	}
	*len = fread(buf, 1, sizeof(buf), f);
	fclose(f);
	return buf;
}

hpa_t fake_load_fixture(const char *bed)
{
	const char *dir = getenv("ACPI_FIXTURE_DIR");
	char path[512], line[256], sig[8], file[128];
	unsigned long long addr;
	hpa_t rsdp = 0;
	FILE *idx;

	snprintf(path, sizeof(path), "%s/%s/index", dir ? dir : "tests/fixtures/acpi", bed);
	idx = fopen(path, "r");
	if (!idx) {
		fprintf(stderr, "cannot open %s (run from the repository root)\n", path);
		abort();
	}
	while (fgets(line, sizeof(line), idx)) {
		size_t len;
		void *bytes;

		if (line[0] == '#' || sscanf(line, "%7s %llx %127s", sig, &addr, file) != 3)
			continue;
		snprintf(path, sizeof(path), "%s/%s/%s", dir ? dir : "tests/fixtures/acpi", bed,
			 file);
		bytes = read_file(path, &len);
		fake_place(addr, bytes, len);
		if (!strcmp(sig, "RSDP"))
			rsdp = addr;
	}
	fclose(idx);
	return rsdp;
}

void tb_bytes(struct tbuf *t, const void *p, size_t n)
{
	if (t->n + n > sizeof(t->b))
		abort();
	memcpy(t->b + t->n, p, n);
	t->n += n;
}

void tb_u8(struct tbuf *t, u8 v)
{
	tb_bytes(t, &v, 1);
}

void tb_u16(struct tbuf *t, u16 v)
{
	tb_u8(t, (u8)v);
	tb_u8(t, (u8)(v >> 8));
}

void tb_u32(struct tbuf *t, u32 v)
{
	tb_u16(t, (u16)v);
	tb_u16(t, (u16)(v >> 16));
}

void tb_u64(struct tbuf *t, u64 v)
{
	tb_u32(t, (u32)v);
	tb_u32(t, (u32)(v >> 32));
}

void tb_gas(struct tbuf *t, u8 space, u8 width, u64 addr)
{
	tb_u8(t, space);
	tb_u8(t, width);
	tb_u8(t, 0);
	tb_u8(t, 0);
	tb_u64(t, addr);
}

void tb_header(struct tbuf *t, const char *sig, u8 rev)
{
	t->n = 0;
	tb_bytes(t, sig, 4);
	tb_u32(t, 0); /* length, set by tb_finish */
	tb_u8(t, rev);
	tb_u8(t, 0); /* checksum, set by tb_finish */
	tb_bytes(t, "BHTEST", 6);
	tb_bytes(t, "TESTTBL ", 8);
	tb_u32(t, 1); /* OEM revision */
	tb_bytes(t, "BHTS", 4);
	tb_u32(t, 1); /* creator revision */
}

static u8 sum(const u8 *p, size_t n)
{
	u8 s = 0;

	while (n--)
		s = (u8)(s + *p++);
	return s;
}

void tb_finish(struct tbuf *t)
{
	u32 len = (u32)t->n;

	memcpy(t->b + 4, &len, 4);
	t->b[9] = 0;
	t->b[9] = (u8)-sum(t->b, t->n);
}

hpa_t tb_place(struct tbuf *t, hpa_t addr)
{
	tb_finish(t);
	fake_place(addr, t->b, t->n);
	return addr;
}

hpa_t place_root(hpa_t at, const char *sig, const hpa_t *addrs, size_t n)
{
	struct tbuf t;

	tb_header(&t, sig, 1);
	for (size_t i = 0; i < n; i++) {
		if (!strcmp(sig, "XSDT"))
			tb_u64(&t, addrs[i]);
		else
			tb_u32(&t, (u32)addrs[i]);
	}
	return tb_place(&t, at);
}

u8 *place_rsdp(hpa_t at, u8 rev, u32 rsdt, u64 xsdt)
{
	u8 r[36] = "RSD PTR ";
	size_t len = rev >= 2 ? 36 : 20;
	u32 len32 = 36;

	memcpy(r + 9, "BHTEST", 6);
	r[15] = rev;
	memcpy(r + 16, &rsdt, 4);
	memcpy(r + 20, &len32, 4);
	memcpy(r + 24, &xsdt, 8);
	r[8] = (u8)-sum(r, 20);
	r[32] = (u8)-sum(r, 36);
	return fake_place(at, r, len);
}
