/* SPDX-License-Identifier: Apache-2.0 */
/* fuzz_parse: the command-line value parsers (runner/core/parse.c) on any
 * text, checked against what parse.h promises: no trailing garbage, no
 * sign or blank where a count is expected, no silent overflow, list items
 * non-empty, allowed and distinct. */
#include <ctype.h>
#include <math.h>

#include "fuzz.h"
#include "parse.h"

/* text is a plain decimal count: digits only, and its value is v. */
static int is_count(const char *text, uint64_t v)
{
    char buf[32];
    while (text[0] == '0' && text[1])
        text++;
    snprintf(buf, sizeof buf, "%llu", (unsigned long long)v);
    return strcmp(buf, text) == 0;
}

static void check_size(const char *s)
{
    hb_size sz;
    hb_err err = {0};
    if (hb_parse_size("--size", s, &sz, &err) != HB_OK) {
        HB_FUZZ_ASSERT(err.code == HB_EUSAGE && strstr(err.msg, "--size"), "%s", err.msg);
        return;
    }
    if (sz.is_auto)
        return;
    HB_FUZZ_ASSERT(sz.value > 0 && isdigit((unsigned char)s[0]), "'%s'", s);
    if (!sz.is_bytes)
        HB_FUZZ_ASSERT(is_count(s, sz.value), "'%s' read as %llu elements", s, (unsigned long long)sz.value);
    char out[24], tiny[4];
    hb_format_bytes(sz.value, out, sizeof out);
    hb_format_bytes(sz.value, tiny, sizeof tiny);
}

static void check_numbers(const char *s)
{
    hb_err err = {0};
    int v;
    if (hb_parse_int("--iters", s, 1, 100000, &v, &err) == HB_OK)
        HB_FUZZ_ASSERT(v >= 1 && v <= 100000 && isdigit((unsigned char)s[0]) && is_count(s, (uint64_t)v),
                       "'%s' read as %d", s, v);
    if (hb_parse_int("--offset", s, -5, 5, &v, &err) == HB_OK)
        HB_FUZZ_ASSERT(v >= -5 && v <= 5 && (isdigit((unsigned char)s[0]) || s[0] == '-'), "'%s'", s);
    double d;
    if (hb_parse_positive("--peak-bw", s, &d, &err) == HB_OK)
        HB_FUZZ_ASSERT(d > 0 && isfinite(d) && !isspace((unsigned char)s[0]), "'%s' read as %g", s, d);
}

static void check_list(const char *s)
{
    static const char *const allowed[] = {"copy", "scale", "add", "triad", "dot", "read", "write", NULL};
    char buf[128];
    const char *items[8];
    hb_err err = {0};
    for (int open = 0; open < 2; open++) {
        int n = -1;
        if (hb_parse_list("--bench", s, open ? NULL : allowed, buf, sizeof buf, items, 8, &n, &err) != HB_OK)
            continue;
        HB_FUZZ_ASSERT(n >= 1 && n <= 8, "'%s': %d items", s, n);
        char joined[256] = "";
        for (int i = 0; i < n; i++) {
            HB_FUZZ_ASSERT(items[i][0] != '\0', "'%s': empty item %d", s, i);
            for (int j = 0; j < i; j++)
                HB_FUZZ_ASSERT(strcmp(items[i], items[j]) != 0, "'%s': '%s' twice", s, items[i]);
            size_t l = strlen(joined);
            snprintf(joined + l, sizeof joined - l, "%s%s", i ? "," : "", items[i]);
        }
        HB_FUZZ_ASSERT(strcmp(joined, s) == 0, "'%s' split as '%s'", s, joined);
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *s = hb_fuzz_cstr(data, size);
    check_size(s);
    check_numbers(s);
    check_list(s);
    free(s);
    return 0;
}
