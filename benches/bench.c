/* SPDX-License-Identifier: Apache-2.0 */
/* bench: lookups over the bench table, the options given to families and
 * kernels, and the summary records families derive. */
#include "bench.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

const hb_bench *hb_bench_find(const char *name)
{
    for (const hb_bench *const *b = hb_benches; *b; b++)
        if (strcmp((*b)->name, name) == 0)
            return *b;
    return NULL;
}

int hb_bench_has_dtype(const hb_bench *b, hb_dtype t)
{
    return (b->dtypes & HB_DTYPE_BIT(t)) != 0;
}

const hb_figure *hb_bench_figure(const hb_bench *b)
{
    return b->figure ? b->figure : b->family->figure;
}

const char *hb_bench_opt(const hb_bench_opts *o, const char *name)
{
    for (int i = 0; o && i < o->n; i++)
        if (!strcmp(o->name[i], name))
            return o->value[i];
    return NULL;
}

static hb_field *field(hb_fields *r, const char *key)
{
    if (r->n == HB_MAX_FIELDS)
        return NULL;
    hb_field *f = &r->f[r->n++];
    memset(f, 0, sizeof *f);
    snprintf(f->key, sizeof f->key, "%s", key);
    return f;
}

void hb_fields_num(hb_fields *r, const char *key, double v)
{
    hb_field *f = field(r, key);
    if (f)
        f->kind = HB_FIELD_NUM, f->num = v;
}

void hb_fields_int(hb_fields *r, const char *key, long long v)
{
    hb_field *f = field(r, key);
    if (f)
        f->kind = HB_FIELD_INT, f->num = (double)v;
}

void hb_fields_text(hb_fields *r, const char *key, const char *v)
{
    hb_field *f = field(r, key);
    if (f)
        f->kind = HB_FIELD_TEXT, f->num = NAN, snprintf(f->text, sizeof f->text, "%s", v);
}

double hb_fields_get(const hb_fields *r, const char *key)
{
    for (int i = 0; i < r->n; i++)
        if (!strcmp(r->f[i].key, key))
            return r->f[i].kind == HB_FIELD_TEXT ? NAN : r->f[i].num;
    return NAN;
}

const char *hb_fields_text_of(const hb_fields *r, const char *key)
{
    for (int i = 0; i < r->n; i++)
        if (!strcmp(r->f[i].key, key))
            return r->f[i].text;
    return "";
}
