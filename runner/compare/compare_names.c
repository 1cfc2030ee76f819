/* SPDX-License-Identifier: Apache-2.0 */
/* compare_names: see compare_names.h. */
#include "compare_names.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The device column: "node:device" for a gathered MPI run (docs/cluster.md). */
void hb_cmp_device_text(const hb_result *r, char *buf)
{
    char raw[HB_CMP_DEV_LEN];
    if (r->node[0])
        snprintf(raw, sizeof raw, "%s:%s", r->node, r->device);
    else
        snprintf(raw, sizeof raw, "%s", r->device);
    hb_text_line(raw, buf, HB_CMP_DEV_LEN);
}

static int cmp_node_device(const void *x, const void *y)
{
    const hb_result *p = *(const hb_result *const *)x, *q = *(const hb_result *const *)y;
    int d = strcmp(p->node, q->node);
    return d ? d : strcmp(p->device, q->device);
}

static int cmp_text(const void *x, const void *y)
{
    return strcmp((const char *)x, (const char *)y);
}

static int cmp_text_ptr(const void *x, const void *y)
{
    return strcmp(*(const char *const *)x, *(const char *const *)y);
}

/* The distinct device names of c's rows, sorted: through the results (a
 * file may hold tens of thousands of rows, and few devices). -1 when out
 * of memory. */
int hb_cmp_devnames_make(const hb_cmp *c, hb_cmp_devnames *d)
{
    *d = (hb_cmp_devnames){0};
    size_t n = c->n_rows;
    const hb_result **v = malloc((n ? n : 1) * sizeof *v);
    if (!v)
        return -1;
    for (size_t i = 0; i < n; i++)
        v[i] = c->rows[i].base;
    qsort(v, n, sizeof *v, cmp_node_device);
    size_t m = 0;
    for (size_t i = 0; i < n; i++)
        if (i == 0 || cmp_node_device(&v[i], &v[i - 1]))
            v[m++] = v[i];
    d->full = malloc((m ? m : 1) * sizeof *d->full);
    d->shown = malloc((m ? m : 1) * sizeof *d->shown);
    if (!d->full || !d->shown) {
        free(v);
        free(d->full);
        free(d->shown);
        *d = (hb_cmp_devnames){0};
        return -1;
    }
    for (size_t i = 0; i < m; i++)
        hb_cmp_device_text(v[i], d->full[i]);
    free(v);
    /* Two names may clean to the same text. */
    qsort(d->full, m, sizeof *d->full, cmp_text);
    for (size_t i = 0; i < m; i++)
        if (d->n == 0 || strcmp(d->full[i], d->full[d->n - 1]))
            memmove(d->full[d->n++], d->full[i], HB_CMP_DEV_LEN);
    d->longest = (int)strlen("device");   /* the column's header */
    for (size_t i = 0; i < d->n; i++) {
        int l = (int)strlen(d->full[i]);
        d->longest = l > d->longest ? l : d->longest;
        memcpy(d->shown[i], d->full[i], HB_CMP_DEV_LEN);
    }
    return 0;
}

void hb_cmp_devnames_free(hb_cmp_devnames *d)
{
    free(d->full);
    free(d->shown);
    *d = (hb_cmp_devnames){0};
}

/* s cut to w bytes: its first w - 2 - tail, "..", its last tail; cut at
 * UTF-8 character boundaries (the result may be shorter). */
void hb_cmp_cut(const char *s, int w, int tail, char *out, size_t cap)
{
    int len = (int)strlen(s), head = w - 2 - tail;
    if (len <= w || head < 0) {
        snprintf(out, cap, "%.*s", w, s);
        return;
    }
    while (head > 0 && ((unsigned char)s[head] & 0xC0) == 0x80)
        head--;
    int from = len - tail;
    while (from < len && ((unsigned char)s[from] & 0xC0) == 0x80)
        from++;
    snprintf(out, cap, "%.*s..%s", head, s, s + from);
}

/* Whether the shown names are distinct; -1 when out of memory. */
static int distinct(const hb_cmp_devnames *d)
{
    const char **p = malloc((d->n ? d->n : 1) * sizeof *p);
    if (!p)
        return -1;
    for (size_t i = 0; i < d->n; i++)
        p[i] = d->shown[i];
    qsort(p, d->n, sizeof *p, cmp_text_ptr);
    int ok = 1;
    for (size_t i = 1; i < d->n && ok; i++)
        ok = strcmp(p[i], p[i - 1]) != 0;
    free(p);
    return ok;
}

/* Cuts the names longer than w, keeping both ends (vendors put the family
 * first and the variant last: "NVIDIA H100 80GB HBM3"), the same way for
 * every name; the first split that keeps the names distinct wins. If none
 * does, each cut name is numbered ("NVIDIA A..HBM3 rev 1 #2"). -1 when
 * out of memory. */
int hb_cmp_devnames_cut(hb_cmp_devnames *d, int w)
{
    if (d->longest <= w)
        return 0;
    d->cut = 1;
    int balanced = (w - 2) / 2;
    for (int t = balanced, step = 0; t >= 0; t = step < 1 ? w - 2 : t - 1, step++) {
        if (step > 0 && t == balanced)
            continue;
        for (size_t i = 0; i < d->n; i++)
            hb_cmp_cut(d->full[i], w, t, d->shown[i], HB_CMP_DEV_LEN);
        int ok = distinct(d);
        if (ok)
            return ok < 0 ? -1 : 0;
    }
    /* " #2" after the cut name; listed whole under the table. Never first:
     * a line starting with '#' reads as a comment. */
    d->numbered = 1;
    size_t k = 0;
    for (size_t i = 0; i < d->n; i++) {
        if ((int)strlen(d->full[i]) <= w)
            continue;
        char num[24], rest[HB_CMP_DEV_LEN - sizeof num];
        int l = snprintf(num, sizeof num, " #%zu", ++k);
        hb_cmp_cut(d->full[i], w - l, (w - l - 2) / 2, rest, sizeof rest);
        snprintf(d->shown[i], HB_CMP_DEV_LEN, "%s%s", rest, num);
    }
    return 0;
}

const char *hb_cmp_devnames_shown(const hb_cmp_devnames *d, const char *name)
{
    char(*hit)[HB_CMP_DEV_LEN] = bsearch(name, d->full, d->n, sizeof *d->full, cmp_text);
    return hit ? d->shown[hit - d->full] : name;
}

