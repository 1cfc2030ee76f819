/* SPDX-License-Identifier: Apache-2.0 */
/* cluster_opts: the options of `run` that only an MPI run has. They are
 * taken out of the command line before `run` parses the rest, so run_opts.c
 * does not know them (and a build without MPI refuses them as unknown). */
#include "cluster_internal.h"

#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

static const char usage[] =
    "\n"
    "MPI runs (`mpirun -n N hbmbench run ...`, `srun`; docs/cluster.md): each rank\n"
    "measures one device of its node, chosen by its node-local rank, and rank 0 writes\n"
    "one file with every rank's results, aggregates and outliers.\n"
    "  --rank-timeout S  how long rank 0 waits for the other ranks once its own\n"
    "                    measurements end, seconds (default 600; 0: no limit); a rank\n"
    "                    that has not reported by then is recorded as \"timeout\"\n"
    "  --outlier-fraction F  a result whose median is below F x the median of\n"
    "                    identical devices is \"slow\" (default 0.9)\n"
    "  --outlier-cv K    a result whose CV is above K x the median CV of identical\n"
    "                    devices (and above 2%) is \"noisy\" (default 3)\n"
    "  --pin MODE        device (default): each rank binds itself to its device's CPUs\n"
    "                    (hwloc); none: keep the launcher's binding\n";

const char *hb_cluster_usage(void)
{
    return usage;
}

enum { OPT_TIMEOUT, OPT_FRACTION, OPT_CV, OPT_PIN, N_OPTS };
static const char *const names[N_OPTS] = {"--rank-timeout", "--outlier-fraction", "--outlier-cv", "--pin"};

/* Which option a is ("--name" or "--name=VALUE"), -1 if none; *value is
 * what follows '=', or NULL. */
static int which(const char *a, const char **value)
{
    for (int i = 0; i < N_OPTS; i++) {
        size_t n = strlen(names[i]);
        if (!strncmp(a, names[i], n) && (a[n] == '\0' || a[n] == '=')) {
            *value = a[n] ? a + n + 1 : NULL;
            return i;
        }
    }
    return -1;
}

static int number(const char *opt, const char *v, double lo, double hi, int lo_open, double *out, hb_err *err)
{
    char *end;
    errno = 0;
    double d = strtod(v, &end);
    if (end == v || *end || errno || !isfinite(d) || d > hi || d < lo || (lo_open && d == lo))
        return hb_fail(err, HB_EUSAGE, "%s: '%s' is not a number %s %g%s", opt, v, lo_open ? "above" : "from", lo,
                       isinf(hi) ? "" : hi == 1 ? " up to 1" : "");
    *out = d;
    return HB_OK;
}

static int set(hb_cluster_opts *o, int opt, const char *v, hb_err *err)
{
    switch (opt) {
    case OPT_TIMEOUT: return number(names[opt], v, 0, INFINITY, 0, &o->rank_timeout_s, err);
    case OPT_FRACTION: return number(names[opt], v, 0, 1, 1, &o->outlier_fraction, err);
    case OPT_CV: return number(names[opt], v, 1, INFINITY, 0, &o->noisy_cv_factor, err);
    default:
        if (strcmp(v, "device") && strcmp(v, "none"))
            return hb_fail(err, HB_EUSAGE, "--pin: unknown value '%s' (device or none)", v);
        o->pin = !strcmp(v, "device");
        return HB_OK;
    }
}

int hb_cluster_opts_take(int argc, char **argv, hb_cluster_opts *o, char **rest, int *n_rest, hb_err *err)
{
    *o = (hb_cluster_opts){.rank_timeout_s = 600, .outlier_fraction = 0.9, .noisy_cv_factor = 3, .pin = 1};
    int n = 0;
    for (int i = 0; i < argc; i++) {
        const char *v = NULL;
        int opt = i > 0 ? which(argv[i], &v) : -1;
        if (opt < 0) {
            rest[n++] = argv[i];
            continue;
        }
        if (!v && i + 1 >= argc)
            return hb_fail(err, HB_EUSAGE, "unknown option or missing value: '%s'", argv[i]);
        if (set(o, opt, v ? v : argv[++i], err))
            return HB_EUSAGE;
        o->given = 1;
    }
    rest[n] = NULL;
    *n_rest = n;
    return HB_OK;
}
