/* SPDX-License-Identifier: Apache-2.0 */
/* parse: command-line values (parse.h). */
#include "parse.h"

#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

static const struct { const char *unit; uint64_t mult; } units[] = {
    {"B", 1}, {"kB", 1000ULL}, {"KB", 1000ULL}, {"MB", 1000000ULL}, {"GB", 1000000000ULL},
    {"TB", 1000000000000ULL}, {"KiB", 1ULL << 10}, {"MiB", 1ULL << 20}, {"GiB", 1ULL << 30},
    {"TiB", 1ULL << 40},
};

int hb_parse_size(const char *opt, const char *text, hb_size *out, hb_err *err)
{
    memset(out, 0, sizeof *out);
    if (strcmp(text, "auto") == 0) {
        out->is_auto = 1;
        return HB_OK;
    }
    if (!isdigit((unsigned char)text[0]))
        return hb_fail(err, HB_EUSAGE, "%s: '%s' is not a size (examples: auto, 512MiB, 2GB, 33554432)", opt, text);
    char *end;
    errno = 0;
    double num = strtod(text, &end);
    if (errno || end == text || !isfinite(num) || num <= 0)
        return hb_fail(err, HB_EUSAGE, "%s: '%s' is not a positive size", opt, text);
    if (*end == '\0') {
        errno = 0;
        unsigned long long n = strtoull(text, &end, 10);
        /* strtoull saturates at ULLONG_MAX on overflow and says so only in
         * errno (C11 7.22.1.4): "111111111111111911111" was read as
         * 18446744073709551615 elements (found by tests/fuzz/fuzz_parse.c). */
        if (errno == ERANGE)
            return hb_fail(err, HB_EUSAGE, "%s: '%s' is too large", opt, text);
        if (*end != '\0')
            return hb_fail(err, HB_EUSAGE, "%s: '%s': an element count must be a whole number "
                                           "(or give bytes with a unit, e.g. 512MiB)", opt, text);
        out->value = n;
        return HB_OK;
    }
    for (size_t i = 0; i < sizeof units / sizeof units[0]; i++)
        if (strcasecmp(end, units[i].unit) == 0) {
            double bytes = num * (double)units[i].mult;
            if (bytes >= 1.8e19)
                return hb_fail(err, HB_EUSAGE, "%s: '%s' is too large", opt, text);
            out->is_bytes = 1;
            out->value = (uint64_t)bytes;
            if (out->value == 0)
                return hb_fail(err, HB_EUSAGE, "%s: '%s' is less than one byte", opt, text);
            return HB_OK;
        }
    return hb_fail(err, HB_EUSAGE, "%s: unknown unit '%s' in '%s' (use B, kB, MB, GB, TB, KiB, MiB, GiB or TiB)",
                   opt, end, text);
}

/* strtol and strtod skip leading blanks and take a '+' (C11 7.22.1.4):
 * neither belongs in a count or a figure, so the text must start with a
 * digit (or '.' for a number, '-' where negatives are allowed). Found by
 * tests/fuzz/fuzz_parse.c: "\t1" was read as 1. */
static int starts_plainly(const char *text, int minus_ok, int dot_ok)
{
    if (minus_ok && text[0] == '-')
        text++;
    return isdigit((unsigned char)text[0]) || (dot_ok && text[0] == '.');
}

int hb_parse_int(const char *opt, const char *text, int lo, int hi, int *out, hb_err *err)
{
    char *end;
    errno = 0;
    long v = strtol(text, &end, 10);
    if (!starts_plainly(text, lo < 0, 0) || errno || end == text || *end != '\0' || v < lo || v > hi)
        return hb_fail(err, HB_EUSAGE, "%s: '%s' is not a whole number from %d to %d", opt, text, lo, hi);
    *out = (int)v;
    return HB_OK;
}

int hb_parse_positive(const char *opt, const char *text, double *out, hb_err *err)
{
    char *end;
    errno = 0;
    double v = strtod(text, &end);
    if (!starts_plainly(text, 0, 1) || errno || end == text || *end != '\0' || !isfinite(v) || v <= 0)
        return hb_fail(err, HB_EUSAGE, "%s: '%s' is not a positive number", opt, text);
    *out = v;
    return HB_OK;
}

static int allowed_item(const char *item, const char *const *allowed)
{
    if (!allowed)
        return 1;
    for (; *allowed; allowed++)
        if (strcmp(item, *allowed) == 0)
            return 1;
    return 0;
}

static void join(const char *const *allowed, char *buf, size_t len)
{
    buf[0] = '\0';
    for (size_t used = 0; *allowed && used + 1 < len; allowed++)
        used += (size_t)snprintf(buf + used, len - used, "%s%s", used ? ", " : "", *allowed);
}

int hb_parse_choice(const char *opt, const char *text, const char *const *allowed, int *out, hb_err *err)
{
    for (int i = 0; allowed[i]; i++)
        if (!strcmp(text, allowed[i])) {
            *out = i;
            return HB_OK;
        }
    char choices[256];
    join(allowed, choices, sizeof choices);
    return hb_fail(err, HB_EUSAGE, "%s: unknown value '%s' (choose from: %s)", opt, text, choices);
}

int hb_parse_list(const char *opt, const char *text, const char *const *allowed, char *buf, size_t buf_len,
                  const char **items, int max, int *n, hb_err *err)
{
    if (strlen(text) + 1 > buf_len)
        return hb_fail(err, HB_EUSAGE, "%s: list too long", opt);
    strcpy(buf, text);
    *n = 0;
    char *save = NULL;
    if (buf[0] == '\0' || buf[0] == ',' || buf[strlen(buf) - 1] == ',' || strstr(buf, ",,"))
        return hb_fail(err, HB_EUSAGE, "%s: '%s' has an empty item", opt, text);
    for (char *tok = strtok_r(buf, ",", &save); tok; tok = strtok_r(NULL, ",", &save)) {
        if (!allowed_item(tok, allowed)) {
            char choices[256];
            join(allowed, choices, sizeof choices);
            return hb_fail(err, HB_EUSAGE, "%s: unknown value '%s' (choose from: %s)", opt, tok, choices);
        }
        for (int i = 0; i < *n; i++)
            if (strcmp(items[i], tok) == 0)
                return hb_fail(err, HB_EUSAGE, "%s: '%s' is listed twice", opt, tok);
        if (*n == max)
            return hb_fail(err, HB_EUSAGE, "%s: more than %d items", opt, max);
        items[(*n)++] = tok;
    }
    return HB_OK;
}

void hb_format_bytes(uint64_t bytes, char *buf, size_t len)
{
    static const char *const names[] = {"B", "KiB", "MiB", "GiB", "TiB"};
    double v = (double)bytes;
    int u = 0;
    while (v >= 1024 && u < 4) {
        v /= 1024;
        u++;
    }
    if (u == 0)
        snprintf(buf, len, "%llu B", (unsigned long long)bytes);
    else
        snprintf(buf, len, "%.*f %s", v < 10 ? 2 : 1, v, names[u]);
}
