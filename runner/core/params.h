/* SPDX-License-Identifier: Apache-2.0 */
/* params: the one small ordered bag of named values (a number, a text or a
 * yes/no) in the program: a result's configuration, a bench's facts about
 * its data, a family's derived records (the roofline's ceilings, the
 * latency plateaus).
 * Texts live in one area of the bag rather than in each entry, so a long
 * text (a device name) costs only its length: a result copies its
 * configuration into every tuning grid point. */
#ifndef HB_PARAMS_H
#define HB_PARAMS_H

#include <stddef.h>

typedef struct hb_param {
    char key[32];
    double num;                /* a number (NAN: null), or a yes/no as 0 or 1 */
    unsigned short text_at;    /* a text: where it starts in the bag's texts */
    unsigned char is_text;
    unsigned char is_bool;     /* a yes/no fact (JSON true/false) */
} hb_param;

#define HB_MAX_PARAMS 20
#define HB_PARAMS_TEXT_BYTES 768
typedef struct hb_params {
    int n;
    unsigned short text_used;  /* bytes of texts taken, NULs included */
    hb_param p[HB_MAX_PARAMS];
    char texts[HB_PARAMS_TEXT_BYTES];
} hb_params;

/* Empties the bag (its texts too). */
void hb_params_clear(hb_params *ps);
/* Set key to a value, replacing a value of any kind it had. They return 0,
 * or -1 when the bag has no room left (HB_MAX_PARAMS keys, or
 * HB_PARAMS_TEXT_BYTES of text): the key is then left as it was. */
int hb_params_set_num(hb_params *ps, const char *key, double v);
int hb_params_set_text(hb_params *ps, const char *key, const char *v);
int hb_params_set_bool(hb_params *ps, const char *key, int v);
/* Entry p of bag `from`, set in `into`; every entry of `from`, in its order. */
int hb_params_set_from(hb_params *into, const hb_params *from, const hb_param *p);
int hb_params_merge(hb_params *into, const hb_params *from);
/* Returns NULL if absent. */
const hb_param *hb_params_get(const hb_params *ps, const char *key);
/* p's text ("" when p is not a text); p must be an entry of ps. */
const char *hb_param_text(const hb_params *ps, const hb_param *p);
/* The number at key (NAN when absent or a text); the text at key ("" when
 * absent or not a text). */
double hb_params_num(const hb_params *ps, const char *key);
const char *hb_params_text(const hb_params *ps, const char *key);
/* "wg=256 vec=8 pattern=blocked" style one-line rendering. */
void hb_params_format(const hb_params *ps, char *buf, size_t len);

#endif
