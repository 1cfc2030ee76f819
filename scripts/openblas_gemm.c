/* SPDX-License-Identifier: Apache-2.0 */
/* openblas_gemm: OpenBLAS SGEMM and DGEMM on the host's cores, the peer of
 * hbmbench's GEMM on the CPU OpenCL device in scripts/bench_cpu_peers.sh.
 *
 * OpenBLAS is loaded with dlopen (Debian's libopenblas0-pthread, the LP64
 * build: 32-bit int indices), so no -dev package is needed. C = A * B,
 * row-major, no transposes, N x N x N; FLOPs = 2 N^3, GFLOP = 1e9 FLOP.
 * 1 warm-up + 5 timed calls, each timed with CLOCK_MONOTONIC. A few entries
 * of C are checked against a dot product in double, within the classic
 * bound N * eps * sum|a*b| (Higham, Accuracy and Stability of Numerical
 * Algorithms, 2nd ed., section 3.1); a wrong result exits 1.
 * Prints a '#' line (library, openblas_get_config(), threads) and
 * "sgemm best_GFLOP/s median_GFLOP/s", then the same for dgemm.
 *
 * Build: cc -O2 -o openblas_gemm scripts/openblas_gemm.c -ldl
 * Usage: openblas_gemm [N]   (default 2048) */
#define _POSIX_C_SOURCE 200809L
#include <dlfcn.h>
#include <float.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

/* cblas.h's values (the CBLAS standard, netlib.org/blas/blast-forum). */
enum { ROW_MAJOR = 101, NO_TRANS = 111, TIMED = 5 };
typedef void sgemm_fn(int, int, int, int, int, int, float, const float *, int, const float *, int, float, float *,
                      int);
typedef void dgemm_fn(int, int, int, int, int, int, double, const double *, int, const double *, int, double,
                      double *, int);

static sgemm_fn *sgemm;
static dgemm_fn *dgemm;

static double now(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + 1e-9 * (double)t.tv_nsec;
}

static int cmp(const void *x, const void *y)
{
    double a = *(const double *)x, b = *(const double *)y;
    return (a > b) - (a < b);
}

/* Entries in [-1, 1), varied enough that a transposed or misplaced operand
 * gives a different C. */
static double value(size_t i) { return (double)((i * 2654435761u) % 2001) / 1000.0 - 1.0; }

static double get(const void *p, int f64, size_t i) { return f64 ? ((const double *)p)[i] : ((const float *)p)[i]; }

static void call(int f64, int n, const void *a, const void *b, void *c)
{
    if (f64)
        dgemm(ROW_MAJOR, NO_TRANS, NO_TRANS, n, n, n, 1.0, a, n, b, n, 0.0, c, n);
    else
        sgemm(ROW_MAJOR, NO_TRANS, NO_TRANS, n, n, n, 1.0f, a, n, b, n, 0.0f, c, n);
}

/* Times one precision and checks C; returns 0, or 1 with a message. */
static int run(int f64, int n)
{
    size_t nn = (size_t)n * n, es = f64 ? sizeof(double) : sizeof(float);
    void *a = malloc(nn * es), *b = malloc(nn * es), *c = malloc(nn * es);
    if (!a || !b || !c) {
        fprintf(stderr, "openblas_gemm: cannot allocate 3 x %d x %d %s\n", n, n, f64 ? "doubles" : "floats");
        return 1;
    }
    for (size_t i = 0; i < nn; i++) {
        if (f64) {
            ((double *)a)[i] = value(i);
            ((double *)b)[i] = value(i + nn);
        } else {
            ((float *)a)[i] = (float)value(i);
            ((float *)b)[i] = (float)value(i + nn);
        }
    }
    double t[TIMED];
    for (int r = -1; r < TIMED; r++) { /* one warm-up */
        double t0 = now();
        call(f64, n, a, b, c);
        if (r >= 0)
            t[r] = now() - t0;
    }
    int bad = 0;
    for (int e = 0; e < 8 && !bad; e++) { /* corners, the middle, and a few scattered */
        size_t i = (size_t)(e & 1 ? n - 1 : (e * 7919) % n), j = (size_t)(e & 2 ? n - 1 : (e * 104729) % n);
        double ref = 0, mag = 0;
        for (size_t k = 0; k < (size_t)n; k++) {
            double p = get(a, f64, i * n + k) * get(b, f64, k * n + j);
            ref += p;
            mag += fabs(p);
        }
        double got = get(c, f64, i * n + j), tol = n * (f64 ? DBL_EPSILON : FLT_EPSILON) * mag;
        if (!(fabs(got - ref) <= tol)) {
            fprintf(stderr, "openblas_gemm: %cgemm C[%zu][%zu] = %.9g, expected %.9g (tolerance %.3g)\n",
                    f64 ? 'd' : 's', i, j, got, ref, tol);
            bad = 1;
        }
    }
    qsort(t, TIMED, sizeof *t, cmp);
    double flop = 2.0 * n * n * (double)n;
    if (!bad)
        printf("%cgemm %.2f %.2f\n", f64 ? 'd' : 's', flop / t[0] / 1e9, flop / t[TIMED / 2] / 1e9);
    free(a);
    free(b);
    free(c);
    return bad;
}

int main(int argc, char **argv)
{
    char *end = "";
    long n = argc > 1 ? strtol(argv[1], &end, 10) : 2048;
    if (argc > 2 || *end || n < 1 || n > 46340) { /* n*n must fit the int ld*rows products OpenBLAS forms */
        fprintf(stderr, "usage: openblas_gemm [N]  (1 <= N <= 46340, default 2048)\n");
        return 2;
    }
    static const char *libs[] = {"libopenblas.so.0", "/usr/lib/x86_64-linux-gnu/openblas-pthread/libopenblas.so.0"};
    void *lib = NULL;
    const char *used = NULL;
    for (int i = 0; i < 2 && !lib; i++)
        if ((lib = dlopen(libs[i], RTLD_NOW | RTLD_LOCAL)))
            used = libs[i];
    if (!lib) {
        fprintf(stderr, "openblas_gemm: cannot load libopenblas.so.0 (%s); Debian: apt-get install "
                        "libopenblas0-pthread\n", dlerror());
        return 1;
    }
    /* POSIX's way to take a function from dlsym (its rationale, dlsym()). */
    *(void **)&sgemm = dlsym(lib, "cblas_sgemm");
    *(void **)&dgemm = dlsym(lib, "cblas_dgemm");
    int (*threads)(void);
    char *(*config)(void);
    *(void **)&threads = dlsym(lib, "openblas_get_num_threads");
    *(void **)&config = dlsym(lib, "openblas_get_config");
    if (!sgemm || !dgemm || !threads || !config) {
        fprintf(stderr, "openblas_gemm: %s lacks cblas_sgemm, cblas_dgemm or openblas_get_*\n", used);
        return 1;
    }
    printf("# openblas_gemm: %s, config '%s', %d threads, N = %ld, 1 warm-up + %d timed calls\n", used, config(),
           threads(), n, TIMED);
    fflush(stdout);
    return run(0, (int)n) | run(1, (int)n);
}
