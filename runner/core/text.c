/* SPDX-License-Identifier: Apache-2.0 */
/* text: terminal-safe copies of driver strings (text.h). */
#include "text.h"

#include <stdarg.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

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

/* At s[i] == ESC: the index just past the escape sequence it starts
 * (ECMA-48, 5th ed., 1991): CSI "ESC [" parameters (0x30-0x3F),
 * intermediates (0x20-0x2F) and one final byte (0x40-0x7E), sec. 5.4;
 * the control strings OSC "ESC ]", DCS "ESC P", SOS "ESC X", PM "ESC ^"
 * and APC "ESC _" up to ST "ESC \" or BEL (as xterm also accepts), sec.
 * 5.6; any other is ESC, intermediates (0x20-0x2F) and a final byte
 * (0x30-0x7E), sec. 5.3 and ECMA-35 sec. 13. */
static size_t skip_escape(const unsigned char *s, size_t i)
{
    unsigned char k = s[i + 1];
    if (k == '\0')
        return i + 1;
    if (k == '[') {
        i += 2;
        while (s[i] >= 0x20 && s[i] <= 0x3F)
            i++;
        return s[i] >= 0x40 && s[i] <= 0x7E ? i + 1 : i;
    }
    if (strchr("]PX^_", k)) {
        for (i += 2; s[i]; i++) {
            if (s[i] == 0x07)
                return i + 1;
            if (s[i] == 0x1B && s[i + 1] == '\\')
                return i + 2;
        }
        return i;
    }
    size_t j = i + 1;
    while (s[j] >= 0x20 && s[j] <= 0x2F)
        j++;
    /* ESC, intermediates, a final byte: one function; without a final
     * byte only the ESC goes (the rest is plain text, such as a quote). */
    return s[j] >= 0x30 && s[j] <= 0x7E ? j + 1 : i + 1;
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
        if (cp == 0x1b) { /* a whole escape sequence is one '?': none of it acts, its mark stays */
            one = '?';
            n = skip_escape(p, 0);
        } else if (n == 0) {
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

const char *hb_text_line(const char *s, char *buf, size_t len)
{
    return hb_text_clean(s, HB_TEXT_LINE, buf, len);
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
