/* SPDX-License-Identifier: Apache-2.0 */
/* compare_table: the table of one comparison, for a terminal or markdown.
 *
 * The terminal table fits HB_CMP_TABLE_COLS columns: it shows the columns a
 * reader needs to judge a pair (device, what was measured, model and timer,
 * both medians, the ratio, its interval, the verdict), cuts device names
 * that do not fit so that they stay distinct within the table, and as a
 * last resort drops the timer, the interval and the model columns, in that
 * order. wide shows every column (best, median, % of peak and CV, model,
 * timer, host and creation time of each side, the p-value) with whole
 * device names; markdown never cuts a name. */
#ifndef HB_COMPARE_TABLE_H
#define HB_COMPARE_TABLE_H

#include <stdio.h>

#include "compare.h"

#define HB_CMP_TABLE_COLS 120

/* The header line and a line per pair; then a note naming what the
 * default table left out or cut, and the legend of the '~' mark when a
 * row has it. noisy_cv: the mark's threshold (a fraction). HB_EFAIL only
 * when out of memory (nothing of the table is printed then). */
int hb_cmp_print_table(FILE *f, const hb_cmp *c, double noisy_cv, int md, int wide, hb_err *err);

#endif
