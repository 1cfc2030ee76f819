/* SPDX-License-Identifier: Apache-2.0 */
/* check_text: the words and figures of verdicts, shared by the evaluation
 * (each verdict's detail), the table and the JSON document. Private to
 * runner/check/. */
#ifndef HB_CHECK_TEXT_H
#define HB_CHECK_TEXT_H

#include <stddef.h>

#include "acceptance.h"

/* What a result measured, short: "triad f32 128.0 MiB", "gemm f32 1024x1024x1024
 * (clblast)", "roofline f64 k=16", "h2d 64.0 MiB [api=map, host=pinned]". */
void hb_check_label(const hb_result *r, char *buf, size_t len);
/* The test: ">= 80%", "<= 5%", "== true", ">= 0.9x", "<= 120 ns" (r's
 * figure unit; r may be NULL: the rule's unit). */
void hb_check_test_text(const hb_check_rule *rule, const hb_result *r, char *buf, size_t len);
/* The rule's result select, short: "sizes largest, bench triad, dtype f32|f64". */
void hb_check_select_text(const hb_check_rule *rule, char *buf, size_t len);
/* Fills v->detail from its items. */
void hb_check_describe(const hb_check_report *rep, hb_check_verdict *v);

/* Why a device is held to no minimum fraction of its peak, or "" when it is. */
void hb_check_floor_note(const hb_check_report *rep, const hb_check_device *d, char *buf, size_t len);
/* "percent_of_peak (median) >= 80%": what a rule holds a device to. */
void hb_check_threshold_text(const hb_check_rule *r, char *buf, size_t len);

#endif
