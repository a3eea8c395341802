/* SPDX-License-Identifier: Apache-2.0 */
/* Internal interfaces between the files of kernel/config (not for other users). */
#ifndef KERNEL_CONFIG_INTERNAL_H
#define KERNEL_CONFIG_INTERNAL_H

#include <hv/config.h>

/* One lexed line: a section header, a key = value, or nothing. */
enum cfg_line_kind {
	LINE_EMPTY,
	LINE_SECTION, /* head = the text between [ and ], trimmed */
	LINE_KEY,     /* head = the key, value = the decoded value */
	LINE_BAD,     /* an error was already reported */
};

struct cfg_line {
	u32 number;
	enum cfg_line_kind kind;
	const char *head;
	size_t head_len;
	bool quoted; /* the value was written in double quotes */
	size_t value_len;
	char value[CFG_VALUE_MAX];
};

void cfg_lex_line(const char *p, size_t len, struct cfg_line *out, struct diag_sink *diags);

enum cfg_section {
	SEC_NONE,
	SEC_HYPERVISOR,
	SEC_GUEST,
	SEC_SHARED,
	SEC_SKIP, /* after a bad or excess header: ignore keys until the next one */
};

enum cfg_hv_key {
	HK_SERIAL,
	HK_CONSOLE_CPU,
	HK_OPTIONS,
	HK_COUNT,
};

struct parse_state {
	struct config *cfg;
	struct diag_sink *diags;
	enum cfg_section section;
	struct cfg_guest *guest;
	struct cfg_shared *shared;
	u32 hv_line; /* line of [hypervisor], 0 if none yet */
	u32 hv_key_line[HK_COUNT];
	bool guest_limit_told;
	bool shared_limit_told;
};

/* keys.c: applies one key = value line to the current section. */
void cfg_apply_key(struct parse_state *st, const struct cfg_line *l);

/* Key handlers by section (keys_guest.c, keys_other.c). */
typedef void (*cfg_key_fn)(struct parse_state *st, const struct cfg_line *l);
struct cfg_key_desc {
	const char *name;
	cfg_key_fn parse;
	bool repeatable;
	bool required;
};
extern const struct cfg_key_desc cfg_guest_keys[GK_COUNT];
extern const struct cfg_key_desc cfg_hv_keys[HK_COUNT];
extern const struct cfg_key_desc cfg_shared_keys[SK_COUNT];

/* Copies s (len bytes) into the arena, NUL-terminated; NULL (reported) if full. */
const char *cfg_strdup(struct parse_state *st, const char *s, size_t len, u32 line);

/* Splits at spaces, tabs and commas; false at the end. */
bool cfg_next_token(const char **p, const char *end, const char **tok, size_t *len);

/*
 * Reports a value that failed to parse: value-overflow for -EOVERFLOW,
 * bad-value otherwise, quoting the offending text and what was expected.
 */
void cfg_bad_value(struct parse_state *st, const struct cfg_line *l, int err, const char *tok,
		   size_t tok_len, const char *expected);

/* The known word closest to s (edit distance <= 2), or NULL. */
const char *cfg_did_you_mean(const char *s, size_t len, const char *const *words, size_t count);

bool cfg_word_eq(const char *s, size_t len, const char *word);

/* Name of a guest section or shared region: [A-Za-z0-9_.-], first alphanumeric. */
bool cfg_valid_name(const char *s, size_t len);

/* [a, a+as) and [b, b+bs) overlap; sizes are non-zero and ranges do not wrap. */
static inline bool cfg_overlap(u64 a, u64 as, u64 b, u64 bs)
{
	return a <= b + (bs - 1) && b <= a + (as - 1);
}

/* validate_cross.c: rules between guests, shared regions and the console. */
void cfg_validate_cross(struct config *cfg, struct diag_sink *diags);

/* The 16550 base port of com1..com4, 0 if s is not one. */
u16 cfg_com_port(const char *s, size_t len);

#endif
