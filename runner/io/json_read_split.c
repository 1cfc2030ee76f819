/* SPDX-License-Identifier: Apache-2.0 */
/* json_read_split: a result document parsed a piece at a time, so reading
 * a large file costs little more memory than the file and its records.
 *
 * jansson builds a tree of the whole document, and that tree is four times
 * the text for a file of many small results (every value and object member
 * is its own allocation): a 100 MB file took 390 MB before the first record
 * was made. Here the top-level object is walked member by member and the
 * "results" array element by element; jansson parses each piece
 * (json_loadb with JSON_DISABLE_EOF_CHECK stops after one value and says
 * how many bytes it took) and each result's tree is freed as soon as its
 * record is made. Only the separators between the pieces (whitespace,
 * ':', ',' and the brackets, RFC 8259 sec. 2, 4 and 5) are checked here.
 *
 * Anything unexpected (a syntax error, a duplicate key, a result that is
 * not an object) makes hb_jr_split() give up; the caller then parses the
 * whole text as before, so every error keeps jansson's own message and
 * position, and this path changes nothing but the memory it takes. */
#include "json_get.h"

#include <string.h>

static size_t skip_ws(const char *t, size_t len, size_t p)
{
    while (p < len && (t[p] == ' ' || t[p] == '\t' || t[p] == '\n' || t[p] == '\r'))
        p++;
    return p;
}

/* The value at text[*pos] (after any whitespace), *pos moved past it; NULL
 * when jansson refuses it. Exact even for numbers and literals: the one
 * character jansson reads beyond them is not counted in its position. */
static json_t *value_at(const char *text, size_t len, size_t *pos, size_t flags)
{
    json_error_t je;
    json_t *v = json_loadb(text + *pos, len - *pos, flags | JSON_DISABLE_EOF_CHECK | JSON_REJECT_DUPLICATES,
                           &je);
    if (v)
        *pos += (size_t)je.position;
    return v;
}

/* The results array at text[*pos] ('['), its records appended to l; the
 * first reader error goes to c->err and stops the records, not the walk
 * (a later syntax error still wins, as it would in a whole parse). -1 when
 * the array is not well formed. */
static int results_at(hb_jreader *c, const char *text, size_t len, size_t *pos, hb_result_list *l)
{
    size_t p = skip_ws(text, len, skip_ws(text, len, *pos) + 1);
    if (p < len && text[p] == ']') {
        *pos = p + 1;
        return 0;
    }
    for (size_t i = 0;; i++) {
        json_t *e = value_at(text, len, &p, 0);
        if (!e || !json_is_object(e)) {
            json_decref(e);
            return -1;
        }
        if (c->err->code == HB_OK)
            hb_jr_result(c, e, i, l);
        json_decref(e);
        p = skip_ws(text, len, p);
        if (p < len && text[p] == ',') {
            p++;
            continue;
        }
        if (p < len && text[p] == ']') {
            *pos = p + 1;
            return 0;
        }
        return -1;
    }
}

/* One "key": value member of the top level at text[*pos] into o. */
static int member_at(hb_jreader *c, const char *text, size_t len, size_t *pos, json_t *o, hb_result_list *l)
{
    json_t *k = value_at(text, len, pos, JSON_DECODE_ANY);
    size_t p = skip_ws(text, len, *pos);
    int rc = -1;
    if (json_is_string(k) && p < len && text[p] == ':' && !json_object_get(o, json_string_value(k))) {
        const char *key = json_string_value(k);
        p++;
        if (!strcmp(key, "results") && skip_ws(text, len, p) < len && text[skip_ws(text, len, p)] == '[') {
            rc = results_at(c, text, len, &p, l);
            if (!rc)
                rc = json_object_set_new(o, key, json_array());
        } else {
            json_t *v = value_at(text, len, &p, JSON_DECODE_ANY);
            rc = v ? json_object_set_new(o, key, v) : -1;
        }
        *pos = p;
    }
    json_decref(k);
    return rc;
}

/* Whether brackets nest deeper than jansson parses (JSON_PARSER_MAX_DEPTH,
 * 2048 in jansson 2.14): a piece starts its count afresh, so a result
 * nested just below the limit would pass here and fail the whole parse. */
static int too_deep(const char *t, size_t len)
{
    size_t depth = 0;
    for (size_t i = 0; i < len; i++) {
        if (t[i] == '"') {
            for (i++; i < len && t[i] != '"'; i++)
                i += t[i] == '\\';
        } else if (t[i] == '[' || t[i] == '{') {
            if (++depth > 2000)
                return 1;
        } else if ((t[i] == ']' || t[i] == '}') && depth) {
            depth--;
        }
    }
    return 0;
}

int hb_jr_split(hb_jreader *c, const char *text, size_t len, json_t **root, hb_result_list *l)
{
    size_t p = skip_ws(text, len, 0);
    *root = NULL;
    /* A NUL byte is never valid JSON text (RFC 8259, sec. 7), and jansson
     * 2.14 drops one that follows a number, so where a piece starts decides
     * what it parses to (found by tests/fuzz/fuzz_result.c: a piece read a
     * brace sooner than the whole parse did). Such text is left to the
     * whole parse, which reports it. */
    if (memchr(text, '\0', len) || too_deep(text, len))
        return -1;
    json_t *o = json_object();
    if (!o || p == len || text[p] != '{') {
        json_decref(o);
        return -1;
    }
    p = skip_ws(text, len, p + 1);
    int ok = p < len && text[p] == '}';
    if (ok)
        p++;
    while (!ok) {
        if (member_at(c, text, len, &p, o, l))
            break;
        p = skip_ws(text, len, p);
        if (p < len && text[p] == ',') {
            p++;
            continue;
        }
        ok = p < len && text[p] == '}';
        p += ok;
        break;
    }
    if (!ok || skip_ws(text, len, p) != len) {
        json_decref(o);
        return -1;
    }
    *root = o;
    return 0;
}
