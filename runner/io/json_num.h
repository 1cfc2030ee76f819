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

#endif
