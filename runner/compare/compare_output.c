/* SPDX-License-Identifier: Apache-2.0 */
/* compare_output: the human writers of `hbmbench compare` (table and
 * markdown) and CSV. Each text output starts with the method, so a pasted
 * table carries its own explanation, as `run`'s tables carry their
 * conventions (STYLE.md, after STREAM). */
#include "compare.h"
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
    fprintf(f, "%sbest/med: GB/s (GFLOP/s for compute benches such as GEMM) from the minimum/median\n", lead);
    fprintf(f, "%stime; %%pk = best / peak (bandwidth peak; for GFLOP/s the dtype's FLOP/s peak).\n", more);
    fprintf(f, "%sratio = OTHER median / BASE median (> 1: OTHER faster).\n", lead);
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
    fprintf(f, "%s'*' after the verdict: the tuned configurations of the pair differ.\n", lead);
}

static void num(char *buf, size_t len, double v, int decimals)
{
    if (isnan(v))
        snprintf(buf, len, "-");
    else
        snprintf(buf, len, "%.*f", decimals, v);
}

static const char *verdict_text(const hb_cmp_row *r)
{
    return r->regression ? "REGRESSION" : r->verdict == HB_INVALID ? "INVALID" : hb_verdict_name(r->verdict);
}

typedef struct cells {
    char bench[48], size[48], unit[8], bb[24], bm[24], bp[16], ob[24], om[24], op[16], ratio[16], ci[40], p[16];
    const char *verdict;
} cells;

/* The bench label ("gemm/clblast") of r, cleaned for a terminal. */
static void bench_cell(const hb_result *r, char *buf, size_t len)
{
    char raw[sizeof r->bench + sizeof r->implementation + 2];
    hb_cmp_bench_label(r, raw, sizeof raw);
    hb_cmp_clean(raw, buf, len);
}

static void row_cells(const hb_cmp_row *r, cells *c)
{
    bench_cell(r->base, c->bench, sizeof c->bench);
    hb_cmp_size_label(r->base, c->size, sizeof c->size);
    if (r->size_differs) {
        size_t l = strlen(c->size);
        snprintf(c->size + l, sizeof c->size - l, "/");
        hb_cmp_size_label(r->other, c->size + l + 1, sizeof c->size - l - 1);
    }
    snprintf(c->unit, sizeof c->unit, "%s", r->flops ? "GFLOP/s" : "GB/s");
    num(c->bb, sizeof c->bb, r->b.best, 2);
    num(c->bm, sizeof c->bm, r->b.median, 2);
    num(c->bp, sizeof c->bp, r->b.pct_peak, 1);
    num(c->ob, sizeof c->ob, r->o.best, 2);
    num(c->om, sizeof c->om, r->o.median, 2);
    num(c->op, sizeof c->op, r->o.pct_peak, 1);
    num(c->ratio, sizeof c->ratio, r->verdict == HB_INVALID ? NAN : r->test.ratio, 3);
    if (isnan(r->test.ci_lo))
        snprintf(c->ci, sizeof c->ci, "-");
    else
        snprintf(c->ci, sizeof c->ci, "%.3f..%.3f", r->test.ci_lo, r->test.ci_hi);
    if (isnan(r->test.p))
        snprintf(c->p, sizeof c->p, "-");
    else if (r->test.p < 0.001)
        snprintf(c->p, sizeof c->p, "<0.001");
    else
        snprintf(c->p, sizeof c->p, "%.3f", r->test.p);
    c->verdict = verdict_text(r);
}

static void print_unmatched(FILE *f, const char *lead, const char *which, const hb_result *const *v, size_t n)
{
    if (n == 0)
        return;
    fprintf(f, "%sonly in %s (%zu, not compared):", lead, which, n);
    for (size_t i = 0; i < n && i < 12; i++) {
        char bench[48], size[48], dtype[sizeof v[i]->dtype];
        bench_cell(v[i], bench, sizeof bench);
        hb_cmp_size_label(v[i], size, sizeof size);
        fprintf(f, "%s [%d] %s %s %s", i ? "," : "", v[i]->device_index, bench,
                hb_cmp_clean(v[i]->dtype, dtype, sizeof dtype), size);
    }
    fprintf(f, "%s\n", n > 12 ? ", ..." : "");
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
        fprintf(f, "%snote: %zu results repeat a key within their file; repeats pair in order\n", lead,
                c->n_duplicates);
    if (c->n_rows == 0)
        fprintf(f, "%sNOTHING MATCHED: no result of OTHER measures what a result of BASE does "
                   "(try --match name or --match order)\n", lead);
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
        hb_cmp_clean(d->what, what, sizeof what);
        hb_cmp_clean(d->base, base, sizeof base);
        hb_cmp_clean(d->other, other, sizeof other);
        if (d->other[0])
            fprintf(f, md ? "%s%s: `%s` -> `%s`\n" : "%s%s: %s -> %s\n", lead, what, base, other);
        else
            fprintf(f, "%s%s: %s\n", lead, what, base);
    }
}

/* The bench and size columns are as wide as their widest cells
 * ("gemm/clblast", "128.0 MiB/1.00 GiB" under --match order). */
static void widths(const hb_cmp *c, int *bw, int *sw)
{
    *bw = 6;
    *sw = 10;
    for (size_t i = 0; i < c->n_rows; i++) {
        cells k;
        row_cells(&c->rows[i], &k);
        *bw = (int)strlen(k.bench) > *bw ? (int)strlen(k.bench) : *bw;
        *sw = (int)strlen(k.size) > *sw ? (int)strlen(k.size) : *sw;
    }
}

/* The device column; "node:device" for a gathered MPI run (docs/cluster.md). */
static const char *device_label(const hb_result *r, char *buf, size_t len)
{
    if (!r->node[0])
        return r->device;
    snprintf(buf, len, "%s:%s", r->node, r->device);
    return buf;
}

static void print_one(FILE *f, const hb_cmp *c, int md)
{
    int bw, sw;
    widths(c, &bw, &sw);
    static const char *const head[] = {"device", "bench", "dtype", "size", "unit", "base best", "base med",
                                       "%pk", "other best", "other med", "%pk", "ratio", "95% CI", "p",
                                       "verdict"};
    if (md)
        fprintf(f, "\n### `%s` (BASE) vs `%s` (OTHER)\n", c->base_path, c->other_path);
    else
        fprintf(f, "\n# BASE  %s\n# OTHER %s\n", c->base_path, c->other_path);
    print_diffs(f, c, md);
    if (md) {
        fputs("\n|", f);
        for (size_t i = 0; i < sizeof head / sizeof head[0]; i++)
            fprintf(f, " %s |", head[i]);
        fputs("\n|---|---|---|--:|---|--:|--:|--:|--:|--:|--:|--:|--:|--:|---|\n", f);
    } else {
        fprintf(f, "%-22s %-*s %-5s %*s %-7s %10s %10s %6s %10s %10s %6s %7s %13s %6s  %s\n", head[0], bw,
                head[1], head[2], sw, head[3], head[4], head[5], head[6], head[7], head[8], head[9], head[10], head[11],
                head[12], head[13], head[14]);
    }
    for (size_t i = 0; i < c->n_rows; i++) {
        const hb_cmp_row *r = &c->rows[i];
        cells k;
        row_cells(r, &k);
        const char *mark = r->config_differs ? "*" : "";
        char dev_buf[520], dev[520], dtype[sizeof r->base->dtype];
        hb_cmp_clean(device_label(r->base, dev_buf, sizeof dev_buf), dev, sizeof dev);
        hb_cmp_clean(r->base->dtype, dtype, sizeof dtype);
        if (md)
            fprintf(f, "| %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s%s |\n",
                    dev, k.bench, dtype, k.size, k.unit, k.bb, k.bm, k.bp, k.ob,
                    k.om, k.op, k.ratio, k.ci, k.p, k.verdict, mark);
        else
            fprintf(f, "%-22.22s %-*s %-5s %*s %-7s %10s %10s %6s %10s %10s %6s %7s %13s %6s  %s%s\n",
                    dev, bw, k.bench, dtype, sw, k.size, k.unit, k.bb, k.bm, k.bp, k.ob,
                    k.om, k.op, k.ratio, k.ci, k.p, k.verdict, mark);
    }
    const char *lead = md ? "\n" : "# ";
    print_unmatched(f, lead, "BASE", c->only_base, c->n_only_base);
    print_unmatched(f, lead, "OTHER", c->only_other, c->n_only_other);
    print_summary(f, lead, c);
}

void hb_cmp_print_text(FILE *f, const hb_cmp *cmps, size_t n, const hb_cmp_method *m, double fail_below_pct,
                       int markdown)
{
    if (n == 0)
        return;
    if (markdown)
        fputs("## hbmbench compare\n\n", f);
    else
        fputs("# hbmbench compare\n", f);
    print_method(f, m, cmps[0].mode, fail_below_pct, markdown);
    for (size_t i = 0; i < n; i++)
        print_one(f, &cmps[i], markdown);
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
    hb_csv_text(f, hb_cmp_clean(r->device, dev, sizeof dev));
    fputc(',', f);
    hb_csv_text(f, hb_cmp_clean(r->pci_bus_id, pci, sizeof pci));
    fprintf(f, ",%llu,", (unsigned long long)r->elements);
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
    hb_csv_text(f, hb_cmp_clean(any->bench, bench, sizeof bench));
    fputc(',', f);
    hb_csv_text(f, hb_cmp_clean(any->dtype, dtype, sizeof dtype));
    fputc(',', f);
    hb_csv_text(f, hb_cmp_clean(any->implementation[0] ? any->implementation : "hbmbench", impl, sizeof impl));
    fputc(',', f);
    for (int d = 0; d < 3; d++) {
        long long v = d == 0 ? (long long)any->m : d == 1 ? (long long)any->n : (long long)any->k;
        if (v >= 0)
            fprintf(f, "%lld", v);
        fputc(',', f);
    }
    if (!r) {
        fprintf(f, "%s,,,,,,,,,,,,,,,\n", only_b ? "only-base" : "only-other");
        return;
    }
    fprintf(f, "%s,%s,%d,%d,", hb_verdict_name(r->verdict), r->flops ? "GFLOP/s" : "GB/s", r->regression,
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
    csv_num(f, r->test.p, 1);
}

void hb_cmp_print_csv(FILE *f, FILE *note, const hb_cmp *cmps, size_t n)
{
    fputs("base_file,other_file,base_device,base_pci_bus_id,base_elements,other_device,other_pci_bus_id,"
          "other_elements,bench,dtype,implementation,m,n,k,verdict,unit,regression,config_differs,base_best,base_median,"
          "base_percent_of_peak,base_n,other_best,other_median,other_percent_of_peak,other_n,ratio,ci_low,"
          "ci_high,p_value\n", f);
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
            for (size_t k = 0; k < c->n_diffs; k++) {
                const hb_cmp_diff *d = &c->diffs[k];
                char what[sizeof d->what], base[sizeof d->base], other[sizeof d->other];
                fprintf(note, "#   %s: %s%s%s\n", hb_cmp_clean(d->what, what, sizeof what),
                        hb_cmp_clean(d->base, base, sizeof base), d->other[0] ? " -> " : "",
                        hb_cmp_clean(d->other, other, sizeof other));
            }
        }
    }
}
