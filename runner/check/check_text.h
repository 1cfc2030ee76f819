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
/* The metric's value with its unit and reference: "89.9% of 3350 GB/s (table)". */
void hb_check_value_text(const hb_check_rule *rule, const hb_result *r, const hb_check_item *it,
                         char *buf, size_t len);
/* The test: ">= 80%", "<= 5%", "== true", ">= 0.9x", "<= 120 ns" (a
 * figure threshold in r's figure unit). */
void hb_check_test_text(const hb_check_rule *rule, const hb_result *r, char *buf, size_t len);
/* Fills v->detail from its items. */
void hb_check_describe(const hb_check_report *rep, hb_check_verdict *v);

#endif
