/* SPDX-License-Identifier: Apache-2.0 */
/* compare_table: the table of one comparison (see compare_table.h). Every
 * string from a file goes through hb_text_line(); every number is printed
 * in a bounded width, so a crafted file cannot widen the default table
 * beyond what the last-resort steps below can bring back. */
#include "compare_table.h"

#include "compare_names.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define CELL 96          /* every cell but the device's */
#define DEVICE_MIN 12    /* the default table cuts no device name below this */

typedef enum col {
    C_DEVICE, C_BENCH, C_DTYPE, C_SIZE, C_MODEL, C_TIMER, C_UNIT,
    C_B_MODEL, C_B_TIMER, C_B_HOST, C_B_CREATED, C_B_BEST, C_B_MED, C_B_PK, C_B_CV,
    C_O_MODEL, C_O_TIMER, C_O_HOST, C_O_CREATED, C_O_BEST, C_O_MED, C_O_PK, C_O_CV,
    C_RATIO, C_CI, C_P, C_VERDICT, NCOL
} col;

/* One column: its header, alignment, the tables it is in, the order in
 * which the default table drops it when it cannot fit (1 first; 0 never),
 * and the width at which the default table cuts its cells (0: never; text
 * from a file may be long). */
typedef struct coldef {
    const char *head;
    int right, in_default, in_wide, drop, cap;
} coldef;

static const coldef cols[NCOL] = {
    [C_DEVICE] = {"device", 0, 1, 1, 0, 0},
    [C_BENCH] = {"bench", 0, 1, 1, 0, 16},
    [C_DTYPE] = {"dtype", 0, 1, 1, 0, 5},
    [C_SIZE] = {"size", 1, 1, 1, 0, 20},
    [C_MODEL] = {"model", 0, 1, 0, 3, 13},
    [C_TIMER] = {"timer", 0, 1, 0, 1, 13},
    [C_UNIT] = {"unit", 0, 1, 1, 0, 7},
    [C_B_MODEL] = {"base model", 0, 0, 1, 0, 0},
    [C_B_TIMER] = {"base timer", 0, 0, 1, 0, 0},
    [C_B_HOST] = {"base host", 0, 0, 1, 0, 0},
    [C_B_CREATED] = {"base created", 0, 0, 1, 0, 0},
    [C_B_BEST] = {"base best", 1, 0, 1, 0, 0},
    [C_B_MED] = {"base med", 1, 1, 1, 0, 0},
    [C_B_PK] = {"base %pk", 1, 0, 1, 0, 0},
    [C_B_CV] = {"base cv%", 1, 0, 1, 0, 0},
    [C_O_MODEL] = {"other model", 0, 0, 1, 0, 0},
    [C_O_TIMER] = {"other timer", 0, 0, 1, 0, 0},
    [C_O_HOST] = {"other host", 0, 0, 1, 0, 0},
    [C_O_CREATED] = {"other created", 0, 0, 1, 0, 0},
    [C_O_BEST] = {"other best", 1, 0, 1, 0, 0},
    [C_O_MED] = {"other med", 1, 1, 1, 0, 0},
    [C_O_PK] = {"other %pk", 1, 0, 1, 0, 0},
    [C_O_CV] = {"other cv%", 1, 0, 1, 0, 0},
    [C_RATIO] = {"ratio", 1, 1, 1, 0, 0},
    [C_CI] = {"95% CI", 1, 1, 1, 2, 0},
    [C_P] = {"p", 1, 0, 1, 0, 0},
    [C_VERDICT] = {"verdict", 0, 1, 1, 0, 0},
};

typedef struct cells {
    char dev[HB_CMP_DEV_LEN];
    char v[NCOL][CELL];
} cells;

/* A figure (GB/s, GFLOP/s, ns) in at most 9 characters. */
static void figure(char *buf, double v)
{
    if (isnan(v))
        snprintf(buf, CELL, "-");
    else if (fabs(v) < 999999.995)
        snprintf(buf, CELL, "%.2f", v);
    else
        snprintf(buf, CELL, "%.3e", v);
}

/* A percentage (of peak, or a CV) in at most 8 characters. */
static void percent(char *buf, double v)
{
    if (isnan(v))
        snprintf(buf, CELL, "-");
    else if (fabs(v) < 99999.95)
        snprintf(buf, CELL, "%.1f", v);
    else
        snprintf(buf, CELL, "%.1e", v);
}

/* A ratio in at most 9 characters. */
static void ratio_text(char *buf, size_t len, double v)
{
    if (isnan(v))
        snprintf(buf, len, "-");
    else if (fabs(v) < 99.9995 && (v == 0 || fabs(v) >= 0.0005))
        snprintf(buf, len, "%.3f", v);
    else
        snprintf(buf, len, "%.2e", v);
}

static const char *verdict_text(const hb_cmp_row *r)
{
    return r->regression ? "REGRESSION" : r->verdict == HB_INVALID ? "INVALID" : hb_verdict_name(r->verdict);
}

/* "events" for opencl-events and cuda-events, "clock" for host-clock: the
 * model column says whose. */
static const char *timer_short(const char *t)
{
    size_t n = strlen(t);
    if (n == 0)
        return "-";
    if (n > 7 && !strcmp(t + n - 7, "-events"))
        return "events";
    if (n > 6 && !strcmp(t + n - 6, "-clock"))
        return "clock";
    return t;
}

/* BASE's text, or "BASE/OTHER" where they differ; cleaned. */
static void both(char *buf, const char *b, const char *o)
{
    char raw[2 * CELL];
    if (!strcmp(b, o))
        snprintf(raw, sizeof raw, "%s", b);
    else
        snprintf(raw, sizeof raw, "%s/%s", b, o);
    hb_text_line(raw, buf, CELL);
}

/* "gemm/clblast": the model has a column of its own. */
static void bench_text(const hb_result *r, char *buf)
{
    char raw[sizeof r->bench + sizeof r->implementation + 2];
    if (r->implementation[0] && strcmp(r->implementation, "hbmbench"))
        snprintf(raw, sizeof raw, "%s/%s", r->bench, r->implementation);
    else
        snprintf(raw, sizeof raw, "%s", r->bench);
    hb_text_line(raw, buf, CELL);
}

/* One side's columns from first (C_B_MODEL or C_O_MODEL) on. */
static void side_cells(const hb_cmp *c, int side, const hb_result *r, const hb_cmp_side *s, cells *k, int first)
{
    const hb_run *run = side ? c->other : c->base;
    hb_text_line(hb_cmp_side_model(c, side, r), k->v[first], CELL);
    hb_text_line(r->timer[0] ? r->timer : "-", k->v[first + 1], CELL);
    hb_text_line(hb_cmp_host_of(run, r), k->v[first + 2], CELL);
    hb_text_line(run->created[0] ? run->created : "-", k->v[first + 3], CELL);
    figure(k->v[first + 4], s->best);
    figure(k->v[first + 5], s->median);
    percent(k->v[first + 6], s->pct_peak);
    percent(k->v[first + 7], 100 * r->stats.cv);
}

static void row_cells(const hb_cmp *c, const hb_cmp_row *r, cells *k)
{
    hb_cmp_device_text(r->base, k->dev);
    bench_text(r->base, k->v[C_BENCH]);
    hb_text_line(r->base->dtype[0] ? r->base->dtype : "-", k->v[C_DTYPE], CELL); /* "-": untyped */
    hb_cmp_size_label(r->base, k->v[C_SIZE], CELL);
    if (r->size_differs) {
        size_t l = strlen(k->v[C_SIZE]);
        snprintf(k->v[C_SIZE] + l, CELL - l, "/");
        hb_cmp_size_label(r->other, k->v[C_SIZE] + l + 1, CELL - l - 1);
    }
    both(k->v[C_MODEL], hb_cmp_side_model(c, 0, r->base), hb_cmp_side_model(c, 1, r->other));
    both(k->v[C_TIMER], timer_short(r->base->timer), timer_short(r->other->timer));
    snprintf(k->v[C_UNIT], CELL, "%s", r->figure->unit);
    side_cells(c, 0, r->base, &r->b, k, C_B_MODEL);
    side_cells(c, 1, r->other, &r->o, k, C_O_MODEL);
    ratio_text(k->v[C_RATIO], CELL, r->verdict == HB_INVALID ? NAN : r->test.ratio);
    if (isnan(r->test.ci_lo)) {
        snprintf(k->v[C_CI], CELL, "-");
    } else {
        char lo[24], hi[24];
        ratio_text(lo, sizeof lo, r->test.ci_lo);
        ratio_text(hi, sizeof hi, r->test.ci_hi);
        snprintf(k->v[C_CI], CELL, "%s..%s", lo, hi);
    }
    if (isnan(r->test.p))
        snprintf(k->v[C_P], CELL, "-");
    else if (r->test.p < 0.001)
        snprintf(k->v[C_P], CELL, "<0.001");
    else
        snprintf(k->v[C_P], CELL, "%.3f", r->test.p);
    snprintf(k->v[C_VERDICT], CELL, "%s%s%s", verdict_text(r), r->config_differs ? "*" : "",
             r->noisy ? "~" : "");
}

/* ---- layout ---- */

typedef struct layout {
    int show[NCOL];
    int w[NCOL];
    int fit;                  /* the default terminal table: caps, cuts and drops apply */
} layout;

static int total_width(const layout *L)
{
    int sum = 0, n = 0;
    for (int i = 0; i < NCOL; i++)
        if (L->show[i]) {
            sum += L->w[i];
            n++;
        }
    return sum + n;   /* a space between columns, two before the verdict */
}

/* Widths from the header and every cell; then, for the terminal, the
 * device column shrinks and the columns that may go go until the table
 * fits. */
static void lay_out(const hb_cmp *c, const hb_cmp_devnames *d, layout *L)
{
    for (int i = 0; i < NCOL; i++)
        L->w[i] = (int)strlen(cols[i].head);
    L->w[C_DEVICE] = d->longest;
    for (size_t j = 0; j < c->n_rows; j++) {
        cells k;
        row_cells(c, &c->rows[j], &k);
        for (int i = 0; i < NCOL; i++) {
            int l = (int)strlen(k.v[i]);
            if (i != C_DEVICE && L->show[i] && l > L->w[i])
                L->w[i] = l;
        }
    }
    if (!L->fit)
        return;
    for (int i = 0; i < NCOL; i++)
        if (cols[i].cap && L->w[i] > cols[i].cap)
            L->w[i] = cols[i].cap;
    for (int over; (over = total_width(L) - HB_CMP_TABLE_COLS) > 0;) {
        if (L->w[C_DEVICE] > DEVICE_MIN) {
            L->w[C_DEVICE] = L->w[C_DEVICE] - over > DEVICE_MIN ? L->w[C_DEVICE] - over : DEVICE_MIN;
            continue;
        }
        int drop = -1;
        for (int i = 0; i < NCOL; i++)
            if (L->show[i] && cols[i].drop && (drop < 0 || cols[i].drop < cols[drop].drop))
                drop = i;
        if (drop < 0)
            break;
        L->show[drop] = 0;
    }
    int room = HB_CMP_TABLE_COLS - total_width(L);
    if (room > 0 && L->w[C_DEVICE] < d->longest)
        L->w[C_DEVICE] += d->longest - L->w[C_DEVICE] < room ? d->longest - L->w[C_DEVICE] : room;
}

/* A cell of the terminal table: padded to w, or cut to it ("..") where the
 * layout capped the column. */
static void put_cell(FILE *f, const char *s, int w, int right)
{
    char cut[CELL];
    if ((int)strlen(s) > w) {
        hb_cmp_cut(s, w, 0, cut, sizeof cut);
        s = cut;
    }
    fprintf(f, right ? "%*s" : "%-*s", w, s);
}

static void print_line(FILE *f, const layout *L, const char *const *cell, int md)
{
    int first = 1;
    if (md)
        fputc('|', f);
    for (int i = 0; i < NCOL; i++) {
        if (!L->show[i])
            continue;
        if (md)
            fprintf(f, " %s |", cell[i]);
        else if (i == C_VERDICT)
            fprintf(f, "%s%s", first ? "" : "  ", cell[i]);
        else {
            if (!first)
                fputc(' ', f);
            put_cell(f, cell[i], L->w[i], cols[i].right);
        }
        first = 0;
    }
    fputc('\n', f);
}

/* Under the default table: what it left out or cut, so a reader knows
 * --wide exists. */
static void print_left_out(FILE *f, const layout *L, const hb_cmp_devnames *d)
{
    char dropped[64] = "";
    size_t used = 0;
    for (int i = 0; i < NCOL; i++)
        if (cols[i].in_default && !L->show[i])
            used += (size_t)snprintf(dropped + used, sizeof dropped - used, ", %s", cols[i].head);
    fprintf(f, "# left out (--wide shows every column): best, %%pk, cv%% and host of each side, p%s\n", dropped);
    if (d->cut)
        fprintf(f, "# device names cut to %d characters where '..' stands (--wide shows them whole)\n",
                L->w[C_DEVICE]);
    for (size_t i = 0; d->numbered && i < d->n; i++)
        if (strcmp(d->shown[i], d->full[i]))   /* within the width, cut at the end if need be */
            fprintf(f, "#   %s = %.*s\n", d->shown[i], HB_CMP_TABLE_COLS - 7 - (int)strlen(d->shown[i]),
                    d->full[i]);
}

int hb_cmp_print_table(FILE *f, const hb_cmp *c, double noisy_cv, int md, int wide, hb_err *err)
{
    hb_cmp_devnames d;
    if (hb_cmp_devnames_make(c, &d))
        return hb_fail(err, HB_EFAIL, "out of memory");
    layout L = {.fit = !md && !wide};
    for (int i = 0; i < NCOL; i++)
        L.show[i] = wide ? cols[i].in_wide : cols[i].in_default;
    lay_out(c, &d, &L);
    if (L.fit && hb_cmp_devnames_cut(&d, L.w[C_DEVICE])) {
        hb_cmp_devnames_free(&d);
        return hb_fail(err, HB_EFAIL, "out of memory");
    }
    const char *cell[NCOL];
    for (int i = 0; i < NCOL; i++)
        cell[i] = cols[i].head;
    if (md)
        fputc('\n', f);
    print_line(f, &L, cell, md);
    if (md) {
        fputc('|', f);
        for (int i = 0; i < NCOL; i++)
            if (L.show[i])
                fputs(cols[i].right ? "--:|" : "---|", f);
        fputc('\n', f);
    }
    size_t n_noisy = 0;
    for (size_t j = 0; j < c->n_rows; j++) {
        cells k;
        row_cells(c, &c->rows[j], &k);
        for (int i = 0; i < NCOL; i++)
            cell[i] = k.v[i];
        cell[C_DEVICE] = L.fit ? hb_cmp_devnames_shown(&d, k.dev) : k.dev;
        print_line(f, &L, cell, md);
        n_noisy += c->rows[j].noisy;
    }
    const char *lead = md ? "\n" : "# ";
    if (L.fit)
        print_left_out(f, &L, &d);
    if (n_noisy)
        fprintf(f, "%s'~' after the verdict (%zu pair%s): noisy, the CV of the per-iteration times is above %g%% "
                   "on a side\n%s(the limit of the 'cv' rule of `hbmbench check`; its figures deserve less trust)\n",
                lead, n_noisy, n_noisy > 1 ? "s" : "", 100 * noisy_cv, md ? "" : "# ");
    hb_cmp_devnames_free(&d);
    return HB_OK;
}
