/* SPDX-License-Identifier: Apache-2.0 */
/* text: terminal-safe copies of driver strings (text.h). */
#include "text.h"

#include <stdarg.h>
#include <stdint.h>
#include <stdlib.h>

/* The length of the valid UTF-8 sequence at s (RFC 3629 section 4: no
 * overlong forms, no surrogates, nothing above U+10FFFF) with its code point
 * in *cp, or 0 when s does not start one. Stops at a terminating NUL. */
static size_t utf8_at(const unsigned char *s, uint32_t *cp)
{
    unsigned c = s[0];
    size_t n;
    uint32_t v;
    if (c < 0x80) {
        *cp = c;
        return 1;
    }
    if (c >= 0xc2 && c <= 0xdf) {
        n = 2;
        v = c & 0x1f;
    } else if (c >= 0xe0 && c <= 0xef) {
        n = 3;
        v = c & 0x0f;
    } else if (c >= 0xf0 && c <= 0xf4) {
        n = 4;
        v = c & 0x07;
    } else {
        return 0;
    }
    for (size_t i = 1; i < n; i++) {
        if ((s[i] & 0xc0) != 0x80)
            return 0;
        v = v << 6 | (s[i] & 0x3f);
    }
    if ((n == 3 && v < 0x800) || (n == 4 && (v < 0x10000 || v > 0x10ffff)) || (v >= 0xd800 && v <= 0xdfff))
        return 0;
    *cp = v;
    return n;
}

static int is_control(uint32_t cp)
{
    return cp < 0x20 || cp == 0x7f || (cp >= 0x80 && cp <= 0x9f) || (cp >= 0x202a && cp <= 0x202e) ||
           (cp >= 0x2066 && cp <= 0x2069);
}

const char *hb_text_clean(const char *s, enum hb_text_mode mode, char *buf, size_t len)
{
    if (!len)
        return buf;
    size_t used = 0;
    const unsigned char *p = (const unsigned char *)(s ? s : "");
    while (*p) {
        uint32_t cp = 0;
        size_t n = utf8_at(p, &cp);
        char one = 0;
        if (n == 0) {
            one = '?';
            n = 1;
        } else if (cp == '\n' || cp == '\t') {
            one = mode == HB_TEXT_LINES ? (char)cp : ' ';
        } else if (cp == '\r') {
            one = ' ';
        } else if (is_control(cp)) {
            one = '?';
        }
        size_t out = one ? 1 : n;
        if (used + out >= len)
            break;
        for (size_t i = 0; i < out; i++)
            buf[used++] = one ? one : (char)p[i];
        p += n;
    }
    buf[used] = '\0';
    return buf;
}

void hb_text_vfprintf(FILE *f, const char *fmt, va_list ap)
{
    char *raw = NULL;
    int n = vasprintf(&raw, fmt, ap);
    if (n < 0)
        return;
    char *clean = malloc((size_t)n + 1);
    if (clean)
        fputs(hb_text_clean(raw, HB_TEXT_LINES, clean, (size_t)n + 1), f);
    free(clean);
    free(raw);
}

void hb_text_fprintf(FILE *f, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    hb_text_vfprintf(f, fmt, ap);
    va_end(ap);
}
