/* SPDX-License-Identifier: Apache-2.0 */
/* json_get: see json_get.h. */
#include "json_get.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* at is the path of the enclosing object ("" at the top), key the member. */
int hb_jr_bad(hb_jreader *c, const char *at, const char *key, const char *what)
{
    return hb_fail(c->err, HB_EUSAGE, "%s: %s%s%s: expected %s",
                   c->file, at, *at ? "." : "", key, what);
}

int hb_jr_num(hb_jreader *c, const json_t *o, const char *at, const char *key, double *out)
{
    const json_t *v = json_object_get(o, key);
    *out = NAN;
    if (!v || json_is_null(v))
        return HB_OK;
    if (!json_is_number(v))
        return hb_jr_bad(c, at, key, "a number or null");
    *out = json_number_value(v);
    return HB_OK;
}

/* Copies at most cap-1 bytes, cutting before a UTF-8 sequence rather than
 * inside it, so what is read can be written again as valid JSON. */
static void copy_str(char *dst, size_t cap, const char *s, size_t len)
{
    if (len >= cap) {
        len = cap - 1;
        while (len > 0 && ((unsigned char)s[len] & 0xC0) == 0x80)
            len--;
    }
    memcpy(dst, s, len);
    dst[len] = '\0';
}

int hb_jr_str(hb_jreader *c, const json_t *o, const char *at, const char *key,
                   char *buf, size_t cap)
{
    const json_t *v = json_object_get(o, key);
    buf[0] = '\0';
    if (!v || json_is_null(v))
        return HB_OK;
    if (!json_is_string(v))
        return hb_jr_bad(c, at, key, "a string or null");
    copy_str(buf, cap, json_string_value(v), json_string_length(v));
    return HB_OK;
}

/* A non-negative integer up to max. The writer uses a JSON real only for
 * values beyond json_int_t, so an integral real is accepted too. */
int hb_jr_uint(hb_jreader *c, const json_t *o, const char *at, const char *key,
                    uint64_t max, uint64_t *out)
{
    const json_t *v = json_object_get(o, key);
    *out = 0;
    if (!v || json_is_null(v))
        return HB_OK;
    double d = json_is_number(v) ? json_number_value(v) : -1;
    if (json_is_integer(v) && json_integer_value(v) >= 0 && (uint64_t)json_integer_value(v) <= max)
        *out = (uint64_t)json_integer_value(v);
    else if (json_is_real(v) && d >= 0 && d == trunc(d) && d <= (double)max)
        *out = (uint64_t)d;
    else {
        char what[64];
        snprintf(what, sizeof what, "an integer from 0 to %llu", (unsigned long long)max);
        return hb_jr_bad(c, at, key, what);
    }
    return HB_OK;
}

int hb_jr_unsigned(hb_jreader *c, const json_t *o, const char *at, const char *key,
                        unsigned *out)
{
    uint64_t v;
    int rc = hb_jr_uint(c, o, at, key, UINT32_MAX, &v);
    *out = (unsigned)v;
    return rc;
}

int hb_jr_int(hb_jreader *c, const json_t *o, const char *at, const char *key, int *out)
{
    const json_t *v = json_object_get(o, key);
    *out = 0;
    if (!v || json_is_null(v))
        return HB_OK;
    if (!json_is_integer(v) || json_integer_value(v) < -2147483647 - 1
        || json_integer_value(v) > 2147483647)
        return hb_jr_bad(c, at, key, "an integer");
    *out = (int)json_integer_value(v);
    return HB_OK;
}

int hb_jr_bool(hb_jreader *c, const json_t *o, const char *at, const char *key, int *out)
{
    const json_t *v = json_object_get(o, key);
    *out = 0;
    if (!v || json_is_null(v))
        return HB_OK;
    if (!json_is_boolean(v))
        return hb_jr_bad(c, at, key, "true or false");
    *out = json_is_true(v);
    return HB_OK;
}

/* Object or array member; a missing or null one reads as NULL (empty). */
int hb_jr_typed(hb_jreader *c, const json_t *o, const char *at, const char *key,
                     json_type type, const json_t **out)
{
    const json_t *v = json_object_get(o, key);
    *out = NULL;
    if (!v || json_is_null(v))
        return HB_OK;
    if (json_typeof(v) != type)
        return hb_jr_bad(c, at, key, type == JSON_OBJECT ? "an object or null" : "an array or null");
    *out = v;
    return HB_OK;
}

/* "0x10de" style ids; null means unknown, stored as 0. */
int hb_jr_hex(hb_jreader *c, const json_t *o, const char *at, const char *key, unsigned *out)
{
    const json_t *v = json_object_get(o, key);
    *out = 0;
    if (!v || json_is_null(v))
        return HB_OK;
    const char *s = json_is_string(v) ? json_string_value(v) : "";
    char *end = NULL;
    errno = 0;
    unsigned long x = strtoul(s, &end, 16);
    if (strncmp(s, "0x", 2) != 0 || end == s + 2 || *end != '\0' || errno || x > UINT32_MAX)
        return hb_jr_bad(c, at, key, "a hex string such as \"0x10de\", or null");
    *out = (unsigned)x;
    return HB_OK;
}

/* A config object: every member is a parameter, except skip (the run's
 * "command_line", which has its own field). */
int hb_jr_params(hb_jreader *c, const json_t *o, const char *at, const char *skip,
                       hb_params *ps)
{
    const char *key;
    json_t *v;
    memset(ps, 0, sizeof *ps);
    json_object_foreach((json_t *)o, key, v) {
        if (skip && strcmp(key, skip) == 0)
            continue;
        if (strlen(key) >= sizeof ps->p[0].key)
            return hb_fail(c->err, HB_EUSAGE, "%s: %s: parameter name \"%s\" is longer than %zu bytes",
                           c->file, at, key, sizeof ps->p[0].key - 1);
        if (ps->n == HB_MAX_PARAMS)
            return hb_fail(c->err, HB_EUSAGE, "%s: %s: more than %d parameters",
                           c->file, at, HB_MAX_PARAMS);
        int set;
        if (json_is_string(v))
            set = hb_params_set_text(ps, key, json_string_value(v));
        else if (json_is_number(v))
            set = hb_params_set_num(ps, key, json_number_value(v));
        else if (json_is_boolean(v))
            set = hb_params_set_bool(ps, key, json_is_true(v));
        else if (json_is_null(v))
            set = hb_params_set_num(ps, key, NAN);
        else
            return hb_jr_bad(c, at, key, "a number, a string, true, false or null");
        if (set)
            return hb_fail(c->err, HB_EUSAGE, "%s: %s: parameter texts longer than %d bytes in all",
                           c->file, at, HB_PARAMS_TEXT_BYTES);
    }
    return HB_OK;
}

int hb_jr_config(hb_jreader *c, const json_t *parent, const char *at, hb_params *ps)
{
    const json_t *o;
    char here[96];
    snprintf(here, sizeof here, "%s%sconfig", at, *at ? "." : "");
    int rc = HB_JR_OBJ(c, parent, at, "config", &o);
    if (rc == HB_OK)
        rc = hb_jr_params(c, o, here, NULL, ps);
    return rc;
}

