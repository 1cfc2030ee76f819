/* SPDX-License-Identifier: Apache-2.0 */
/* json_get: typed, path-reporting access to members of a parsed result
 * file; private to the JSON reader (json_read.c, json_read_result.c).
 *
 * Each hb_jr_* reads member key of object o (o may be NULL: an absent
 * parent reads as empty). A missing or null member gives the "unknown"
 * value (NAN, "", 0, NULL); a member of the wrong type fills c->err with
 * "FILE: at.key: expected ..." and returns HB_EUSAGE. at is the path of o
 * in the document ("results[3].stats"), "" at the top. */
#ifndef HB_JSON_GET_H
#define HB_JSON_GET_H

#include <stddef.h>
#include <stdint.h>

#include <jansson.h>

#include "hb_error.h"
#include "result.h"
#include "run.h"

typedef struct hb_jreader {
    const char *file;   /* named in every message */
    hb_err *err;
} hb_jreader;

/* Fills c->err with "FILE: at.key: expected what"; returns HB_EUSAGE. */
int hb_jr_bad(hb_jreader *c, const char *at, const char *key, const char *what);

int hb_jr_num(hb_jreader *c, const json_t *o, const char *at, const char *key, double *out);
/* Truncated to cap-1 bytes at a UTF-8 character boundary. */
int hb_jr_str(hb_jreader *c, const json_t *o, const char *at, const char *key,
              char *buf, size_t cap);
/* A non-negative integer no larger than max. */
int hb_jr_uint(hb_jreader *c, const json_t *o, const char *at, const char *key,
               uint64_t max, uint64_t *out);
int hb_jr_unsigned(hb_jreader *c, const json_t *o, const char *at, const char *key,
                   unsigned *out);
int hb_jr_int(hb_jreader *c, const json_t *o, const char *at, const char *key, int *out);
int hb_jr_bool(hb_jreader *c, const json_t *o, const char *at, const char *key, int *out);
/* An object or array member (type), *out NULL when missing or null. */
int hb_jr_typed(hb_jreader *c, const json_t *o, const char *at, const char *key,
                json_type type, const json_t **out);
/* "0x10de" style id; null reads as 0. */
int hb_jr_hex(hb_jreader *c, const json_t *o, const char *at, const char *key, unsigned *out);
/* Every member of config object o as a parameter, except skip (may be NULL). */
int hb_jr_params(hb_jreader *c, const json_t *o, const char *at, const char *skip,
                 hb_params *ps);
/* The "config" member of parent, as parameters. */
int hb_jr_config(hb_jreader *c, const json_t *parent, const char *at, hb_params *ps);

/* The "results" array a into l (json_read_result.c). Each element of a is
 * replaced by null once read, to free its tree early. */
int hb_jr_results(hb_jreader *c, json_t *a, hb_result_list *l);
/* Element i of the results array, object o, appended to l as a record. */
int hb_jr_result(hb_jreader *c, const json_t *o, size_t i, hb_result_list *l);

/* The top-level object of text[0..len) with its "results" array read a
 * record at a time into l (json_read_split.c): *root then has every other
 * member, and "results": []. The first reader error in a result goes to
 * c->err (code HB_OK if none). -1 when the text is not a well-formed object
 * of that shape; the caller then parses it whole for jansson's message. */
int hb_jr_split(hb_jreader *c, const char *text, size_t len, json_t **root, hb_result_list *l);

/* hb_json_read_run() on a document already in memory, text[0..len), by one
 * parse of the whole text (json_loadb): what the split read must match, result for result and error for error (the fuzz target
 * tests/fuzz/fuzz_result.c compares the two). */
int hb_json_read_run_whole(const char *text, size_t len, const char *path, hb_run *run, hb_err *err);

#define HB_JR_STR(c, o, at, key, field) hb_jr_str((c), (o), (at), (key), (field), sizeof(field))
#define HB_JR_OBJ(c, o, at, key, out) hb_jr_typed((c), (o), (at), (key), JSON_OBJECT, (out))
#define HB_JR_ARR(c, o, at, key, out) hb_jr_typed((c), (o), (at), (key), JSON_ARRAY, (out))

#endif
