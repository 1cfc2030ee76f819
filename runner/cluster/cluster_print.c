/* SPDX-License-Identifier: Apache-2.0 */
/* cluster_print: what rank 0 prints of a gathered run: the ranks, the
 * aggregates of each group of identical devices (largest size of each, as
 * the sweep's smaller points are cache measurements), and the outliers; or
 * every result as CSV with its rank and node. The file has everything. */
#include "cluster_internal.h"

#include <math.h>
#include <string.h>

#include "output.h"

/* v with digits decimals and a suffix ("%"), or "-" when unknown. */
static void fmt(char *buf, size_t len, double v, int digits, const char *suffix)
{
    if (isfinite(v))
        snprintf(buf, len, "%.*f%s", digits, v, suffix);
    else
        snprintf(buf, len, "-");
}

/* The first line of a rank's message: the table is no place for all of it. */
static void first_line(const char *msg, char *buf, size_t len)
{
    size_t n = strcspn(msg, "\n");
    snprintf(buf, len, "%.*s", (int)(n < len ? n : len - 1), msg);
}

static void print_ranks(FILE *f, const json_t *ranks)
{
    fprintf(f, "%4s  %-16s %-5s  %-8s %-8s %4s  %-30s %-10s %7s %7s  %s\n", "rank", "node", "local", "status", "kept",
            "exit", "device", "cpus", "wall s", "results", "message");
    size_t i;
    const json_t *e;
    json_array_foreach(ranks, i, e) {
        char local[16], dev[64], wall[16], code[8], msg[160];
        if (json_is_integer(json_object_get(e, "local_rank")))
            snprintf(local, sizeof local, "%.0f/%.0f", hb_cluster_num(e, "local_rank"), hb_cluster_num(e, "local_size"));
        else
            snprintf(local, sizeof local, "-");
        if (json_is_string(json_object_get(e, "device")))
            snprintf(dev, sizeof dev, "[%.0f] %.24s", hb_cluster_num(e, "device_index"), hb_cluster_str(e, "device"));
        else
            snprintf(dev, sizeof dev, "-");
        fmt(wall, sizeof wall, hb_cluster_num(e, "wall_s"), 2, "");
        fmt(code, sizeof code, hb_cluster_num(e, "exit_code"), 0, "");
        first_line(hb_cluster_str(e, "message"), msg, sizeof msg);
        const char *kept = hb_cluster_str(e, "kept");
        fprintf(f, "%4.0f  %-16.16s %-5s  %-8s %-8s %4s  %-30s %-10.10s %7s %7.0f  %s\n", hb_cluster_num(e, "rank"),
                hb_cluster_str(e, "node"), local, hb_cluster_str(e, "status"), kept[0] ? kept : "-", code, dev, json_is_string(json_object_get(e, "cpuset")) ? hb_cluster_str(e, "cpuset") : "-",
                wall, hb_cluster_num(e, "results"), msg);
    }
}

static int same_problem_but_size(const json_t *a, const json_t *b)
{
    static const char *const keys[] = {"device", "bench", "dtype", "implementation", "phase"};
    for (size_t i = 0; i < sizeof keys / sizeof keys[0]; i++)
        if (strcmp(hb_cluster_str(a, keys[i]), hb_cluster_str(b, keys[i])))
            return 0;
    return hb_cluster_num(a, "k") == hb_cluster_num(b, "k") || (isnan(hb_cluster_num(a, "k")) && isnan(hb_cluster_num(b, "k")));
}

/* Whether a larger size of the same problem exists (a sweep point). */
static int smaller_point(const json_t *aggs, const json_t *a)
{
    size_t i;
    const json_t *b;
    json_array_foreach(aggs, i, b)
        if (b != a && same_problem_but_size(a, b) && isnan(hb_cluster_num(a, "m")) && hb_cluster_num(b, "elements") > hb_cluster_num(a, "elements"))
            return 1;
    return 0;
}

static void print_aggregates(FILE *f, const json_t *aggs)
{
    fprintf(f, "%-24s %-12s %-5s %12s %-7s %5s %10s %-7s %10s %10s %10s %7s\n", "device", "bench", "dtype", "size",
            "unit", "devs", "total", "at once", "min", "median", "max", "med CV");
    size_t i, hidden = 0;
    const json_t *a;
    json_array_foreach(aggs, i, a) {
        if (smaller_point(aggs, a)) {
            hidden++;
            continue;
        }
        char size[48], bench[48], c[4][16], cv[16];
        hb_cluster_size_label(a, size, sizeof size);
        snprintf(bench, sizeof bench, "%s%s%s", hb_cluster_str(a, "bench"), strcmp(hb_cluster_str(a, "implementation"), "hbmbench") ? "/" : "",
                 strcmp(hb_cluster_str(a, "implementation"), "hbmbench") ? hb_cluster_str(a, "implementation") : "");
        fmt(c[0], sizeof c[0], hb_cluster_num(a, "total"), 2, "");
        if (hb_cluster_num(a, "shared_devices") > 0)
            snprintf(c[0], sizeof c[0], "shared");
        const json_t *at_once = json_object_get(a, "simultaneous");
        const char *together = !strcmp(hb_cluster_str(a, "phase"), "together") ? "+" : "";
        fmt(c[1], sizeof c[1], hb_cluster_num(a, "min"), 2, "");
        fmt(c[2], sizeof c[2], hb_cluster_num(a, "median"), 2, "");
        fmt(c[3], sizeof c[3], hb_cluster_num(a, "max"), 2, "");
        fmt(cv, sizeof cv, 100 * hb_cluster_num(a, "median_cv"), 1, "%");
        char devs[24];
        snprintf(devs, sizeof devs, "%.0f%s", hb_cluster_num(a, "devices"), together);
        fprintf(f, "%-24.24s %-12s %-5s %12s %-7s %5s %10s %-7s %10s %10s %10s %7s\n", hb_cluster_str(a, "device"),
                bench, hb_cluster_str(a, "dtype"), size, hb_cluster_str(a, "unit"), devs, c[0],
                json_is_true(at_once) ? "yes" : json_is_false(at_once) ? "no" : "unknown", c[1], c[2], c[3], cv);
    }
    if (hidden)
        fprintf(f, "(%zu smaller sweep sizes are in the file)\n", hidden);
    fprintf(f, "(devs: devices, N+ for --concurrent's steps; total: the sum of each device's median, what they deliver "
               "together only where \"at once\" is yes; \"shared\": ranks shared a device, so no sum)\n");
}

static void print_outliers(FILE *f, const json_t *outs, const json_t *rules)
{
    fprintf(f, "# outliers: %zu (slow: median below %.2f x the median of identical devices; noisy: CV above %.1f x "
               "their median CV and above %.0f%%)\n",
            json_array_size(outs), hb_cluster_num(rules, "slow_below_fraction"), hb_cluster_num(rules, "noisy_cv_factor"),
            100 * hb_cluster_num(rules, "noisy_cv_min"));
    size_t i;
    const json_t *o;
    json_array_foreach(outs, i, o) {
        char size[48];
        hb_cluster_size_label(o, size, sizeof size);
        int slow = !strcmp(hb_cluster_str(o, "kind"), "slow");
        fprintf(f, "%-5s rank %.0f (%s) [%.0f] %.30s %s %s %s: ", hb_cluster_str(o, "kind"), hb_cluster_num(o, "rank"), hb_cluster_str(o, "node"),
                hb_cluster_num(o, "device_index"), hb_cluster_str(o, "device"), hb_cluster_str(o, "bench"), hb_cluster_str(o, "dtype"), size);
        if (slow)
            fprintf(f, "%.3g %s, %.3g x the speed of the median %.3g (%.0f results%s)\n", hb_cluster_num(o, "value"),
                    hb_cluster_str(o, "unit"), hb_cluster_num(o, "ratio"), hb_cluster_num(o, "group_median"),
                    hb_cluster_num(o, "group_size"), strcmp(hb_cluster_str(o, "better"), "lower") ? "" : "; lower is better");
        else
            fprintf(f, "CV %.1f%% = %.1f x the median %.1f%% (%.0f results)\n", 100 * hb_cluster_num(o, "value"),
                    hb_cluster_num(o, "ratio"), 100 * hb_cluster_num(o, "group_median"), hb_cluster_num(o, "group_size"));
    }
}

void hb_cluster_print(FILE *f, const json_t *doc)
{
    const json_t *c = json_object_get(doc, "cluster");
    fprintf(f, "# MPI run: %.0f ranks on %.0f node(s), launched by %s; each rank measured one device\n",
            hb_cluster_num(c, "size"), hb_cluster_num(c, "nodes"), hb_cluster_str(c, "launcher"));
    print_ranks(f, json_object_get(c, "ranks"));
    fprintf(f, "\n# per group of identical devices (same name), problem and phase: the median figure of each result\n");
    print_aggregates(f, json_object_get(c, "aggregates"));
    fputc('\n', f);
    print_outliers(f, json_object_get(c, "outliers"), json_object_get(c, "outlier_rules"));
}

void hb_cluster_print_csv(FILE *f, const json_t *doc)
{
    fputs("rank,node,device_index,device,bench,dtype,implementation,elements,unit,best,median,cv,valid,outlier\n", f);
    size_t i;
    const json_t *r;
    json_array_foreach(json_object_get(doc, "results"), i, r) {
        const json_t *pair = json_object_get(r, "figure");
        char outl[16] = "";
        size_t j;
        const json_t *k;
        json_array_foreach(json_object_get(r, "outlier"), j, k)
            snprintf(outl + strlen(outl), sizeof outl - strlen(outl), "%s%s", j ? "+" : "", json_string_value(k));
        fprintf(f, "%.0f,", hb_cluster_num(r, "rank"));
        hb_csv_text(f, hb_cluster_str(r, "node"));
        fprintf(f, ",%.0f,", hb_cluster_num(r, "device_index"));
        hb_csv_text(f, hb_cluster_str(r, "device"));
        fprintf(f, ",%s,%s,%s,%.0f,%s,", hb_cluster_str(r, "bench"), hb_cluster_str(r, "dtype"), hb_cluster_str(r, "implementation"),
                hb_cluster_num(r, "elements"), hb_cluster_unit(r));
        double v[3] = {hb_cluster_num(pair, "best"), hb_cluster_num(pair, "median"), hb_cluster_num(json_object_get(r, "stats"), "cv")};
        for (int q = 0; q < 3; q++) {
            if (isfinite(v[q]))
                fprintf(f, "%.9g", v[q]);
            fputc(',', f);
        }
        fprintf(f, "%s,%s\n", json_is_true(json_object_get(r, "valid")) ? "true" : "false", outl);
    }
}

void hb_cluster_emit(FILE *f, int format, const json_t *summary, const char *path)
{
    if (format == 0) {
        hb_cluster_print(f, summary);
        return;
    }
    FILE *in = fopen(path, "r");
    if (format == 1) {   /* every result: the whole file, read back only for this */
        json_t *doc = in ? json_loadf(in, 0, NULL) : NULL;
        if (doc)
            hb_cluster_print_csv(f, doc);
        json_decref(doc);
    } else {
        char buf[65536];
        size_t n;
        while (in && (n = fread(buf, 1, sizeof buf, in)) > 0)
            fwrite(buf, 1, n, f);
    }
    if (in)
        fclose(in);
}
