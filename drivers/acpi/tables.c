/* SPDX-License-Identifier: Apache-2.0 */
/*
 * RSDP -> XSDT/RSDT -> the tables the hypervisor uses. Validates before use
 * (seL4 style): a table is read only after its length and checksum passed, and
 * a table that fails is reported and skipped. Pure: memory is reached through
 * struct acpi_mem only, so this file is host-tested.
 */
#include <hv/errno.h>
#include <hv/printk.h>
#include <hv/string.h>

#include "acpi_priv.h"

u8 acpi_checksum(const u8 *p, size_t len)
{
	u8 sum = 0;

	for (size_t i = 0; i < len; i++)
		sum = (u8)(sum + p[i]);
	return sum;
}

static void copy_text(char *dst, const u8 *src, size_t n)
{
	for (size_t i = 0; i < n; i++)
		dst[i] = (src[i] >= 0x20 && src[i] < 0x7f) ? (char)src[i] : '?';
	dst[n] = '\0';
}

static const char *const status_text[] = {
	[ACPI_TABLE_OK] = "ok",
	[ACPI_TABLE_UNREADABLE] = "not readable",
	[ACPI_TABLE_BAD_LENGTH] = "bad length",
	[ACPI_TABLE_BAD_CHECKSUM] = "bad checksum",
};

/* Checks one table; ref gets what could be learnt even when it fails. */
static u8 check_table(const struct acpi_mem *mem, hpa_t addr, struct acpi_table_ref *ref,
		      const u8 **out)
{
	const u8 *hdr = addr ? mem->fetch(mem->ctx, addr, ACPI_HDR_SIZE) : NULL;
	const u8 *t;

	if (!hdr)
		return ACPI_TABLE_UNREADABLE;
	copy_text(ref->sig, hdr + ACPI_HDR_SIGNATURE, 4);
	copy_text(ref->oem_id, hdr + ACPI_HDR_OEM_ID, ACPI_OEM_ID_LEN);
	ref->length = acpi_rd32(hdr, ACPI_HDR_LENGTH);
	ref->revision = acpi_rd8(hdr, ACPI_HDR_REVISION);
	if (ref->length < ACPI_HDR_SIZE || ref->length > ACPI_TABLE_MAX_LEN)
		return ACPI_TABLE_BAD_LENGTH;
	t = mem->fetch(mem->ctx, addr, ref->length);
	if (!t)
		return ACPI_TABLE_UNREADABLE;
	if (acpi_checksum(t, ref->length))
		return ACPI_TABLE_BAD_CHECKSUM;
	*out = t;
	return ACPI_TABLE_OK;
}

const u8 *acpi_fetch_table(const struct acpi_mem *mem, hpa_t addr, const char *sig,
			   struct acpi_table_ref *ref)
{
	struct acpi_table_ref scratch;
	const u8 *t = NULL;

	if (!ref)
		ref = &scratch;
	memset(ref, 0, sizeof(*ref));
	memcpy(ref->sig, "????", 5);
	ref->addr = addr;
	ref->status = check_table(mem, addr, ref, &t);
	if (ref->status == ACPI_TABLE_OK && sig && memcmp(t, sig, 4)) {
		pr_warn("acpi: table at %#llx is %s, expected %s; skipped\n",
			(unsigned long long)addr, ref->sig, sig);
		return NULL;
	}
	if (ref->status != ACPI_TABLE_OK) {
		pr_warn("acpi: table %s at %#llx: %s, skipped\n", ref->sig,
			(unsigned long long)addr, status_text[ref->status]);
		return NULL;
	}
	return t;
}

/* Validates the RSDP (ACPI 6.5, 5.2.5.3): both checksums for revision >= 2. */
static const u8 *check_rsdp(const struct acpi_mem *mem, hpa_t addr, struct acpi_info *info)
{
	const u8 *r = mem->fetch(mem->ctx, addr, RSDP_V1_SIZE);
	u32 len;

	if (!r || memcmp(r, RSDP_SIGNATURE, 8)) {
		pr_err("acpi: no RSDP signature at %#llx\n", (unsigned long long)addr);
		return NULL;
	}
	if (acpi_checksum(r, RSDP_V1_SIZE)) {
		pr_err("acpi: RSDP at %#llx: bad checksum\n", (unsigned long long)addr);
		return NULL;
	}
	info->rsdp_revision = acpi_rd8(r, RSDP_REVISION);
	copy_text(info->rsdp_oem_id, r + RSDP_OEM_ID, ACPI_OEM_ID_LEN);
	if (info->rsdp_revision < 2)
		return r;
	len = acpi_rd32(r, RSDP_LENGTH);
	r = (len >= RSDP_V2_SIZE && len <= RSDP_MAX_LENGTH) ? mem->fetch(mem->ctx, addr, len)
							    : NULL;
	if (!r || acpi_checksum(r, len)) {
		pr_err("acpi: RSDP at %#llx: bad extended length or checksum\n",
		       (unsigned long long)addr);
		return NULL;
	}
	return r;
}

/* Where each table the hypervisor uses is recorded and how it is parsed. */
struct table_handler {
	char sig[5];
	size_t slot; /* offset of its hpa_t field in struct acpi_info */
	void (*parse)(const u8 *t, u32 len, struct acpi_info *info);
};

static const struct table_handler handlers[] = {
	{"APIC", offsetof(struct acpi_info, madt), acpi_parse_madt},
	{"FACP", offsetof(struct acpi_info, fadt), acpi_parse_fadt},
	{"MCFG", offsetof(struct acpi_info, mcfg), acpi_parse_mcfg},
	{"HPET", offsetof(struct acpi_info, hpet), acpi_parse_hpet},
	{"DMAR", offsetof(struct acpi_info, dmar), NULL},
	{"IVRS", offsetof(struct acpi_info, ivrs), NULL},
};

static struct acpi_table_ref *next_ref(struct acpi_info *info, struct acpi_table_ref *scratch)
{
	if (info->table_count < ACPI_MAX_TABLES)
		return &info->tables[info->table_count++];
	return scratch;
}

static void use_table(const u8 *t, hpa_t addr, struct acpi_info *info)
{
	u32 len = acpi_rd32(t, ACPI_HDR_LENGTH);

	for (size_t i = 0; i < ARRAY_SIZE(handlers); i++) {
		const struct table_handler *h = &handlers[i];
		hpa_t *slot = (hpa_t *)((char *)info + h->slot);

		if (memcmp(t, h->sig, 4))
			continue;
		if (*slot) {
			pr_warn("acpi: second %s at %#llx ignored\n", h->sig,
				(unsigned long long)addr);
			return;
		}
		*slot = addr;
		if (h->parse)
			h->parse(t, len, info);
		return;
	}
}

/* The DSDT is not listed in the root table: the FADT parser noted its address. */
static void check_dsdt(const struct acpi_mem *mem, struct acpi_info *info)
{
	struct acpi_table_ref scratch;

	if (info->dsdt && !acpi_fetch_table(mem, info->dsdt, "DSDT", next_ref(info, &scratch)))
		info->dsdt = 0;
}

static void walk_root(const struct acpi_mem *mem, const u8 *root, u32 entry_size,
		      struct acpi_info *info)
{
	u32 len = acpi_rd32(root, ACPI_HDR_LENGTH);
	u32 n = (len - ACPI_HDR_SIZE) / entry_size;

	info->tables_listed = n;
	for (u32 i = 0; i < n; i++) {
		size_t off = ACPI_HDR_SIZE + (size_t)i * entry_size;
		hpa_t addr = entry_size == 8 ? acpi_rd64(root, off) : acpi_rd32(root, off);
		struct acpi_table_ref scratch;
		const u8 *t = acpi_fetch_table(mem, addr, NULL, next_ref(info, &scratch));

		if (t)
			use_table(t, addr, info);
	}
	check_dsdt(mem, info);
}

/* ACPI 6.5, 5.2.5.3: the XSDT when revision >= 2 gives one, else the RSDT. */
static int pick_root(const struct acpi_mem *mem, const u8 *rsdp, struct acpi_info *info)
{
	hpa_t xsdt = info->rsdp_revision >= 2 ? acpi_rd64(rsdp, RSDP_XSDT_ADDRESS) : 0;
	hpa_t rsdt = acpi_rd32(rsdp, RSDP_RSDT_ADDRESS);
	const u8 *root;

	if (xsdt && (root = acpi_fetch_table(mem, xsdt, "XSDT", NULL))) {
		info->root = xsdt;
		info->root_is_xsdt = true;
		walk_root(mem, root, 8, info);
		return 0;
	}
	if (xsdt)
		pr_warn("acpi: XSDT unusable, falling back to the RSDT\n");
	if (rsdt && (root = acpi_fetch_table(mem, rsdt, "RSDT", NULL))) {
		info->root = rsdt;
		walk_root(mem, root, 4, info);
		return 0;
	}
	pr_err("acpi: no usable XSDT or RSDT\n");
	return -EINVAL;
}

int acpi_parse(const struct acpi_mem *mem, hpa_t rsdp, struct acpi_info *info)
{
	const u8 *r;

	memset(info, 0, sizeof(*info));
	if (!rsdp) {
		pr_err("acpi: no RSDP from the boot path\n");
		return -ENODEV;
	}
	info->rsdp = rsdp;
	r = check_rsdp(mem, rsdp, info);
	if (!r)
		return -EINVAL;
	return pick_root(mem, r, info);
}
