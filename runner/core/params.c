/* SPDX-License-Identifier: Apache-2.0 */
/* params: the bag of named values (params.h). */
#include "params.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

static hb_param *param_slot(hb_params *ps, const char *key)
{
    for (int i = 0; i < ps->n; i++)
        if (strcmp(ps->p[i].key, key) == 0)
            return &ps->p[i];
    if (ps->n == HB_MAX_PARAMS)
        return NULL;
    hb_param *p = &ps->p[ps->n++];
    memset(p, 0, sizeof *p);
    snprintf(p->key, sizeof p->key, "%s", key);
    return p;
}

void hb_params_set_num(hb_params *ps, const char *key, double v)
{
    hb_param *p = param_slot(ps, key);
    if (p) {
        p->is_text = p->is_bool = 0;
        p->num = v;
        p->text[0] = '\0';
    }
}

void hb_params_set_text(hb_params *ps, const char *key, const char *v)
{
    hb_param *p = param_slot(ps, key);
    if (p) {
        p->is_text = 1;
        p->is_bool = 0;
        p->num = NAN;
        snprintf(p->text, sizeof p->text, "%s", v);
    }
}

void hb_params_set_bool(hb_params *ps, const char *key, int v)
{
    hb_param *p = param_slot(ps, key);
    if (p) {
        p->is_text = 0;
        p->is_bool = 1;
        p->num = v != 0;
        p->text[0] = '\0';
    }
}

void hb_params_set(hb_params *ps, const hb_param *src)
{
    hb_param *p = param_slot(ps, src->key);
    if (p)
        *p = *src;
}

const hb_param *hb_params_get(const hb_params *ps, const char *key)
{
    for (int i = 0; i < ps->n; i++)
        if (strcmp(ps->p[i].key, key) == 0)
            return &ps->p[i];
    return NULL;
}

void hb_params_format(const hb_params *ps, char *buf, size_t len)
{
    size_t used = 0;
    buf[0] = '\0';
    for (int i = 0; i < ps->n && used < len; i++) {
        const hb_param *p = &ps->p[i];
        int w = p->is_text   ? snprintf(buf + used, len - used, "%s%s=%s", i ? " " : "", p->key, p->text)
                : p->is_bool ? snprintf(buf + used, len - used, "%s%s=%s", i ? " " : "", p->key,
                                        p->num != 0 ? "true" : "false")
                             : snprintf(buf + used, len - used, "%s%s=%g", i ? " " : "", p->key, p->num);
        if (w < 0)
            break;
        used += (size_t)w;
    }
}
