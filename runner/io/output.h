/* SPDX-License-Identifier: Apache-2.0 */
/* output: the human table and the CSV rows of a run, from the result model,
 * and the device listing. (The JSON document is json_io's.) Strings that
 * come from drivers are printed through hb_text_clean() (text.h), so none
 * reaches the terminal with its control characters. */
#ifndef HB_OUTPUT_H
#define HB_OUTPUT_H

#include <stdio.h>

#include "run.h"

void hb_print_table(FILE *f, const hb_run *run);
void hb_print_csv(FILE *f, const hb_run *run);
/* One device as `hbmbench list` shows it: properties, locality, peaks. */
void hb_print_device(FILE *f, const hb_device *d);
/* "# [0] triad f32 1.00 GiB opencl/cuda = 0.962 (...)": for each kernel
 * that two models measured on one device, the ratio of their best figures
 * (the first model's over the other's); nothing when no kernel was. */
void hb_print_model_ratios(FILE *f, const hb_run *run);
/* One CSV field, quoted (RFC 4180). */
void hb_csv_text(FILE *f, const char *s);

#endif
