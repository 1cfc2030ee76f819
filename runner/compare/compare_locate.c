/* SPDX-License-Identifier: Apache-2.0 */
/* compare_locate: file, line and column for every error in a result file.
 *
 * The JSON parser (jansson) gives a line and column for syntax errors, but
 * a well-formed file can still be wrong: a field of the wrong type, a newer
 * schema_version, not an hbmbench file at all. jansson keeps no positions
 * for values (its json_t has none), so the reader names such a field by its
 * path in the document ("results[3].stats.min_s"). Here the path is looked
 * up again in the file's text with a small scanner that walks the syntax
 * the parser has already accepted, and the position of the value is put
 * into the message. A member that is missing is reported at its parent. */
#include "compare.h"
#include "read_file.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct scan {
    const char *s;
    size_t len, pos;
} scan;

/* JSON's four whitespace bytes (RFC 8259, section 2). Not strchr(): it
 * also finds the terminating NUL, so a NUL byte in the text would count as
 * whitespace or as a delimiter. */
static int is_ws(char ch)
{
    return ch == ' ' || ch == '\t' || ch == '\r' || ch == '\n';
}

/* What ends a bare literal (number, true, false, null). */
static int ends_literal(char ch)
{
    return is_ws(ch) || ch == ',' || ch == ':' || ch == '[' || ch == ']' || ch == '{' || ch == '}'
           || ch == '"';
}

static void skip_ws(scan *c)
{
    while (c->pos < c->len && is_ws(c->s[c->pos]))
        c->pos++;
}

static int at(const scan *c, char ch)
{
    return c->pos < c->len && c->s[c->pos] == ch;
}

/* At an opening quote: moves past the closing one; -1 if unterminated. */
static int skip_string(scan *c)
{
    for (c->pos++; c->pos < c->len; c->pos++) {
        if (c->s[c->pos] == '\\')
            c->pos++;
        else if (c->s[c->pos] == '"') {
            c->pos++;
            return 0;
        }
    }
    return -1;
}

/* Moves past one value of any kind. Nesting is counted, not recursed, so
 * a deep document cannot exhaust the stack. Every turn of the loop consumes
 * at least one byte or fails, so any text, JSON or not, ends the scan: the
 * text is read again from disk and need not be what the parser accepted. */
static int skip_value(scan *c)
{
    size_t depth = 0;
    do {
        skip_ws(c);
        if (c->pos >= c->len)
            return -1;
        char ch = c->s[c->pos];
        if (ch == '"') {
            if (skip_string(c))
                return -1;
        } else if (ch == '{' || ch == '[') {
            depth++;
            c->pos++;
        } else if (ch == '}' || ch == ']') {
            if (depth == 0)
                return -1;
            depth--;
            c->pos++;
        } else if (ch == ',' || ch == ':') {
            if (depth == 0)
                return -1;
            c->pos++;
        } else {
            /* number, true, false, null, or a stray byte such as NUL */
            do
                c->pos++;
            while (c->pos < c->len && !ends_literal(c->s[c->pos]));
        }
    } while (depth > 0);
    return 0;
}

/* At an object: moves to the value of member key[0..klen); -1 if absent.
 * Keys compare as raw text; hbmbench writes none that need escapes. */
static int find_member(scan *c, const char *key, size_t klen)
{
    skip_ws(c);
    if (!at(c, '{'))
        return -1;
    c->pos++;
    for (;;) {
        skip_ws(c);
        if (!at(c, '"'))
            return -1;
        size_t start = c->pos + 1;
        if (skip_string(c))
            return -1;
        int match = c->pos - 1 - start == klen && memcmp(c->s + start, key, klen) == 0;
        skip_ws(c);
        if (!at(c, ':'))
            return -1;
        c->pos++;
        skip_ws(c);
        if (match)
            return 0;
        if (skip_value(c))
            return -1;
        skip_ws(c);
        if (!at(c, ','))
            return -1;
        c->pos++;
    }
}

/* At an array: moves to element idx; -1 if there are fewer. */
static int find_element(scan *c, size_t idx)
{
    skip_ws(c);
    if (!at(c, '['))
        return -1;
    c->pos++;
    for (size_t i = 0;; i++) {
        skip_ws(c);
        if (at(c, ']'))
            return -1;
        if (i == idx)
            return 0;
        if (skip_value(c))
            return -1;
        skip_ws(c);
        if (!at(c, ','))
            return -1;
        c->pos++;
    }
}

int hb_json_locate(const char *text, size_t len, const char *doc_path, int *line, int *col)
{
    scan c = {text, len, 0};
    const char *p = doc_path;
    skip_ws(&c);
    while (*p) {
        if (*p == '[') {
            char *end;
            unsigned long long idx = strtoull(p + 1, &end, 10);
            if (end == p + 1 || *end != ']' || find_element(&c, (size_t)idx))
                return -1;
            p = end + 1;
        } else {
            if (*p == '.')
                p++;
            size_t klen = strcspn(p, ".[");
            if (klen == 0 || find_member(&c, p, klen))
                return -1;
            p += klen;
        }
    }
    skip_ws(&c);
    if (c.pos >= len)
        return -1;
    /* Columns count characters, not bytes, as jansson's do: UTF-8
     * continuation bytes (10xxxxxx) do not start a character. */
    *line = 1;
    *col = 1;
    for (size_t i = 0; i < c.pos; i++) {
        if (text[i] == '\n')
            (*line)++, *col = 1;
        else if (((unsigned char)text[i] & 0xC0) != 0x80)
            (*col)++;
    }
    return 0;
}

/* The whole file, NUL-terminated; NULL if unreadable (the reader's own
 * message has said why already). */
static char *slurp(const char *path, size_t *len)
{
    char *text;
    hb_err ignored = {0};
    return hb_read_file(path, &text, len, &ignored) ? NULL : text;
}

/* Which value of the document a reader message is about. The header checks
 * (json_read.c check_header) name no path; the field checks start with one. */
static void path_of(const char *rest, char *doc_path, size_t len)
{
    doc_path[0] = '\0';
    if (strstr(rest, "schema_version"))
        snprintf(doc_path, len, "schema_version");
    else if (strstr(rest, "tool.name"))
        snprintf(doc_path, len, "tool.name");
    else if (strstr(rest, "\"results\" array"))
        snprintf(doc_path, len, "results");
    else if (strncmp(rest, "not an hbmbench", 15) != 0) {
        size_t n = strcspn(rest, ": ");
        if (n < len && !strncmp(rest + n, ": ", 2)) {
            memcpy(doc_path, rest, n);
            doc_path[n] = '\0';
        }
    }
}

/* "a.b[2].c" -> "a.b[2]" -> "a.b" -> "a" -> "": 0 when nothing is left. */
static int parent_path(char *p)
{
    if (!*p)
        return 0;
    char *cut = strrchr(p, '.'), *br = strrchr(p, '[');
    cut = br > cut ? br : cut;
    if (cut)
        *cut = '\0';
    else
        p[0] = '\0';
    return 1;
}

void hb_cmp_locate_error(const char *path, hb_err *err)
{
    size_t plen = strlen(path);
    if (err->code != HB_EUSAGE || strncmp(err->msg, path, plen) != 0)
        return;
    const char *rest = err->msg + plen;
    if (rest[0] == ':' && isdigit((unsigned char)rest[1]))
        return; /* the parser's own position */
    if (strncmp(rest, ": ", 2) != 0 || !strncmp(rest + 2, "cannot read", 11))
        return;
    rest += 2;
    char msg[sizeof err->msg], doc_path[256];
    int line = 1, col = 1, found = !strcmp(rest, "empty file");
    size_t len;
    char *text = found ? NULL : slurp(path, &len);
    path_of(rest, doc_path, sizeof doc_path);
    while (text && !found) {
        found = hb_json_locate(text, len, doc_path, &line, &col) == 0;
        if (!found && !parent_path(doc_path))
            break;
    }
    free(text);
    if (found)
        snprintf(msg, sizeof msg, "%s:%d:%d: %s", path, line, col, rest);
    else
        snprintf(msg, sizeof msg, "%s:?:?: %s", path, rest);
    snprintf(err->msg, sizeof err->msg, "%s", msg);
}
