/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The two small formats: a raw binary copied to its load address and entered
 * there, and a plain ELF executable entered at its entry point. Both start in
 * 32-bit flat protected mode with EAX = EBX = 0 (docs/guests.md).
 */
#include <hv/errno.h>
#include <hv/string.h>

#include "loader_priv.h"

int loader_load_raw(const struct loader_image *img, const struct guest_mem *mem,
		    struct loader_start *start, char *err)
{
	struct loader_ctx ctx = {img, mem, err};
	struct load_plan plan;
	int rc;

	err[0] = '\0';
	if (img->size == 0)
		return loader_fail(&ctx, -EINVAL, "the raw image is empty");
	memset(&plan, 0, sizeof(plan));
	plan.entry = img->load_addr;
	rc = load_plan_add(&ctx, &plan,
			   &(struct load_seg){img->load_addr, 0, img->size, img->size});
	return rc ? rc : load_plan_apply(&ctx, &plan, start);
}

int loader_load_elf(const struct loader_image *img, const struct guest_mem *mem,
		    struct loader_start *start, char *err)
{
	struct loader_ctx ctx = {img, mem, err};
	struct load_plan plan;
	bool is64 = false;
	int rc;

	err[0] = '\0';
	rc = elf_parse(&ctx, &plan, &is64);
	if (rc)
		return rc;
	if (is64)
		return loader_fail(
			&ctx, -ENOTSUP,
			"ELF64 guests need a 64-bit start state: use format = multiboot");
	return load_plan_apply(&ctx, &plan, start);
}
