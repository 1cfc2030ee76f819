/* SPDX-License-Identifier: Apache-2.0 */
/* check_table: the verdicts as a table (acceptance.h): a line per rule and
 * device, or, above a number of lines (1,000 ranks make thousands), a
 * summary that fits on one screen: counts per rule and the worst failures,
 * every verdict staying in the JSON document. */
#include "acceptance.h"
#include "check_text.h"
#include "text.h"

#include <stdlib.h>
#include <string.h>

/* The device column: "0", or "node-a/r3/d0" in a gathered file. */
static void device_column(const hb_check_report *rep, const hb_check_verdict *v, char *buf, size_t len)
{
    const hb_check_device *d = v->device >= 0 ? &rep->devices[v->device] : NULL;
    if (!d)
        snprintf(buf, len, "-");
    else if (rep->gathered)
        snprintf(buf, len, "%s/r%d/d%d", d->node[0] ? d->node : "?", d->rank, d->index);
    else
        snprintf(buf, len, "%d", d->index);
}

static void print_line(FILE *fp, const hb_check_report *rep, const hb_check_verdict *v, int w, int dw)
{
    char dev[300], test[96] = "";
    device_column(rep, v, dev, sizeof dev);
    if (v->verdict == HB_CHECK_FAIL && v->rule != &hb_check_rule_complete && v->rule != &hb_check_rule_ranks)
        hb_check_threshold_text(v->rule, test, sizeof test);
    hb_text_fprintf(fp, "%-7s %-*s %-*s %s%s%s%s%s\n", hb_check_outcome_name(v->verdict), w, v->rule->id, dw, dev,
                    v->detail, test[0] ? " [rule: " : "", test, test[0] ? "; rules: " : "",
                    test[0] ? (rep->rules->builtin ? "built-in]" : "file]") : "");
}

static void print_devices(FILE *fp, const hb_check_report *rep)
{
    char label[320];
    if (rep->n_devices > 16) {
        size_t nodes = 0;
        for (size_t i = 0; i < rep->n_devices; i++)
            nodes += i == 0 || strcmp(rep->devices[i].node, rep->devices[i - 1].node);
        hb_text_fprintf(fp, "# %zu devices on %zu node%s (every one in --format json)\n", rep->n_devices, nodes,
                        nodes == 1 ? "" : "s");
        return;
    }
    for (size_t i = 0; i < rep->n_devices; i++) {
        const hb_check_device *d = &rep->devices[i];
        if (rep->gathered)
            hb_check_device_label(rep, d, label, sizeof label);
        else
            snprintf(label, sizeof label, "%d", d->index);
        hb_text_fprintf(fp, "# [%s] %s (%s), datasheet family: %s%s%s\n", label, d->name, d->type[0] ? d->type : "?",
                        d->family[0] ? d->family : "none", d->uuid[0] ? ", uuid " : "", d->uuid);
    }
}

/* The notes, each once with how many devices it concerns when there are many. */
static void print_notes(FILE *fp, const hb_check_report *rep)
{
    enum { MAX_NOTES = 8 };
    char notes[MAX_NOTES][320], note[320];
    size_t count[MAX_NOTES] = {0}, first[MAX_NOTES] = {0};
    int n = 0;
    for (size_t i = 0; i < rep->n_devices; i++) {
        hb_check_floor_note(rep, &rep->devices[i], note, sizeof note);
        if (!note[0])
            continue;
        if (rep->n_devices <= 16) {
            hb_text_fprintf(fp, "# note: [%d] %s: %s\n", rep->devices[i].index, rep->devices[i].name, note);
            continue;
        }
        int k = 0;
        while (k < n && strcmp(notes[k], note))
            k++;
        if (k == n && n < MAX_NOTES) {
            snprintf(notes[n], sizeof notes[n], "%s", note);
            first[n++] = i;
        }
        if (k < n)
            count[k]++;
    }
    for (int k = 0; k < n; k++)
        hb_text_fprintf(fp, "# note: %zu device%s (%s, ...): %s\n", count[k], count[k] == 1 ? "" : "s",
                        rep->devices[first[k]].name, notes[k]);
}

static int by_margin(const void *a, const void *b)
{
    const hb_check_verdict *x = *(const hb_check_verdict *const *)a, *y = *(const hb_check_verdict *const *)b;
    if (x->margin != y->margin)
        return x->margin < y->margin ? 1 : -1;
    return (x > y) - (x < y);
}

/* Counts per rule (the failing ones first) and the worst failures. */
static void print_summary_lines(FILE *fp, const hb_check_report *rep, int w, int dw)
{
    enum { MAX_RULES = 20, WORST = 10 };
    char test[96];
    size_t shown = 0, left = 0;
    hb_text_fprintf(fp, "# %zu verdicts (rule x device); per rule:\n#   %-*s %6s %6s %6s  %s\n", rep->n, w, "rule",
                    "pass", "fail", "skip", "threshold");
    for (int failing = 1; failing >= 0; failing--)
        for (size_t i = 0; i < rep->rules->n; i++) {
            const hb_check_rule_count *c = &rep->per_rule[i];
            if ((c->fail > 0) != failing)
                continue;
            if (shown++ >= MAX_RULES) {
                left++;
                continue;
            }
            hb_check_threshold_text(&rep->rules->v[i], test, sizeof test);
            hb_text_fprintf(fp, "#   %-*s %6zu %6zu %6zu  %s\n", w, rep->rules->v[i].id, c->pass, c->fail, c->skip, test);
        }
    if (left)
        hb_text_fprintf(fp, "#   ... and %zu more rules\n", left);
    const hb_check_verdict **fails = malloc((rep->n_fail + 1) * sizeof *fails);
    size_t nf = 0;
    for (size_t i = 0; fails && i < rep->n; i++)
        if (rep->v[i].verdict == HB_CHECK_FAIL)
            fails[nf++] = &rep->v[i];
    if (!fails || nf == 0) {
        free(fails);
        return;
    }
    qsort(fails, nf, sizeof *fails, by_margin);
    hb_text_fprintf(fp, "# the %zu worst of %zu failures (furthest past their thresholds; all of them: --format json):\n",
                    nf < WORST ? nf : (size_t)WORST, nf);
    hb_text_fprintf(fp, "%-7s %-*s %-*s %s\n", "verdict", w, "rule", dw, "device", "detail");
    for (size_t i = 0; i < nf && i < WORST; i++)
        print_line(fp, rep, fails[i], w, dw);
    free(fails);
}

void hb_check_print_table(FILE *fp, const hb_check_report *rep, size_t max_lines)
{
    char dev[300];
    int w = 8, dw = 6;
    hb_text_fprintf(fp, "# hbmbench check %s\n# rules: %s, %zu rule%s\n", rep->result_path, rep->rules->origin,
                    rep->rules->n, rep->rules->n == 1 ? "" : "s");
    print_devices(fp, rep);
    for (size_t i = 0; i < rep->rules->n; i++)
        if ((int)strlen(rep->rules->v[i].id) > w)
            w = (int)strlen(rep->rules->v[i].id);
    for (size_t i = 0; i < rep->n; i++) {
        device_column(rep, &rep->v[i], dev, sizeof dev);
        if ((int)strlen(dev) > dw)
            dw = (int)strlen(dev);
    }
    if (max_lines && rep->n > max_lines) {
        print_summary_lines(fp, rep, w, dw);
    } else {
        hb_text_fprintf(fp, "%-7s %-*s %-*s %s\n", "verdict", w, "rule", dw, "device", "detail");
        for (size_t i = 0; i < rep->n; i++)
            print_line(fp, rep, &rep->v[i], w, dw);
    }
    print_notes(fp, rep);
    hb_text_fprintf(fp, "# summary: %zu pass, %zu fail, %zu skip: %s (skips do not fail the check)\n",
                    rep->n_pass, rep->n_fail, rep->n_skip, rep->n_fail ? "FAILED" : "PASSED");
}
