/* SPDX-License-Identifier: Apache-2.0 */
/* parse: command-line values. Every parser rejects trailing garbage, signs
 * where a count is expected, and overflow, with a message naming the option
 * and the value (exit code 2). */
#ifndef HB_PARSE_H
#define HB_PARSE_H

#include <stddef.h>
#include <stdint.h>

#include "hb_error.h"

/* --size: "auto", an element count ("33554432", "1e6" is rejected: write it
 * out), or bytes with a unit: B, kB/KB, MB, GB, TB (powers of 1000) or
 * KiB, MiB, GiB, TiB (powers of 1024), case-sensitive as written here except
 * that "kb" etc. are accepted. Sizes are per array. */
typedef struct hb_size {
    int is_auto;
    int is_bytes;      /* value is bytes; otherwise an element count */
    uint64_t value;
} hb_size;

int hb_parse_size(const char *opt, const char *text, hb_size *out, hb_err *err);
int hb_parse_int(const char *opt, const char *text, int lo, int hi, int *out, hb_err *err);
/* A positive finite number. */
int hb_parse_positive(const char *opt, const char *text, double *out, hb_err *err);

/* One of allowed (NULL-terminated): *out = its index; else HB_EUSAGE naming
 * every choice ("--tune: unknown value 'fast' (choose from: off, quick, full)"). */
int hb_parse_choice(const char *opt, const char *text, const char *const *allowed, int *out, hb_err *err);

/* Splits a comma-separated list into at most max items (pointers into buf,
 * a copy the caller provides); each item must be one of allowed (NULL
 * terminated) unless allowed is NULL. Empty items and duplicates are errors. */
int hb_parse_list(const char *opt, const char *text, const char *const *allowed, char *buf, size_t buf_len,
                  const char **items, int max, int *n, hb_err *err);

/* "1.00 GiB", "512.0 MiB", "4.0 KiB", "100 B": for messages and tables. */
void hb_format_bytes(uint64_t bytes, char *buf, size_t len);

#endif
