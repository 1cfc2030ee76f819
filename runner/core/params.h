/* SPDX-License-Identifier: Apache-2.0 */
/* params: a small ordered bag of named values (number, text or yes/no): a
 * result's configuration, a bench's facts about its data. */
#ifndef HB_PARAMS_H
#define HB_PARAMS_H

#include <stddef.h>

/* One tuning or configuration parameter: numeric or text. */
typedef struct hb_param {
    char key[32];
    int is_text;
    int is_bool;               /* a yes/no fact, num 0 or 1 (JSON true/false) */
    double num;
    char text[48];
} hb_param;

#define HB_MAX_PARAMS 16
typedef struct hb_params {
    int n;
    hb_param p[HB_MAX_PARAMS];
} hb_params;

void hb_params_set_num(hb_params *ps, const char *key, double v);
void hb_params_set_text(hb_params *ps, const char *key, const char *v);
void hb_params_set_bool(hb_params *ps, const char *key, int v);
/* Sets p's key to p's value, of whichever kind. */
void hb_params_set(hb_params *ps, const hb_param *p);
/* Returns NULL if absent. */
const hb_param *hb_params_get(const hb_params *ps, const char *key);
/* "wg=256 vec=8 pattern=blocked" style one-line rendering. */
void hb_params_format(const hb_params *ps, char *buf, size_t len);

#endif
