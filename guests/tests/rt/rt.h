/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The test guests' runtime: COM1 output, a small printf, an IDT that catches
 * exceptions, the multiboot information, and the verdict line + exit code
 * that tests parse (docs/guests.md). Each guest defines guest_name and
 * guest_main().
 */
#ifndef RT_H
#define RT_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define MB_BOOTLOADER_MAGIC 0x2BADB002u

/* Multiboot information (Multiboot Specification 0.6.96, section 3.3). */
#define MBI_FLAG_MEM	     (1u << 0)
#define MBI_FLAG_CMDLINE     (1u << 2)
#define MBI_FLAG_MODS	     (1u << 3)
#define MBI_FLAG_MMAP	     (1u << 6)
#define MBI_FLAG_LOADER_NAME (1u << 9)

struct mb_info {
	uint32_t flags;
	uint32_t mem_lower, mem_upper; /* KiB */
	uint32_t boot_device;
	uint32_t cmdline;
	uint32_t mods_count, mods_addr;
	uint32_t syms[4];
	uint32_t mmap_length, mmap_addr;
	uint32_t drives_length, drives_addr;
	uint32_t config_table;
	uint32_t boot_loader_name;
} __attribute__((packed));

struct mb_mmap_entry {
	uint32_t size; /* of the rest of the entry */
	uint64_t base, length;
	uint32_t type;
} __attribute__((packed));

struct mb_module {
	uint32_t start, end, string, reserved;
} __attribute__((packed));

/* Provided by each guest. */
extern const char guest_name[];
void guest_main(uint32_t magic, const struct mb_info *mbi);

/* Output (serialised between CPUs). rt_console_init() runs before guest_main(). */
void rt_console_init(void);
void rt_vprintf(const char *fmt, va_list ap);
void rt_printf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* The verdict line, then the exit code through port 0xf4: 0 for PASS, 1 for FAIL. */
void rt_pass(void) __attribute__((noreturn));
void rt_fail(const char *fmt, ...) __attribute__((noreturn, format(printf, 1, 2)));
void rt_exit(uint32_t code) __attribute__((noreturn));
void rt_halt(void) __attribute__((noreturn));

/* Loads the IDT on a secondary CPU (the boot CPU's is loaded before guest_main()). */
void rt_idt_load(void);
/* A 32-bit interrupt gate to handler (present, DPL 0, the runtime's code segment). */
uint64_t rt_gate(const void *handler);
/* Loads an IDT of `entries` gates at table (a guest with more vectors than the runtime's). */
void rt_lidt(const uint64_t *table, uint32_t entries);

/* Arms the IDT to count exception `vector` once and resume `skip` bytes past the fault. */
void rt_expect_trap(uint32_t vector, uint32_t skip);
uint32_t rt_trap_count(void);

/* The multiboot information the guest was started with (NULL if magic was wrong). */
const struct mb_info *rt_mbi(void);
/* The value of KEY=VALUE on the command line, or NULL; *len gets its length. */
const char *rt_arg(const char *key, size_t *len);
/* True when the command line has KEY=WANT exactly. */
bool rt_arg_is(const char *key, const char *want);
/* Parses a 0x-prefixed hex or decimal number of n chars; false on bad syntax. */
bool rt_parse_u64(const char *s, size_t n, uint64_t *out);

size_t rt_strlen(const char *s);

static inline void outb(uint16_t port, uint8_t v)
{
	__asm__ volatile("outb %0, %1" : : "a"(v), "Nd"(port));
}

static inline void outl(uint16_t port, uint32_t v)
{
	__asm__ volatile("outl %0, %1" : : "a"(v), "Nd"(port));
}

static inline uint8_t inb(uint16_t port)
{
	uint8_t v;

	__asm__ volatile("inb %1, %0" : "=a"(v) : "Nd"(port));
	return v;
}

static inline uint16_t inw(uint16_t port)
{
	uint16_t v;

	__asm__ volatile("inw %1, %0" : "=a"(v) : "Nd"(port));
	return v;
}

static inline uint32_t inl(uint16_t port)
{
	uint32_t v;

	__asm__ volatile("inl %1, %0" : "=a"(v) : "Nd"(port));
	return v;
}

static inline void cpuid(uint32_t leaf, uint32_t *a, uint32_t *b, uint32_t *c, uint32_t *d)
{
	__asm__ volatile("cpuid" : "=a"(*a), "=b"(*b), "=c"(*c), "=d"(*d) : "a"(leaf), "c"(0));
}

static inline void cpu_relax(void)
{
	__asm__ volatile("pause" ::: "memory");
}

#endif
