/* SPDX-License-Identifier: Apache-2.0 */
/* check_text: verdicts in words (check_text.h). */
#include "check_text.h"
#include "check_index.h"

#include <inttypes.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "dtype.h"
#include "parse.h"

void hb_check_label(const hb_result *r, char *buf, size_t len)
{
    char size[72];
    if (r->m >= 0 && r->n >= 0 && r->k >= 0)
        snprintf(size, sizeof size, "%" PRId64 "x%" PRId64 "x%" PRId64, r->m, r->n, r->k);
    else if (r->k >= 0)
        snprintf(size, sizeof size, "k=%" PRId64, r->k);
    else
        hb_result_size_label(r, size, sizeof size);
    int ours = !r->implementation[0] || !strcmp(r->implementation, "hbmbench");
    char variant[HB_CHECK_VARIANT_LEN];
    hb_check_variant(r, variant, sizeof variant);
    snprintf(buf, len, "%s%s%s %s%s%s%s%s%s%s", r->bench, r->dtype[0] ? " " : "", r->dtype, size, ours ? "" : " (",
             ours ? "" : r->implementation, ours ? "" : ")", variant[0] ? " [" : "", variant, variant[0] ? "]" : "");
}

void hb_check_device_label(const hb_check_report *rep, const hb_check_device *d, char *buf, size_t len)
{
    if (rep->gathered)
        snprintf(buf, len, "%s rank %d device %d", d->node[0] ? d->node : "?", d->rank, d->index);
    else
        snprintf(buf, len, "device %d", d->index);
}

/* The metric's value with its unit and reference: "89.9% of 3350 GB/s (table)". */
static void hb_check_value_text(const hb_check_rule *rule, const hb_result *r, const hb_check_item *it,
                         char *buf, size_t len)
{
    const char *of = rule->of == HB_OF_MEDIAN ? "median" : "best";
    switch (rule->metric) {
    case HB_METRIC_BW_BEST:
    case HB_METRIC_BW_MEDIAN:
        snprintf(buf, len, "%.1f GB/s", it->value);
        break;
    case HB_METRIC_FIGURE_BEST:
    case HB_METRIC_FIGURE_MEDIAN:
        snprintf(buf, len, "%.4g %s", it->value, r->figure.unit);
        break;
    case HB_METRIC_PERCENT:
        snprintf(buf, len, "%s %.1f%% of %.6g %s (%s)", of, it->value, it->reference, r->figure.unit,
                 it->reference_source[0] ? it->reference_source : "source not recorded");
        break;
    case HB_METRIC_CV:
        snprintf(buf, len, "cv %.1f%%", 100 * it->value);
        break;
    case HB_METRIC_VALID:
        snprintf(buf, len, "%s", r->valid ? "valid" : "invalid");
        break;
    case HB_METRIC_RATIO_IDENTICAL:
        snprintf(buf, len, "%s %.3fx the median %.6g %s of %d identical%s", of, it->value, it->reference,
                 r->figure.unit, it->n_identical, r->figure.lower_is_better ? " (lower is better: median / this)" : "");
        break;
    default:
        buf[0] = '\0';
    }
}

/* The test: ">= 80%", "<= 5%", "== true", ">= 0.9x", "<= 120 ns" (a
 * figure threshold in r's figure unit). */
void hb_check_test_text(const hb_check_rule *rule, const hb_result *r, char *buf, size_t len)
{
    const char *unit = r ? r->figure.unit : rule->unit;
    const char *op = hb_check_op_name(rule->op);
    switch (rule->metric) {
    case HB_METRIC_FIGURE_BEST:
    case HB_METRIC_FIGURE_MEDIAN: snprintf(buf, len, "%s %.6g %s", op, rule->threshold, unit); break;
    case HB_METRIC_PERCENT: snprintf(buf, len, "%s %.6g%%", op, rule->threshold); break;
    case HB_METRIC_CV: snprintf(buf, len, "%s %.6g%%", op, 100 * rule->threshold); break;
    case HB_METRIC_VALID: snprintf(buf, len, "%s %s", op, rule->threshold ? "true" : "false"); break;
    case HB_METRIC_RATIO_IDENTICAL: snprintf(buf, len, "%s %.6gx", op, rule->threshold); break;
    default: snprintf(buf, len, "%s %.6g GB/s", op, rule->threshold);
    }
}

/* "triad f32 128.0 MiB: median 89.9% of 3350 GB/s (table) >= 80%", or its
 * failure ("..., not >= 80%") or skip ("...: skipped: peak unknown"). */
static void item_text(const hb_check_report *rep, const hb_check_rule *rule, const hb_check_item *it,
                      char *buf, size_t len)
{
    const hb_result *r = &rep->run->results.v[it->result];
    const char *label = rep->labels[it->result];
    char value[160], test[48];
    if (it->why[0]) {
        snprintf(buf, len, "%s: %s%s", label, it->verdict == HB_CHECK_SKIP ? "skipped: "
                 : it->missing ? "cannot be judged: " : "", it->why);
        return;
    }
    hb_check_value_text(rule, r, it, value, sizeof value);
    if (rule->metric == HB_METRIC_VALID && rule->threshold) {
        snprintf(buf, len, "%s: %s%s%.120s", label, value, r->valid || !r->notes[0] ? "" : ": ",
                 r->valid ? "" : r->notes);
        return;
    }
    hb_check_test_text(rule, r, test, sizeof test);
    snprintf(buf, len, "%s: %s%s%s", label, value, it->verdict == HB_CHECK_PASS ? " " : ", not ", test);
}

void hb_check_select_text(const hb_check_rule *rule, char *buf, size_t len)
{
    static const char *const names[HB_SEL_N] = {"bench", "dtype", "device_type", "device_name",
                                                "device_family", "model", "implementation"};
    size_t used = (size_t)snprintf(buf, len, "sizes %s", rule->all_sizes ? "all" : "largest");
    for (int f = 0; f < HB_SEL_N && used < len; f++) {
        const hb_check_patterns *p = &rule->sel[f];
        if (f == HB_SEL_DEVICE_TYPE || f == HB_SEL_DEVICE_NAME || f == HB_SEL_DEVICE_FAMILY || !p->n)
            continue;
        used += (size_t)snprintf(buf + used, len - used, ", %s ", names[f]);
        for (int i = 0; i < p->n && used < len; i++)
            used += (size_t)snprintf(buf + used, len - used, "%s%s", i ? "|" : "", p->v[i]);
    }
}

/* Of the passing items, the one closest to its threshold. */
static const hb_check_item *closest(const hb_check_verdict *v)
{
    const hb_check_item *best = NULL;
    int below = v->rule->op == HB_OP_LE || v->rule->op == HB_OP_LT;   /* a ceiling: the largest */
    for (size_t i = 0; i < v->n_items; i++) {
        const hb_check_item *it = &v->items[i];
        if (it->verdict == HB_CHECK_PASS &&
            (!best || (below ? it->value > best->value : it->value < best->value)))
            best = it;
    }
    return best;
}

static size_t count(const hb_check_verdict *v, hb_check_outcome which)
{
    size_t n = 0;
    for (size_t i = 0; i < v->n_items; i++)
        n += v->items[i].verdict == which;
    return n;
}

void hb_check_describe(const hb_check_report *rep, hb_check_verdict *v)
{
    char *d = v->detail, one[320];
    size_t len = sizeof v->detail, used = 0, n_fail = count(v, HB_CHECK_FAIL);
    size_t n_pass = count(v, HB_CHECK_PASS), n_skip = count(v, HB_CHECK_SKIP), shown = 0;
    if (v->device < 0) {
        snprintf(d, len, "%s", v->missing ? "the file has no device and no result: nothing to accept"
                                          : "no device in the file matches this rule's device select");
        return;
    }
    if (v->n_items == 0) {
        char sel[200];
        hb_check_select_text(v->rule, sel, sizeof sel);
        snprintf(d, len, "no result on this device matches the rule's select (%s)%s", sel,
                 v->verdict == HB_CHECK_SKIP ? ": skipped (on_missing: skip)" : "");
        return;
    }
    if (v->n_items == 1) {
        item_text(rep, v->rule, &v->items[0], d, len);
        return;
    }
    if (n_fail) {
        used = (size_t)snprintf(d, len, "%zu of %zu fail: ", n_fail, v->n_items);
        for (size_t i = 0; i < v->n_items && used < len; i++) {
            if (v->items[i].verdict != HB_CHECK_FAIL)
                continue;
            if (shown == 3) {
                used += (size_t)snprintf(d + used, len - used, "; and %zu more", n_fail - shown);
                break;
            }
            item_text(rep, v->rule, &v->items[i], one, sizeof one);
            used += (size_t)snprintf(d + used, len - used, "%s%s", shown++ ? "; " : "", one);
        }
        return;
    }
    if (n_pass) {
        item_text(rep, v->rule, closest(v), one, sizeof one);
        int valid = v->rule->metric == HB_METRIC_VALID;
        used = (size_t)snprintf(d, len, "%zu of %zu %s%s", n_pass, v->n_items,
                                valid ? (v->rule->threshold ? "valid" : "invalid") : "pass; closest: ",
                                valid ? "" : one);
    }
    for (size_t i = 0; i < v->n_items && n_skip && used < len; i++)
        if (v->items[i].verdict == HB_CHECK_SKIP) {
            snprintf(d + used, len - used, "%s%zu skipped: %s", used ? "; " : "", n_skip, v->items[i].why);
            break;
        }
}

void hb_check_floor_note(const hb_check_report *rep, const hb_check_device *d, char *buf, size_t len)
{
    buf[0] = '\0';
    if (d->peak_floors)
        return;
    if (!rep->rules->builtin)
        snprintf(buf, len, "no rule holds it to a minimum fraction of its peak");
    else if (!d->family[0])
        snprintf(buf, len, "not in the datasheet table (runner/peaks/known_devices.json), so no built-in "
                 "bandwidth threshold: only device-independent rules apply");
    else
        snprintf(buf, len, "its datasheet family (%s) has no built-in bandwidth threshold (no published "
                 "triad figure was verified; runner/check/default_rules.json): only device-independent "
                 "rules apply", d->family);
}

void hb_check_threshold_text(const hb_check_rule *r, char *buf, size_t len)
{
    char test[64];
    if (r == &hb_check_rule_complete || r == &hb_check_rule_ranks) {
        snprintf(buf, len, "%s", r == &hb_check_rule_ranks ? "every rank sent results" : "the run complete");
        return;
    }
    hb_check_test_text(r, NULL, test, sizeof test);
    int of = r->metric == HB_METRIC_PERCENT || r->metric == HB_METRIC_RATIO_IDENTICAL;
    snprintf(buf, len, "%s%s%s%s %s", hb_check_metric_name(r->metric), of ? " (" : "",
             of ? (r->of == HB_OF_MEDIAN ? "median" : "best") : "", of ? ")" : "", test);
}
