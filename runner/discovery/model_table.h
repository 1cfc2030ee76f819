/* SPDX-License-Identifier: Apache-2.0 */
/* model_table: every model built in, in discovery order (OpenCL devices are
 * listed first, then CUDA's, then the host's). */
#ifndef HB_MODEL_TABLE_H
#define HB_MODEL_TABLE_H

#include "model.h"

/* NULL-terminated. */
extern const hb_model *const hb_models[];

/* The models' names in table order into out (max slots, NULL-ended), for
 * `--model`'s choices; returns how many. */
int hb_model_names(const char **out, int max);

#endif
