/* SPDX-License-Identifier: Apache-2.0 */
/* json_num: one writer of numbers for every JSON document (json_num.h). */
#include "json_num.h"

#include <math.h>

/* 2^53: above it not every integer is a double, so exactness is not given. */
#define HB_EXACT_INT_LIMIT 9007199254740992.0

json_t *hb_json_num(double v)
{
    return hb_json_num_reuse(NULL, v);
}

json_t *hb_json_num_reuse(json_t *old, double v)
{
    if (!isfinite(v))
        return json_null();
    if (fabs(v) <= HB_EXACT_INT_LIMIT && v == trunc(v)) {
        if (json_is_integer(old))
            return json_integer_set(old, (json_int_t)v) ? NULL : old;
        return json_integer((json_int_t)v);
    }
    if (json_is_real(old))
        return json_real_set(old, v) ? NULL : old;
    return json_real(v);
}
