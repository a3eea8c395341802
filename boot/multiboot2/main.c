/* SPDX-License-Identifier: Apache-2.0 */
/*
 * First C code on the multiboot2 path, called by entry.S in long mode on the
 * temporary identity map of the first 4 GiB: turns the boot information into
 * struct boot_info and enters the core.
 */
#include <stdarg.h>

#include <hv/boot_info.h>
#include <hv/printk.h>

#include "mb2.h"

/* linker.ld */
extern char __image_start[], __image_end[];

static struct boot_info mb2_boot_info;

/*
 * The console is not up yet: complaints go to the log ring, which the core
 * prints once it has a console.
 */
static __printf(1, 2) void mb2_warn(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vprintk(LOG_WARN, fmt, ap);
	va_end(ap);
}

/* The core never starts: show the complaints from the log ring before halting. */
static __noreturn void fail_with_log(const char *why)
{
	static char ring[4096];

	log_read_ring(ring, sizeof(ring));
	mb2_early_puts(ring);
	mb2_fatal(why);
}

void mb2_main(u32 magic, u32 info_addr)
{
	const struct mb2_input in = {
		.info = (const void *)(uintptr_t)info_addr,
		/* Only the first 4 GiB are mapped; the info must lie below. */
		.avail = (1ULL << 32) - info_addr,
		.image_start = (hpa_t)(uintptr_t)__image_start,
		.image_end = (hpa_t)(uintptr_t)__image_end,
		.warn = mb2_warn,
	};

	if (magic != MB2_BOOTLOADER_MAGIC)
		mb2_fatal("bulkhead: not started by a multiboot2 loader\r\n");
	if (mb2_parse_info(&mb2_boot_info, &in))
		fail_with_log("bulkhead: unusable multiboot2 boot information\r\n");
	mb2_boot_info.tsc_at_entry = mb2_entry_tsc;
	core_start(&mb2_boot_info);
}
