/* SPDX-License-Identifier: Apache-2.0 */
/* json_num: a number as every JSON document hbmbench writes has it (result
 * files, compare's and check's documents, the cluster's aggregates): null
 * when it is not finite (JSON has no NaN or infinity, RFC 8259 section 6),
 * an integer when it is a whole number a double holds exactly, else a real
 * (written in its shortest round-tripping form, json_number.h). */
#ifndef HB_JSON_NUM_H
#define HB_JSON_NUM_H

#include <jansson.h>

json_t *hb_json_num(double v);
/* As hb_json_num, into old when old is a number of the kind v is written as
 * (then old is returned, set to v); a new value otherwise (old NULL, or of
 * another kind, is left alone). A document that fills one object again and
 * again allocates nothing for its numbers. NULL: out of memory. */
json_t *hb_json_num_reuse(json_t *old, double v);

#endif
