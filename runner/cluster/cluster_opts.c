/* SPDX-License-Identifier: Apache-2.0 */
/* cluster_opts: the options of `run` that only an MPI run has. They are
 * taken out of the command line before `run` parses the rest, so run_opts.c
 * does not know them (and a build without MPI refuses them as unknown). */
#include "env.h"
#include "cluster_internal.h"
#include "options.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static const char usage_head[] =
    "\n"
    "MPI runs (`mpirun -n N hbmbench run ...`, `srun`; docs/cluster.md): each rank\n"
    "measures one device of its node, chosen by its node-local rank, and rank 0 writes\n"
    "one file with every rank's results, aggregates and outliers. Each rank keeps its\n"
    "finished results in OUT.rank-R.json as it goes; if a rank or the job dies,\n"
    "`hbmbench merge` gathers them.\n";

enum { OPT_TIMEOUT, OPT_FACTOR, OPT_FRACTION, OPT_CV, OPT_PIN, N_OPTS };
static const char *const pins[] = {"none", "device", NULL};

/* The options of run that only an MPI run has, declared once (options.h). */
static const hb_opt options[N_OPTS] = {
    {"rank-timeout", "S", HB_OPT_NUM,
     "how long rank 0 waits at least for the other ranks once\n"
     "its own measurements end, seconds (0: no limit); a rank\n"
     "that has not reported by then is recorded as \"timeout\"", "600", 0, INFINITY, .id = OPT_TIMEOUT},
    {"rank-timeout-factor", "F", HB_OPT_NUM,
     "rank 0 waits at least F x its own run time (a rank may\n"
     "take 1 + F times as long as rank 0); the wait ends 30 s\n"
     "before the Slurm job does (SLURM_JOB_END_TIME)", "1", 0, 1000, .id = OPT_FACTOR},
    {"outlier-fraction", "F", HB_OPT_NUM,
     "a result whose median is below F x the median of\n"
     "identical devices is \"slow\"", "0.9", 0, 1, 1, .id = OPT_FRACTION},
    {"outlier-cv", "K", HB_OPT_NUM,
     "a result whose CV is above K x the median CV of identical\n"
     "devices (and above 2%) is \"noisy\"", "3", 1, INFINITY, .id = OPT_CV},
    {"pin", "MODE", HB_OPT_CHOICE,
     "device: each rank binds itself to its device's CPUs\n"
     "(hwloc); none: keep the launcher's binding", "device", .choices = pins, .id = OPT_PIN},
};

const char *hb_cluster_usage(void)
{
    static char text[4096];
    if (!text[0]) {
        size_t used = (size_t)snprintf(text, sizeof text, "%s", usage_head);
        hb_opts_help(options, N_OPTS, 0, text + used, sizeof text - used);
    }
    return text;
}

/* Which option a is ("--name" or "--name=VALUE"), -1 if none; *value is
 * what follows '=', or NULL. */
static int which(const char *a, const char **value)
{
    for (int i = 0; i < N_OPTS; i++) {
        size_t n = strlen(options[i].name);
        if (!strncmp(a, "--", 2) && !strncmp(a + 2, options[i].name, n) && (a[n + 2] == '\0' || a[n + 2] == '=')) {
            *value = a[n + 2] ? a + n + 3 : NULL;
            return i;
        }
    }
    return -1;
}

static int set(hb_cluster_opts *o, int opt, const char *v, hb_err *err)
{
    double x;
    if (hb_opt_value(&options[opt], v, &x, err))
        return HB_EUSAGE;
    switch (opt) {
    case OPT_TIMEOUT: o->rank_timeout_s = x; break;
    case OPT_FACTOR: o->rank_timeout_factor = x; break;
    case OPT_FRACTION: o->outlier_fraction = x; break;
    case OPT_CV: o->noisy_cv_factor = x; break;
    default: o->pin = x == 1; break;
    }
    return HB_OK;
}

int hb_cluster_opts_take(int argc, char **argv, hb_cluster_opts *o, char **rest, int *n_rest, hb_err *err)
{
    *o = (hb_cluster_opts){.rank_timeout_s = 600, .rank_timeout_factor = 1, .outlier_fraction = 0.9, .noisy_cv_factor = 3, .pin = 1};
    int n = 0;
    for (int i = 0; i < argc; i++) {
        const char *v = NULL;
        int opt = i > 0 ? which(argv[i], &v) : -1;
        if (opt < 0) {
            rest[n++] = argv[i];
            continue;
        }
        if (!v && i + 1 >= argc)
            return hb_fail(err, HB_EUSAGE, "%s: missing value", argv[i]);
        if (set(o, opt, v ? v : argv[++i], err))
            return HB_EUSAGE;
        o->given = 1;
    }
    rest[n] = NULL;
    *n_rest = n;
    return HB_OK;
}

/* SLURM_JOB_END_TIME: "The UNIX timestamp for a job's projected end time"
 * (sbatch(1) and srun(1), output environment variables,
 * https://slurm.schedmd.com/sbatch.html#SECTION_OUTPUT-ENVIRONMENT-VARIABLES).
 * Seconds from now to it; NAN when it is not set or not a number. */
static double job_end_in(void)
{
    const char *v = hb_env("SLURM_JOB_END_TIME");
    char *end;
    double t = v && *v ? strtod(v, &end) : NAN;
    return v && *v && !*end && t > 0 ? t - (double)time(NULL) : NAN;
}

double hb_cluster_time_box(const hb_cluster_opts *o, double run_s)
{
    double box = o->rank_timeout_s > 0 ? fmax(o->rank_timeout_s, o->rank_timeout_factor * fmax(run_s, 0)) : INFINITY;
    double end = job_end_in();
    return isnan(end) ? box : fmin(box, fmax(end - HB_JOB_END_MARGIN_S, 0));
}
