/* SPDX-License-Identifier: Apache-2.0 */
/* json_number: shortest round-tripping reals in JSON texts (json_number.h). */
#include "json_number.h"

#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The significant digits of v when it is a whole number below 10^15 (every
 * one exact in binary64, each its own double, so fewer digits name another
 * number and these are the fewest that read back); 0 otherwise. Most
 * figures and thresholds (1000.0, 80.0) take this path, not the search. */
static int whole_digits(double v)
{
    if (!(fabs(v) < 1e15) || v != floor(v))
        return 0;
    long long i = llabs((long long)v);
    while (i && i % 10 == 0)
        i /= 10;
    int d = 1;
    for (; i >= 10; i /= 10)
        d++;
    return d;
}

void hb_json_real_text(double v, char out[32])
{
    /* The fewest digits that read back as v, by bisection: if d digits
     * round-trip so do d + 1 (correctly rounded, they are nearer v, inside
     * the same rounding interval), and 17 always do (IEEE 754 binary64). */
    int whole = whole_digits(v), known = whole > 0 && whole <= 17;
    int lo = known ? whole : 1, hi = known ? whole : 17;
    while (lo < hi) {
        int mid = (lo + hi) / 2;
        snprintf(out, 32, "%.*g", mid, v);
        if (strtod(out, NULL) == v)
            hi = mid;
        else
            lo = mid + 1;
    }
    int digits = lo;
    snprintf(out, 32, "%.*g", digits, v);
    /* %g chose an exponent because the exponent reached the digit count.
     * Fixed notation with the same digits is as exact (above 2^53 every
     * double is an integer) and easier to read, 100.0 rather than 1e+02:
     * it is kept where it is no longer, which is from 1e-4 up to ~1e17. */
    const char *e = strchr(out, 'e');
    int exp10 = e ? atoi(e + 1) : 0;
    if (e && exp10 >= -4 && exp10 < 18) {
        char fixed[48];
        int decimals = digits - 1 - exp10;
        snprintf(fixed, sizeof fixed, "%.*f%s", decimals > 0 ? decimals : 0, v, decimals > 0 ? "" : ".0");
        if (strlen(fixed) <= strlen(out) + 2 && strlen(fixed) < 32)
            strcpy(out, fixed);
    }
    if (!strpbrk(out, ".e"))
        strcat(out, ".0");
}

static int is_number_char(char c)
{
    return (c >= '0' && c <= '9') || c == '-' || c == '+' || c == '.' || c == 'e' || c == 'E';
}

/* A real token's shortest text, remembered: a document's reals are mostly
 * a few values written over and over (100,000 rules with one threshold),
 * and each fresh one costs a strtod and up to five snprintf. Direct-mapped
 * by the token's FNV-1a hash (the same text always gives the same answer,
 * so a collision only costs a recomputation); per thread, so no lock. */
typedef struct shortened {
    char token[32], best[32];
    unsigned char token_len, best_len; /* token_len 0: an empty slot */
} shortened;

#define SHORTENED_SLOTS 256

static const shortened *shorten_token(const char *r, size_t n)
{
    static _Thread_local shortened memo[SHORTENED_SLOTS];
    if (n >= sizeof memo[0].token)
        return NULL;
    uint32_t h = 2166136261u;
    for (size_t i = 0; i < n; i++)
        h = (h ^ (unsigned char)r[i]) * 16777619u;
    shortened *s = &memo[h % SHORTENED_SLOTS];
    if (s->token_len == n && !memcmp(s->token, r, n))
        return s->best_len ? s : NULL;
    memcpy(s->token, r, n);
    s->token[n] = '\0';
    s->token_len = (unsigned char)n;
    s->best_len = 0; /* not finite, or no shorter: the token stays */
    double v = strtod(s->token, NULL);
    if (isfinite(v)) {
        hb_json_real_text(v, s->best);
        size_t m = strlen(s->best);
        if (m <= n)
            s->best_len = (unsigned char)m;
    }
    return s->best_len ? s : NULL;
}

size_t hb_json_shorten_reals(char *text)
{
    char *r = text, *w = text;
    int in_string = 0;
    while (*r) {
        char c = *r;
        if (in_string) {
            *w++ = *r++;
            if (c == '\\' && *r)
                *w++ = *r++; /* an escaped character, possibly a quote */
            else if (c == '"')
                in_string = 0;
            continue;
        }
        if (c == '"') {
            in_string = 1;
            *w++ = *r++;
            continue;
        }
        if (c != '-' && (c < '0' || c > '9')) {
            *w++ = *r++;
            continue;
        }
        /* Outside a string, a '-' or a digit starts a number (RFC 8259, 6). */
        size_t n = 0;
        while (is_number_char(r[n]))
            n++;
        int real = memchr(r, '.', n) || memchr(r, 'e', n) || memchr(r, 'E', n);
        const shortened *s = real ? shorten_token(r, n) : NULL;
        if (s) {
            memcpy(w, s->best, s->best_len);
            w += s->best_len;
            r += n;
            continue;
        }
        memmove(w, r, n);
        w += n;
        r += n;
    }
    *w = '\0';
    return (size_t)(w - text);
}
