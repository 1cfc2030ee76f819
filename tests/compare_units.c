/* SPDX-License-Identifier: Apache-2.0 */
/* Unit tests of compare's statistics (compare_stats.c) and of finding a
 * value's line and column in a result file (compare_locate.c).
 * usage: compare_units TMPDIR */
#include <math.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "check.h"
#include "compare.h"
#include "json_io.h"

static void test_mann_whitney(void)
{
    const double x[] = {1, 2, 3, 4, 5}, y[] = {6, 7, 8, 9, 10};
    /* R 4.x: wilcox.test(1:5, 6:10, exact = FALSE, correct = TRUE) gives
     * W = 0, p-value = 0.01219 (normal approximation, continuity corrected). */
    double p = hb_mann_whitney_p(x, 5, y, 5);
    CHECK(fabs(p - 0.01219) < 5e-5, "Mann-Whitney 1..5 vs 6..10: p = %.5f (R: 0.01219)", p);
    CHECK(fabs(hb_mann_whitney_p(y, 5, x, 5) - p) < 1e-12, "Mann-Whitney is two-sided (symmetric)");
    CHECK(hb_mann_whitney_p(x, 5, x, 5) == 1.0, "identical samples: p = 1");
    const double same[] = {3, 3, 3, 3};
    CHECK(hb_mann_whitney_p(same, 4, same, 4) == 1.0, "all values tied: p = 1 (no variance)");
    CHECK(isnan(hb_mann_whitney_p(x, 0, y, 5)), "an empty side: NAN");
}

/* n costs around t: t * (1 + s * q), q evenly spaced over [-1, 1], interleaved. */
static void costs(double *v, int n, double t, double s)
{
    for (int i = 0; i < n; i++) {
        int j = (i * 7) % n; /* a fixed permutation (7 is coprime to 20) */
        v[j] = t * (1 + s * (-1 + 2.0 * i / (n - 1)));
    }
}

static void test_bootstrap(void)
{
    hb_cmp_method m = hb_cmp_method_default();
    hb_err err = {0};
    double a[20], b[20], noisy[20];
    costs(a, 20, 1.0, 0.005);
    costs(b, 20, 1.0 / 0.9, 0.005);
    costs(noisy, 20, 1.0, 0.2);
    hb_cmp_test t, t2;

    CHECK(hb_cmp_test_costs(&m, NULL, a, 20, a, 20, &t, &err) == HB_OK, "test runs");
    CHECK(t.ratio == 1.0 && t.ci_lo <= 1 && t.ci_hi >= 1 && !t.significant,
          "identical: ratio 1, CI %.4f..%.4f holds 1, not significant", t.ci_lo, t.ci_hi);

    hb_cmp_test_costs(&m, NULL, a, 20, b, 20, &t, &err);
    CHECK(fabs(t.ratio - 0.9) < 1e-9, "10%% slower: ratio %.6f", t.ratio);
    CHECK(t.significant && t.ci_hi < 1 && t.p < 0.001, "10%% slower, tight: significant (CI %.4f..%.4f, p %.2g)",
          t.ci_lo, t.ci_hi, t.p);

    hb_cmp_test_costs(&m, NULL, a, 20, noisy, 20, &t, &err);
    CHECK(fabs(t.ratio - 1) < 1e-9 && !t.significant,
          "same median, 20%% noise: not significant (CI %.3f..%.3f, p %.3f)", t.ci_lo, t.ci_hi, t.p);

    hb_cmp_test_costs(&m, NULL, a, 20, b, 20, &t, &err);
    hb_cmp_test_costs(&m, NULL, a, 20, b, 20, &t2, &err);
    CHECK(t.ci_lo == t2.ci_lo && t.ci_hi == t2.ci_hi, "fixed seed: the same interval every time");

    hb_cmp_test_costs(&m, NULL, a, 4, b, 20, &t, &err);
    CHECK(isnan(t.p) && isnan(t.ci_lo) && !t.significant && fabs(t.ratio - 0.9) < 0.01,
          "4 samples (< %zu): ratio only, untested", m.min_samples);
}

static int cmp_d(const void *x, const void *y)
{
    double a = *(const double *)x, b = *(const double *)y;
    return (a > b) - (a < b);
}

static double median_of(double *v, size_t n)
{
    qsort(v, n, sizeof *v, cmp_d);
    return n % 2 ? v[n / 2] : 0.5 * (v[n / 2 - 1] + v[n / 2]);
}

/* The textbook bootstrap (draw every resample, sort it), as compare did
 * before order statistics: the reference the fast one must agree with. */
static void naive_ci(const double *a, size_t na, const double *b, size_t nb, int resamples, double *lo,
                     double *hi)
{
    static double ratios[20000], buf[64];
    uint64_t s = 12345;
    for (int r = 0; r < resamples; r++) {
        for (size_t i = 0; i < na; i++)
            buf[i] = a[(hb_splitmix64(&s) >> 11) % na];
        double ma = median_of(buf, na);
        for (size_t i = 0; i < nb; i++)
            buf[i] = b[(hb_splitmix64(&s) >> 11) % nb];
        ratios[r] = ma / median_of(buf, nb);
    }
    qsort(ratios, (size_t)resamples, sizeof *ratios, cmp_d);
    *lo = ratios[(int)(0.025 * (resamples - 1))];
    *hi = ratios[(int)(0.975 * (resamples - 1))];
}

/* Resampled medians drawn as order statistics (compare_boot.c) give the
 * interval that drawing every resample gives, for even and odd n, and
 * cost nothing like n per resample. */
static void test_bootstrap_scale(void)
{
    hb_cmp_method m = hb_cmp_method_default();
    hb_err err = {0};
    m.resamples = 20000;
    static const size_t sizes[][2] = {{20, 20}, {21, 21}, {7, 30}, {50, 9}};
    for (size_t c = 0; c < sizeof sizes / sizeof sizes[0]; c++) {
        size_t na = sizes[c][0], nb = sizes[c][1];
        double a[64], b[64], lo, hi;
        uint64_t s = 99 + c;
        /* skewed, as benchmark times are: 1 + exponential tail */
        for (size_t i = 0; i < na; i++)
            a[i] = 1.0 - 0.05 * log(((double)(hb_splitmix64(&s) >> 11) + 0.5) * 0x1p-53);
        for (size_t i = 0; i < nb; i++)
            b[i] = 1.02 - 0.05 * log(((double)(hb_splitmix64(&s) >> 11) + 0.5) * 0x1p-53);
        hb_cmp_test t;
        hb_cmp_test_costs(&m, NULL, a, na, b, nb, &t, &err);
        naive_ci(a, na, b, nb, m.resamples, &lo, &hi);
        double w = hi - lo;
        CHECK(fabs(t.ci_lo - lo) < 0.1 * w && fabs(t.ci_hi - hi) < 0.1 * w,
              "n = %zu vs %zu: order-statistic interval %.4f..%.4f, drawing every resample %.4f..%.4f", na, nb,
              t.ci_lo, t.ci_hi, lo, hi);
    }

    m = hb_cmp_method_default();
    enum { N = 100000 };
    static double x[N], y[N], z[N];
    uint64_t s = 7;
    for (size_t i = 0; i < N; i++) {
        x[i] = 1.0 - 0.05 * log(((double)(hb_splitmix64(&s) >> 11) + 0.5) * 0x1p-53);
        y[i] = 1.0 - 0.05 * log(((double)(hb_splitmix64(&s) >> 11) + 0.5) * 0x1p-53);
        z[i] = 1.01 * (1.0 - 0.05 * log(((double)(hb_splitmix64(&s) >> 11) + 0.5) * 0x1p-53));
    }
    hb_boot boot = {0};
    hb_cmp_test t1, t2;
    clock_t t0 = clock();
    int rc = hb_cmp_test_costs(&m, &boot, x, N, y, N, &t1, &err);
    rc |= hb_cmp_test_costs(&m, &boot, x, N, z, N, &t2, &err);
    double secs = (double)(clock() - t0) / CLOCKS_PER_SEC;
    hb_boot_free(&boot);
    /* The median of 1 + 0.05 Exp(1) has standard error 0.05 / sqrt(N)
     * (asymptotic variance 1 / (4 n f(m)^2), f(m) = 10 at the median), so the
     * 95% interval of the ratio spans about 2 * 1.96 * sqrt(2) * 0.05 / sqrt(N) / 1.035. */
    double want = 2 * 1.96 * sqrt(2.0) * 0.05 / sqrt((double)N) / 1.035;
    CHECK(rc == HB_OK && t1.ci_lo <= 1 && t1.ci_hi >= 1 && !t1.significant
              && fabs((t1.ci_hi - t1.ci_lo) / want - 1) < 0.25,
          "100,000 samples, same distribution: CI %.5f..%.5f (width %.5f, theory %.5f), p %.3f", t1.ci_lo,
          t1.ci_hi, t1.ci_hi - t1.ci_lo, want, t1.p);
    CHECK(t2.significant && t2.ci_hi < 1 && fabs(t2.ratio - 1 / 1.01) < 0.003,
          "100,000 samples, 1%% slower: significant, ratio %.4f", t2.ratio);
    CHECK(secs < 5, "two 100,000-sample pairs tested in %.2f s (was about 90 s)", secs);
}

static void test_mann_whitney_sorted(void)
{
    double x[] = {1, 2, 2, 3, 5, 5, 5, 8}, y[] = {2, 3, 3, 5, 9, 9};
    double p1 = hb_mann_whitney_p(x, 8, y, 6), p2 = hb_mann_whitney_p_sorted(x, 8, y, 6);
    /* SciPy 1.10 (Debian 12): mannwhitneyu(x, y, use_continuity=True,
     * alternative='two-sided', method='asymptotic') gives U = 17.5,
     * p = 0.42877 (normal approximation, tie-corrected). */
    CHECK(fabs(p1 - p2) < 1e-15 && fabs(p1 - 0.42877) < 5e-5,
          "Mann-Whitney with ties, sorted or not: p = %.5f (SciPy: 0.42877)", p1);
}

static void test_locate(void)
{
    const char *doc = "{\n"
                      "  \"a\": \"x}\\\"]\",\n"
                      "  \"b\": [1, {\"c\": [true, null]}, \"\xc3\xa9\xc3\xa9\", 7],\n"
                      "  \"d\": {\"e\": {\"f\": -1.5e3}}\n"
                      "}\n";
    int line = 0, col = 0;
    size_t len = strlen(doc);
    CHECK(hb_json_locate(doc, len, "", &line, &col) == 0 && line == 1 && col == 1, "the top level: 1:1");
    CHECK(hb_json_locate(doc, len, "a", &line, &col) == 0 && line == 2 && col == 8, "a: 2:8 (%d:%d)", line, col);
    CHECK(hb_json_locate(doc, len, "b[1].c[1]", &line, &col) == 0 && line == 3 && col == 25,
          "b[1].c[1] past a string with braces and quotes: 3:25 (%d:%d)", line, col);
    CHECK(hb_json_locate(doc, len, "b[3]", &line, &col) == 0 && line == 3 && col == 39,
          "b[3] after UTF-8 text counts characters: 3:39 (%d:%d)", line, col);
    CHECK(hb_json_locate(doc, len, "d.e.f", &line, &col) == 0 && line == 4 && col == 20,
          "d.e.f: 4:20 (%d:%d)", line, col);
    CHECK(hb_json_locate(doc, len, "b[9]", &line, &col) != 0, "b[9] is not there");
    CHECK(hb_json_locate(doc, len, "zz", &line, &col) != 0, "zz is not there");
    CHECK(hb_json_locate("[1, 2", 5, "[1]", &line, &col) == 0 && col == 5, "a truncated text still scans");
    CHECK(hb_json_locate("{\"a\": ", 6, "a", &line, &col) != 0, "a value cut off: not found, no overrun");
    /* Fuzzing finding: a NUL byte inside an open array made the scanner stop
     * advancing (strchr finds the terminator), so compare hung at 100% CPU.
     * Each must return at once (ctest's timeout catches a hang). */
    CHECK(hb_json_locate("[[\0", 3, "[1]", &line, &col) != 0, "NUL inside a nested array: not found, no hang");
    CHECK(hb_json_locate("{\"a\":{\"b\":\0}}", 13, "c", &line, &col) != 0, "NUL as a member value: no hang");
    CHECK(hb_json_locate("[[1,\0,2],3]", 12, "[1]", &line, &col) == 0 && col == 10,
          "a NUL is skipped like a literal: [1] at 1:10 (%d:%d)", line, col);
}

/* The reader's messages for well-formed but wrong files get a position. */
static void test_locate_error(const char *dir)
{
    char path[512];
    snprintf(path, sizeof path, "%s/compare_units_future.json", dir);
    FILE *f = fopen(path, "w");
    if (!f) {
        CHECK(0, "cannot write %s", path);
        return;
    }
    fputs("{\n  \"tool\": {\"name\": \"hbmbench\"},\n  \"schema_version\": 99,\n  \"results\": []\n}\n", f);
    fclose(f);
    hb_run run;
    hb_err err = {0};
    int rc = hb_json_read_run(path, &run, &err);
    hb_cmp_locate_error(path, &err);
    char want[600];
    snprintf(want, sizeof want, "%s:3:21: written by a newer hbmbench", path);
    CHECK(rc == HB_EUSAGE && strncmp(err.msg, want, strlen(want)) == 0, "future version at 3:21: %s", err.msg);

    hb_err e2 = {HB_EUSAGE, ""};
    snprintf(e2.msg, sizeof e2.msg, "%s: results[0].stats.min_s: expected a number or null", path);
    hb_cmp_locate_error(path, &e2);
    snprintf(want, sizeof want, "%s:4:14: results[0]", path);
    CHECK(strncmp(e2.msg, want, strlen(want)) == 0, "a missing member is reported at its parent: %s", e2.msg);

    hb_err e3 = {HB_EUSAGE, ""};
    snprintf(e3.msg, sizeof e3.msg, "%s:7:3: parser message", path);
    hb_cmp_locate_error(path, &e3);
    snprintf(want, sizeof want, "%s:7:3: parser message", path);
    CHECK(strcmp(e3.msg, want) == 0, "the parser's own position is kept");
}

/* Names from files reach the terminal without their escape sequences
 * (runner/core/text.h: the one sanitiser, a whole sequence becomes one '?'). */
static void test_clean(void)
{
    char buf[64];
    CHECK(!strcmp(hb_text_line("Evil\x1b[1;31mGPU\x1b[0m", buf, sizeof buf), "Evil?GPU?"),
          "CSI colour sequences become one '?' each: '%s'", buf);
    CHECK(!strcmp(hb_text_line("a\x1b]0;pwned\x07" "b\x1b]2;t\x1b\\c", buf, sizeof buf), "a?b?c"),
          "OSC window titles (BEL or ST ended) become one '?' each: '%s'", buf);
    CHECK(!strcmp(hb_text_line("tab\there\nnew\rcr\x7f\xc2\x9b" "2J", buf, sizeof buf), "tab here new cr??2J"),
          "tab, newline and CR are spaces in a cell; DEL and C1 controls become '?': '%s'", buf);
    CHECK(!strcmp(hb_text_line("Caf\xc3\xa9 \xe2\x80\x94 GPU", buf, sizeof buf), "Caf\xc3\xa9 \xe2\x80\x94 GPU"),
          "UTF-8 text is kept: '%s'", buf);
    CHECK(!strcmp(hb_text_line("cut\x1b", buf, sizeof buf), "cut?") && !strcmp(hb_text_line("x\x1b[12", buf, sizeof buf), "x?"),
          "a sequence cut off at the end is one '?', no overrun");
    char small[4];
    CHECK(!strcmp(hb_text_line("abcdef", small, sizeof small), "abc"), "truncated to the buffer");
}

int main(int argc, char **argv)
{
    test_mann_whitney();
    test_bootstrap();
    test_bootstrap_scale();
    test_mann_whitney_sorted();
    test_clean();
    test_locate();
    test_locate_error(argc > 1 ? argv[1] : ".");
    return hb_check_failures() != 0;
}
