/* SPDX-License-Identifier: Apache-2.0 */
/* check_text: the words and figures of verdicts, shared by the evaluation
 * (each verdict's detail), the table and the JSON document. Private to
 * runner/check/. */
#ifndef HB_CHECK_TEXT_H
#define HB_CHECK_TEXT_H

#include <stddef.h>

#include "acceptance.h"

/* What a result measured, short: "triad f32 128.0 MiB", "gemm f32 1024x1024x1024
 * (clblast)", "roofline f64 k=16". */
void hb_check_label(const hb_result *r, char *buf, size_t len);
/* Fills v->detail from its items. */
void hb_check_describe(const hb_check_report *rep, hb_check_verdict *v);

#endif
