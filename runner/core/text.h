/* SPDX-License-Identifier: Apache-2.0 */
/* text: strings from drivers made safe for a terminal.
 *
 * Device names, vendors, driver versions and build logs come from vendors'
 * runtimes. A control character in one (an ESC sequence, a bell, a carriage
 * return) would reach the user's terminal as is, where it can recolour or
 * clear the screen, move the cursor over earlier lines, or retitle the
 * window. Strings from result and rules files (anyone may have written
 * them) carry the same risk. Whatever hbmbench prints for people (run's
 * table, list, compare, check, messages) goes through here, the one
 * sanitiser; the JSON file keeps the bytes as read (JSON escapes control
 * characters, RFC 8259 section 7). */
#ifndef HB_TEXT_H
#define HB_TEXT_H

#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>

enum hb_text_mode {
    HB_TEXT_LINE = 0,   /* one line: tab, newline and carriage return become spaces */
    HB_TEXT_LINES = 1,  /* a message or a build log: newlines and tabs are kept */
};

/* Copies s into buf (len bytes, always terminated, cut at a character
 * boundary): printable characters of valid UTF-8 are kept; a whole escape
 * sequence (ESC and its parameters, ECMA-48) becomes one '?'; every other
 * control character (C0, DEL, C1), every Unicode bidirectional override
 * (U+202A..U+202E, U+2066..U+2069, which can reorder what a terminal shows)
 * and every byte that is not valid UTF-8 becomes '?'. Returns buf. */
const char *hb_text_clean(const char *s, enum hb_text_mode mode, char *buf, size_t len);
/* hb_text_clean(s, HB_TEXT_LINE, ...): one cell or one line of a table. */
const char *hb_text_line(const char *s, char *buf, size_t len);

/* fprintf, then the whole formatted text through hb_text_clean(HB_TEXT_LINES):
 * for messages that quote a driver's words (device names, build logs). */
void hb_text_fprintf(FILE *f, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void hb_text_vfprintf(FILE *f, const char *fmt, va_list ap) __attribute__((format(printf, 2, 0)));

#endif
