/* SPDX-License-Identifier: Apache-2.0 */
/* params: the bag of named values (params.h). */
#include "params.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

static hb_param *find(const hb_params *ps, const char *key)
{
    for (int i = 0; i < ps->n; i++)
        if (strcmp(ps->p[i].key, key) == 0)
            return (hb_param *)&ps->p[i];
    return NULL;
}

/* The entry for key, a new one at the end when absent; NULL when full. */
static hb_param *slot(hb_params *ps, const char *key)
{
    hb_param *p = find(ps, key);
    if (p || ps->n == HB_MAX_PARAMS)
        return p;
    p = &ps->p[ps->n++];
    memset(p, 0, sizeof *p);
    snprintf(p->key, sizeof p->key, "%s", key);
    return p;
}

void hb_params_clear(hb_params *ps)
{
    ps->n = 0;
    ps->text_used = 0;
}

int hb_params_set_num(hb_params *ps, const char *key, double v)
{
    hb_param *p = slot(ps, key);
    if (!p)
        return -1;
    p->is_text = p->is_bool = 0;
    p->num = v;
    return 0;
}

int hb_params_set_bool(hb_params *ps, const char *key, int v)
{
    hb_param *p = slot(ps, key);
    if (!p)
        return -1;
    p->is_text = 0;
    p->is_bool = 1;
    p->num = v != 0;
    return 0;
}

int hb_params_set_text(hb_params *ps, const char *key, const char *v)
{
    int was_new = find(ps, key) == NULL;
    hb_param *p = slot(ps, key);
    if (!p)
        return -1;
    size_t len = strlen(v);
    /* A shorter text replaces the old one where it is; a longer one takes
     * new room (the old bytes are not reused: bags are filled once). */
    if (p->is_text && len <= strlen(ps->texts + p->text_at)) {
        memcpy(ps->texts + p->text_at, v, len + 1);
    } else {
        if (len + 1 > (size_t)(HB_PARAMS_TEXT_BYTES - ps->text_used)) {
            ps->n -= was_new; /* a key never stays without its value */
            return -1;
        }
        p->text_at = ps->text_used;
        memcpy(ps->texts + p->text_at, v, len + 1);
        ps->text_used = (unsigned short)(ps->text_used + len + 1);
    }
    p->is_text = 1;
    p->is_bool = 0;
    p->num = NAN;
    return 0;
}

int hb_params_set_from(hb_params *into, const hb_params *from, const hb_param *p)
{
    return p->is_text   ? hb_params_set_text(into, p->key, hb_param_text(from, p))
           : p->is_bool ? hb_params_set_bool(into, p->key, p->num != 0)
                        : hb_params_set_num(into, p->key, p->num);
}

int hb_params_merge(hb_params *into, const hb_params *from)
{
    int rc = 0;
    for (int i = 0; i < from->n; i++)
        if (hb_params_set_from(into, from, &from->p[i]))
            rc = -1;
    return rc;
}

const hb_param *hb_params_get(const hb_params *ps, const char *key)
{
    return find(ps, key);
}

const char *hb_param_text(const hb_params *ps, const hb_param *p)
{
    return p->is_text ? ps->texts + p->text_at : "";
}

double hb_params_num(const hb_params *ps, const char *key)
{
    const hb_param *p = find(ps, key);
    return p && !p->is_text ? p->num : NAN;
}

const char *hb_params_text(const hb_params *ps, const char *key)
{
    const hb_param *p = find(ps, key);
    return p ? hb_param_text(ps, p) : "";
}

void hb_params_format(const hb_params *ps, char *buf, size_t len)
{
    size_t used = 0;
    buf[0] = '\0';
    for (int i = 0; i < ps->n && used < len; i++) {
        const hb_param *p = &ps->p[i];
        const char *sep = i ? " " : "";
        int w = p->is_text   ? snprintf(buf + used, len - used, "%s%s=%s", sep, p->key, hb_param_text(ps, p))
                : p->is_bool ? snprintf(buf + used, len - used, "%s%s=%s", sep, p->key, p->num != 0 ? "true" : "false")
                             : snprintf(buf + used, len - used, "%s%s=%g", sep, p->key, p->num);
        if (w < 0)
            break;
        used += (size_t)w;
    }
}
