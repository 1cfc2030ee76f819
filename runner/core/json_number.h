/* SPDX-License-Identifier: Apache-2.0 */
/* json_number: every real number of a JSON text in its shortest form that
 * reads back as the same double, as Python's repr and JavaScript's
 * Number.prototype.toString write it (Steele & White, "How to print
 * floating-point numbers accurately", PLDI 1990). jansson writes reals
 * with a fixed precision ("%.17g", its JSON_REAL_PRECISION), so 0.05
 * comes out as 0.050000000000000003; every writer of JSON here passes its
 * text through this once. */
#ifndef HB_JSON_NUMBER_H
#define HB_JSON_NUMBER_H

#include <stddef.h>

/* The shortest text of v ("%.Ng" with the smallest N from 1 to 17 that
 * strtod reads back as v; fixed notation for exponents -4 to 15, as %g
 * would with enough digits), always with a '.' or an exponent so that it
 * stays a real for a JSON reader ("100.0"). v must be finite. Writes at
 * most 32 bytes with the NUL. */
void hb_json_real_text(double v, char out[32]);

/* Rewrites, in place, each real number token of the JSON text (one with a
 * '.' or an exponent, outside strings) as hb_json_real_text gives it;
 * integers and strings are left alone. The text never grows. Returns its
 * new length. */
size_t hb_json_shorten_reals(char *text);

#endif
