/* SPDX-License-Identifier: Apache-2.0 */
/* compare_output: the human writers of `hbmbench compare` (table and
 * markdown) and CSV. Each text output starts with the method, so a pasted
 * table carries its own explanation, as `run`'s tables carry their
 * conventions (STYLE.md, after STREAM). */
#include "compare.h"
#include "compare_table.h"
#include "output.h"

#include <math.h>
#include <string.h>

const char *hb_verdict_name(hb_verdict v)
{
    static const char *const names[] = {"same", "faster", "slower", "untested", "invalid"};
    return names[v];
}

const char *hb_match_mode_name(hb_match_mode m)
{
    static const char *const names[] = {"pci", "name", "order"};
    return names[m];
}

static const char *match_text(hb_match_mode m)
{
    switch (m) {
    case HB_MATCH_NAME:
        return "device name (PCI bus id ignored), bench, dtype, array size";
    case HB_MATCH_ORDER:
        return "n-th device of BASE with n-th of OTHER, bench, dtype; largest array size of each";
    default:
        return "device name and PCI bus id, bench, dtype, array size";
    }
}

static void print_method(FILE *f, const hb_cmp_method *m, hb_match_mode mode, double fail_below, int md)
{
    const char *lead = md ? "- " : "# ", *more = md ? "  " : "#   ";
    fprintf(f, "%sPairs matched by %s (--match %s).\n", lead, match_text(mode), hb_match_mode_name(mode));
    fprintf(f, "%sbest/med: each row's own figure, in its unit (GB/s, GFLOP/s, ns per load), from the\n", lead);
    fprintf(f, "%sminimum/median time; %%pk = best / the figure's peak (none for latency).\n", more);
    fprintf(f, "%sratio = BASE median time / OTHER median time per unit of work (> 1: OTHER faster, whichever\n",
            lead);
    fprintf(f, "%sway the figure reads: OTHER/BASE for GB/s and GFLOP/s, BASE/OTHER for ns).\n", more);
    fprintf(f, "%sSignificance from the raw per-iteration samples: a %.0f%% percentile bootstrap interval of\n",
            lead, 100 * m->level);
    fprintf(f, "%sthe ratio of medians (%d resamples, fixed seed; each resample's median drawn as an\n", more,
            m->resamples);
    fprintf(f, "%sorder statistic) AND a two-sided Mann-Whitney U test,\n", more);
    fprintf(f, "%sp < %g. Only when both agree is a pair 'faster' or 'slower'; else 'same' (noise).\n", more,
            m->alpha);
    fprintf(f, "%sFewer than %zu samples on a side: 'untested'. Invalid results are never compared.\n", lead,
            m->min_samples);
    if (fail_below >= 0)
        fprintf(f, "%s--fail-below %g: REGRESSION = significantly slower with ratio < %.4g; a result valid in BASE\n"
                   "%sthat OTHER has invalid or lacks fails the gate too.\n", lead, fail_below, 1 - fail_below / 100,
                more);
    fprintf(f, "%s'*' after the verdict: the tuned configurations of the pair differ (where a configuration came\n"
               "%sfrom, such as the tuning cache, is not compared).\n", lead, more);
}

/* The bench label ("gemm/clblast", "triad@cuda") of r, cleaned for a terminal. */
static void bench_cell(const hb_result *r, char *buf, size_t len)
{
    char raw[sizeof r->bench + sizeof r->implementation + 2];
    hb_cmp_bench_label(r, raw, sizeof raw);
    hb_text_line(raw, buf, len);
}

static void print_unmatched(FILE *f, const char *lead, const char *which, const hb_result *const *v, size_t n)
{
    if (n == 0)
        return;
    /* Wrapped at the table's width on a terminal. */
    int at = fprintf(f, "%sonly in %s (%zu, not compared):", lead, which, n), wrap = lead[0] == '#';
    for (size_t i = 0; i < n && i < 12; i++) {
        char bench[48], size[48], dtype[sizeof v[i]->dtype], item[160];
        bench_cell(v[i], bench, sizeof bench);
        hb_cmp_size_label(v[i], size, sizeof size);
        int len = snprintf(item, sizeof item, " [%d] %s %s %s%s", v[i]->device_index, bench,
                           hb_text_line(v[i]->dtype, dtype, sizeof dtype), size, i + 1 < n ? "," : "");
        if (wrap && i && at + len > HB_CMP_TABLE_COLS) {
            fputs("\n#  ", f);
            at = 3;
        }
        fputs(item, f);
        at += len;
    }
    fprintf(f, "%s\n", n > 12 ? (wrap && at + 4 > HB_CMP_TABLE_COLS ? "\n#   ..." : " ...") : "");
}

void hb_cmp_empty_advice(const hb_cmp *c, char *buf, size_t len)
{
    const char *side = c->n_only_base == 0 ? "BASE" : "OTHER";
    const char *model = c->side_model[c->n_only_base == 0 ? 0 : 1];
    if (c->n_only_base && c->n_only_other)
        snprintf(buf, len, "try --match name or --match order");
    else if (model)
        snprintf(buf, len, "%s has no result measured by the %s model (--models)", side, model);
    else
        snprintf(buf, len, "%s has no results", side);
}

static void print_summary(FILE *f, const char *lead, const hb_cmp *c)
{
    size_t count[5] = {0};
    for (size_t i = 0; i < c->n_rows; i++)
        count[c->rows[i].verdict]++;
    fprintf(f, "%ssummary: %zu pairs: %zu same, %zu faster, %zu slower, %zu untested, %zu invalid", lead,
            c->n_rows, count[HB_SAME], count[HB_FASTER], count[HB_SLOWER], count[HB_UNTESTED], count[HB_INVALID]);
    if (c->n_regressions)
        fprintf(f, "; %zu REGRESSION%s", c->n_regressions, c->n_regressions > 1 ? "S" : "");
    if (c->n_lost)
        fprintf(f, "; %zu valid in BASE but invalid or missing in OTHER", c->n_lost);
    fputc('\n', f);
    if (c->n_duplicates)
        fprintf(f, "%snote: %zu results repeat a key within their file; repeats pair in order, and a result its file has once pairs with each repeat of the other file\n", lead,
                c->n_duplicates);
    char advice[128];
    hb_cmp_empty_advice(c, advice, sizeof advice);
    if (c->n_rows == 0)
        fprintf(f, "%sNOTHING MATCHED: no result of OTHER measures what a result of BASE does (%s)\n", lead,
                advice);
}

static void print_diffs(FILE *f, const hb_cmp *c, int md)
{
    const char *lead = md ? "- " : "#   ";
    fprintf(f, md ? "\n**Environment differences** (may make the comparison unfair):\n\n"
                  : "# environment differences (may make the comparison unfair):\n");
    if (c->n_diffs == 0)
        fprintf(f, "%snone\n", lead);
    for (size_t i = 0; i < c->n_diffs; i++) {
        const hb_cmp_diff *d = &c->diffs[i];
        char what[sizeof d->what], base[sizeof d->base], other[sizeof d->other];
        hb_text_line(d->what, what, sizeof what);
        hb_text_line(d->base, base, sizeof base);
        hb_text_line(d->other, other, sizeof other);
        if (d->other[0])
            fprintf(f, md ? "%s%s: `%s` -> `%s`\n" : "%s%s: %s -> %s\n", lead, what, base, other);
        else
            fprintf(f, "%s%s: %s\n", lead, what, base);
    }
}

/* One file of a comparison: where and when it was made, and whether it is
 * complete. An interrupted run ("complete": false) lacks what it did not
 * reach; those results are absent, not slower. */
static void print_file(FILE *f, const char *which, const char *path, const hb_run *run, size_t n_absent, int md)
{
    char host[sizeof run->host.hostname], created[sizeof run->created], sig[sizeof run->stopped_by];
    hb_text_line(run->host.hostname[0] ? run->host.hostname : "unknown", host, sizeof host);
    hb_text_line(run->created[0] ? run->created : "unknown", created, sizeof created);
    if (md)
        fprintf(f, "- %s `%s`: host `%s`, created `%s`\n", which, path, host, created);
    else
        fprintf(f, "# %-5s %s: host %s, created %s\n", which, path, host, created);
    if (!run->incomplete)
        return;
    const char *peer = !strcmp(which, "BASE") ? "OTHER" : "BASE";
    hb_text_line(run->stopped_by[0] ? run->stopped_by : "a signal", sig, sizeof sig);
    fprintf(f, "%s%s IS INCOMPLETE%s: %s stopped its run (\"complete\": false), so what it lacks was not measured:\n"
               "%s%zu result%s of %s %s no pair in it: absent, not regressions (listed as only in %s)\n",
            md ? "- **" : "# ", which, md ? "**" : "", sig, md ? "  " : "#   ", n_absent, n_absent == 1 ? "" : "s",
            peer, n_absent == 1 ? "has" : "have", peer);
}

static int print_one(FILE *f, const hb_cmp *c, double noisy_cv, int md, int wide, hb_err *err)
{
    if (md)
        fprintf(f, "\n### `%s` (BASE) vs `%s` (OTHER)\n\n", c->base_path, c->other_path);
    else
        fputc('\n', f);
    print_file(f, "BASE", c->base_path, c->base, c->n_only_other, md);
    print_file(f, "OTHER", c->other_path, c->other, c->n_only_base, md);
    print_diffs(f, c, md);
    int rc = hb_cmp_print_table(f, c, noisy_cv, md, wide, err);
    if (rc)
        return rc;
    const char *lead = md ? "\n" : "# ";
    print_unmatched(f, lead, "BASE", c->only_base, c->n_only_base);
    print_unmatched(f, lead, "OTHER", c->only_other, c->n_only_other);
    print_summary(f, lead, c);
    return HB_OK;
}

int hb_cmp_print_text(FILE *f, const hb_cmp *cmps, size_t n, const hb_cmp_method *m, double fail_below_pct,
                      int markdown, int wide, hb_err *err)
{
    if (n == 0)
        return HB_OK;
    if (markdown)
        fputs("## hbmbench compare\n\n", f);
    else
        fputs("# hbmbench compare\n", f);
    print_method(f, m, cmps[0].mode, fail_below_pct, markdown);
    int rc = HB_OK;
    for (size_t i = 0; i < n && !rc; i++)
        rc = print_one(f, &cmps[i], m->noisy_cv, markdown, wide, err);
    return rc;
}

static void csv_num(FILE *f, double v, int last)
{
    if (!isnan(v))
        fprintf(f, "%.9g", v);
    fputs(last ? "\n" : ",", f);
}

static void csv_result(FILE *f, const hb_result *r)
{
    if (!r) {
        fputs(",,,", f);
        return;
    }
    char dev[sizeof r->device], pci[sizeof r->pci_bus_id];
    hb_csv_text(f, hb_text_line(r->device, dev, sizeof dev));
    fputc(',', f);
    hb_csv_text(f, hb_text_line(r->pci_bus_id, pci, sizeof pci));
    fprintf(f, ",%llu,", (unsigned long long)r->elements);
}

/* Where one side was measured, so rows of many files and nodes can be put
 * together: model, timer, host (the node in an MPI run), the file's
 * creation time, CV; empty where the side has no result. */
static void csv_side(FILE *f, const hb_cmp *c, int side, const hb_result *r)
{
    if (!r) {
        fputs(",,,,,", f);
        return;
    }
    const hb_run *run = side ? c->other : c->base;
    char text[sizeof run->host.hostname];
    hb_csv_text(f, hb_text_line(hb_cmp_side_model(c, side, r), text, sizeof text));
    fputc(',', f);
    hb_csv_text(f, hb_text_line(r->timer, text, sizeof text));
    fputc(',', f);
    hb_csv_text(f, hb_text_line(hb_cmp_host_of(run, r), text, sizeof text));
    fputc(',', f);
    hb_csv_text(f, hb_text_line(run->created, text, sizeof text));
    fputc(',', f);
    csv_num(f, r->stats.cv, 0);
}

static void csv_row(FILE *f, const hb_cmp *c, const hb_cmp_row *r, const hb_result *only_b,
                    const hb_result *only_o)
{
    const hb_result *any = r ? r->base : only_b ? only_b : only_o;
    hb_csv_text(f, c->base_path);
    fputc(',', f);
    hb_csv_text(f, c->other_path);
    fputc(',', f);
    csv_result(f, r ? r->base : only_b);
    csv_result(f, r ? r->other : only_o);
    char bench[sizeof any->bench], dtype[sizeof any->dtype], impl[sizeof any->implementation];
    hb_csv_text(f, hb_text_line(any->bench, bench, sizeof bench));
    fputc(',', f);
    hb_csv_text(f, hb_text_line(any->dtype, dtype, sizeof dtype));
    fputc(',', f);
    hb_csv_text(f, hb_text_line(any->implementation[0] ? any->implementation : "hbmbench", impl, sizeof impl));
    fputc(',', f);
    for (int d = 0; d < 3; d++) {
        long long v = d == 0 ? (long long)any->m : d == 1 ? (long long)any->n : (long long)any->k;
        if (v >= 0)
            fprintf(f, "%lld", v);
        fputc(',', f);
    }
    if (!r) {
        fprintf(f, "%s,,,,,,,,,,,,,,,,", only_b ? "only-base" : "only-other");
    } else {
        fprintf(f, "%s,%s,%d,%d,", hb_verdict_name(r->verdict), r->figure->unit, r->regression,
                r->config_differs);
        csv_num(f, r->b.best, 0);
        csv_num(f, r->b.median, 0);
        csv_num(f, r->b.pct_peak, 0);
        fprintf(f, "%zu,", r->b.n);
        csv_num(f, r->o.best, 0);
        csv_num(f, r->o.median, 0);
        csv_num(f, r->o.pct_peak, 0);
        fprintf(f, "%zu,", r->o.n);
        csv_num(f, r->test.ratio, 0);
        csv_num(f, r->test.ci_lo, 0);
        csv_num(f, r->test.ci_hi, 0);
        csv_num(f, r->test.p, 0);
    }
    csv_side(f, c, 0, r ? r->base : only_b);
    csv_side(f, c, 1, r ? r->other : only_o);
    if (r)
        fprintf(f, "%d", r->noisy);
    fprintf(f, ",%d,%d\n", !c->base->incomplete, !c->other->incomplete);
}

void hb_cmp_print_csv(FILE *f, FILE *note, const hb_cmp *cmps, size_t n)
{
    fputs("base_file,other_file,base_device,base_pci_bus_id,base_elements,other_device,other_pci_bus_id,"
          "other_elements,bench,dtype,implementation,m,n,k,verdict,unit,regression,config_differs,base_best,base_median,"
          "base_percent_of_peak,base_n,other_best,other_median,other_percent_of_peak,other_n,ratio,ci_low,"
          "ci_high,p_value,base_model,base_timer,base_host,base_created,base_cv,other_model,other_timer,other_host,"
          "other_created,other_cv,noisy,base_complete,other_complete\n", f);
    for (size_t i = 0; i < n; i++) {
        const hb_cmp *c = &cmps[i];
        for (size_t j = 0; j < c->n_rows; j++)
            csv_row(f, c, &c->rows[j], NULL, NULL);
        for (size_t j = 0; j < c->n_only_base; j++)
            csv_row(f, c, NULL, c->only_base[j], NULL);
        for (size_t j = 0; j < c->n_only_other; j++)
            csv_row(f, c, NULL, NULL, c->only_other[j]);
        if (note) {
            fprintf(note, "# %s vs %s: %zu environment differences\n", c->base_path, c->other_path, c->n_diffs);
            for (int side = 0; side < 2; side++)
                if ((side ? c->other : c->base)->incomplete)
                    fprintf(note, "# %s %s is incomplete (\"complete\": false): what it lacks was not measured "
                                  "(absent, not regressions)\n", side ? "OTHER" : "BASE",
                            side ? c->other_path : c->base_path);
            for (size_t k = 0; k < c->n_diffs; k++) {
                const hb_cmp_diff *d = &c->diffs[k];
                char what[sizeof d->what], base[sizeof d->base], other[sizeof d->other];
                fprintf(note, "#   %s: %s%s%s\n", hb_text_line(d->what, what, sizeof what),
                        hb_text_line(d->base, base, sizeof base), d->other[0] ? " -> " : "",
                        hb_text_line(d->other, other, sizeof other));
            }
        }
    }
}
