/* SPDX-License-Identifier: Apache-2.0 */
/* noisy: the cv threshold of check's built-in rules (noisy.h). */
#include "noisy.h"

#include <jansson.h>
#include <math.h>
#include <pthread.h>
#include <string.h>

#include "embedded.h"

/* NaN (nothing is marked) if the embedded rules lost their "cv" rule,
 * which tests/test_units.c rules out. */
static double threshold = NAN;
static pthread_once_t once = PTHREAD_ONCE_INIT;

static void load(void)
{
    size_t len;
    const char *text = hb_embedded_find("default_rules.json", &len);
    json_t *doc = text ? json_loadb(text, len, 0, NULL) : NULL;
    json_t *rules = json_object_get(doc, "rules");
    for (size_t i = 0; i < json_array_size(rules); i++) {
        json_t *r = json_array_get(rules, i);
        const char *id = json_string_value(json_object_get(r, "id"));
        json_t *t = json_object_get(r, "threshold");
        if (id && !strcmp(id, "cv") && json_is_number(t))
            threshold = json_number_value(t);
    }
    json_decref(doc);
}

double hb_noisy_cv(void)
{
    pthread_once(&once, load);
    return threshold;
}

int hb_is_noisy(double cv)
{
    return !isnan(cv) && cv > hb_noisy_cv();
}
