/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The --machine FILE text format: "key = value" lines, '#' comments.
 *   cpus = 4                   CPUs 0..3 with APIC IDs 0..3
 *   apic_ids = 0 2 4 6         or the APIC IDs in MADT order
 *   ram = 0x100000-0x7fffffff  usable RAM (repeatable; A-B inclusive or A+SIZE)
 *   reserved = 0x200000+30M    the hypervisor's own memory (repeatable)
 *   pci = 00:03.0 00:1f.0      PCI functions present (repeatable)
 *   iommu = yes | no
 *   file = NAME SIZE           an image present on the boot volume (repeatable)
 */
#include <stdio.h>
#include <string.h>

#include <hv/config.h>

#include "machine_file.h"

struct mf_state {
	const char *path;
	unsigned int line;
	struct machine_desc *m;
	struct machine_files *files;
	int errors;
};

static void mf_error(struct mf_state *st, const char *msg, const char *tok)
{
	fprintf(stderr, "%s:%u: error[machine-syntax]: %s '%s'\n", st->path, st->line, msg, tok);
	st->errors++;
}

static char *next_word(char **p)
{
	char *s = *p, *w;

	while (*s == ' ' || *s == '\t' || *s == ',')
		s++;
	if (!*s)
		return NULL;
	w = s;
	while (*s && *s != ' ' && *s != '\t' && *s != ',')
		s++;
	if (*s)
		*s++ = '\0';
	*p = s;
	return w;
}

static void add_range(struct mf_state *st, struct machine_range *arr, u32 *count, char *val)
{
	struct cfg_range r;

	for (char *w; (w = next_word(&val));) {
		if (cfg_parse_range(w, strlen(w), &r) || *count == MACHINE_MAX_RANGES) {
			mf_error(st, "bad or too many memory ranges:", w);
			continue;
		}
		arr[(*count)++] = (struct machine_range){r.base, r.size};
	}
}

static void set_cpus(struct mf_state *st, char *val, bool ids)
{
	u64 v;

	st->m->cpu_count = 0;
	for (char *w; (w = next_word(&val));) {
		if (cfg_parse_u64(w, strlen(w), &v) ||
		    v > (ids ? 0xffffffffULL : MACHINE_MAX_CPUS) ||
		    st->m->cpu_count == MACHINE_MAX_CPUS) {
			mf_error(st, "bad CPU count or APIC ID", w);
			return;
		}
		if (ids) {
			st->m->apic_ids[st->m->cpu_count++] = (u32)v;
			continue;
		}
		for (u32 i = 0; i < v; i++)
			st->m->apic_ids[i] = i;
		st->m->cpu_count = (u32)v;
	}
}

static void add_pci(struct mf_state *st, char *val)
{
	struct cfg_pci p;

	for (char *w; (w = next_word(&val));) {
		if (cfg_parse_pci(w, strlen(w), &p) || st->m->pci_count == MACHINE_MAX_PCI) {
			mf_error(st, "bad PCI function", w);
			continue;
		}
		st->m->pci[st->m->pci_count++] = PCI_BDF(p.bus, p.dev, p.fn);
	}
}

static void add_file(struct mf_state *st, char *val)
{
	struct machine_files *f = st->files;
	char *name = next_word(&val), *size = next_word(&val);
	u64 v;

	if (!name || !size || cfg_parse_size(size, strlen(size), &v) ||
	    strlen(name) >= CFG_PATH_MAX || f->count == MACHINE_FILE_MAX) {
		mf_error(st, "expected 'file = NAME SIZE', got", name ? name : "");
		return;
	}
	strcpy(f->name[f->count], name);
	f->size[f->count++] = v;
}

static void apply(struct mf_state *st, const char *key, char *val)
{
	if (!strcmp(key, "cpus"))
		set_cpus(st, val, false);
	else if (!strcmp(key, "apic_ids"))
		set_cpus(st, val, true);
	else if (!strcmp(key, "ram"))
		add_range(st, st->m->ram, &st->m->ram_count, val);
	else if (!strcmp(key, "reserved"))
		add_range(st, st->m->reserved, &st->m->reserved_count, val);
	else if (!strcmp(key, "pci"))
		add_pci(st, val);
	else if (!strcmp(key, "iommu") && (!strcmp(val, "yes") || !strcmp(val, "no")))
		st->m->iommu_present = !strcmp(val, "yes");
	else if (!strcmp(key, "file"))
		add_file(st, val);
	else
		mf_error(st, "unknown key or value:", key);
}

static void parse_line(struct mf_state *st, char *s)
{
	char *eq, *end, *hash = strchr(s, '#');

	if (hash)
		*hash = '\0';
	while (*s == ' ' || *s == '\t')
		s++;
	end = s + strlen(s);
	while (end > s && (end[-1] == ' ' || end[-1] == '\t' || end[-1] == '\r'))
		*--end = '\0';
	if (!*s)
		return;
	eq = strchr(s, '=');
	if (!eq) {
		mf_error(st, "expected 'key = value', got", s);
		return;
	}
	*eq = '\0';
	for (end = eq; end > s && (end[-1] == ' ' || end[-1] == '\t');)
		*--end = '\0';
	for (eq++; *eq == ' ' || *eq == '\t';)
		eq++;
	apply(st, s, eq);
}

int machine_file_parse(const char *path, const char *text, size_t len, struct machine_desc *m,
		       struct machine_files *files)
{
	struct mf_state st = {.path = path, .m = m, .files = files};
	char buf[4096];
	size_t pos = 0;

	memset(m, 0, sizeof(*m));
	memset(files, 0, sizeof(*files));
	while (pos < len) {
		size_t n = 0;

		while (pos + n < len && text[pos + n] != '\n')
			n++;
		st.line++;
		if (n >= sizeof(buf) || memchr(text + pos, '\0', n)) {
			mf_error(&st, "line too long or with a NUL byte", "");
		} else {
			memcpy(buf, text + pos, n);
			buf[n] = '\0';
			parse_line(&st, buf);
		}
		pos += n + 1;
	}
	if (!m->cpu_count || !m->ram_count) {
		st.line = 1;
		mf_error(&st, "the machine needs 'cpus' (or 'apic_ids') and 'ram'", path);
	}
	if (files->count) {
		m->file_size = machine_files_lookup;
		m->file_ctx = files;
	}
	return st.errors ? -1 : 0;
}

int machine_files_lookup(void *ctx, const char *name, u64 *size)
{
	const struct machine_files *f = ctx;

	for (unsigned int i = 0; i < f->count; i++) {
		if (!strcmp(f->name[i], name)) {
			*size = f->size[i];
			return 0;
		}
	}
	return -2; /* -ENOENT */
}
