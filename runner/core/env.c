/* SPDX-License-Identifier: Apache-2.0 */
/* env: the table of environment variables and their checks (env.h). */
#include "env.h"

#include "deadline.h"
#include "fault.h"
#include "parse.h"

#include <stdlib.h>
#include <string.h>

#define RANK_MAX (1 << 30)

static int whole(const char *name, const char *v, int lo, int hi, long *out, hb_err *err)
{
    int n;
    if (hb_parse_int(name, v, lo, hi, &n, err))
        return HB_EUSAGE;
    *out = n;
    return HB_OK;
}

static int subdevice_units(const char *name, const char *v, hb_err *err)
{
    long n;
    return whole(name, v, 1, 65535, &n, err);
}

static int rank(const char *name, const char *v, hb_err *err)
{
    long n;
    return whole(name, v, 0, RANK_MAX - 1, &n, err);
}

static int zero_or_one(const char *name, const char *v, hb_err *err)
{
    long n;
    return whole(name, v, 0, 1, &n, err);
}

/* Digits and one point only: strtod would also take " 5", "+5", "inf",
 * "0x10" and "1e3". */
static int seconds_in(const char *name, const char *v, double lo, double hi, int lo_open, double *out, hb_err *err)
{
    char *end;
    double s = strspn(v, "0123456789.") == strlen(v) ? strtod(v, &end) : -1;
    if (s < 0 || *end || (lo_open ? s <= lo : s < lo) || s > hi)
        return hb_fail(err, HB_EUSAGE, "%s: '%s' is not a number of seconds from %g%s to %g", name, v, lo,
                       lo_open ? " (excluded)" : "", hi);
    *out = s;
    return HB_OK;
}

static int discovery_timeout(const char *name, const char *v, hb_err *err)
{
    double s;
    return seconds_in(name, v, 0, HB_DISCOVERY_TIMEOUT_MAX, 0, &s, err); /* 0: no limit */
}

static int slowdown(const char *name, const char *v, hb_err *err)
{
    double s;
    return seconds_in(name, v, 0, 1, 1, &s, err);
}

static int unix_time(const char *name, const char *v, hb_err *err)
{
    char *end;
    double t = strspn(v, "0123456789") == strlen(v) ? strtod(v, &end) : -1;
    if (!(t > 0) || *end)
        return hb_fail(err, HB_EUSAGE, "%s: '%s' is not a Unix time (whole seconds since 1970)", name, v);
    return HB_OK;
}

static int fault_spec(const char *name, const char *v, hb_err *err)
{
    (void)name;
    int rc = hb_fault_init(v, err); /* names HB_FAULT in its message */
    hb_fault_init(NULL, NULL);      /* checked only: run arms it */
    return rc;
}

static int fail_mode(const char *name, const char *v, hb_err *err)
{
    static const char *const modes[] = {"error", "exit", "hang", "stop", "exit-after-gather", NULL};
    int i;
    return hb_parse_choice(name, v, modes, &i, err);
}

const hb_env_var hb_env_vars[] = {
    {"HBMBENCH_CL_SUBDEVICES", "N", "list each OpenCL device that can be split as sub-devices of N compute units "
                                    "(1-65535), for --concurrent (docs/concurrent.md)", subdevice_units},
    {"HB_DISCOVERY_TIMEOUT", "SECONDS", "limit on a model's discovery (default 20; 0: none)", discovery_timeout},
    {"HB_LIBCUDA", "FILE", "the CUDA driver library to load instead of libcuda.so.1", NULL},
    {"HB_LIBNVML", "FILE", "the NVML library to load instead of libnvidia-ml.so.1", NULL},
    {"HB_NVRTC", "FILE", "the NVRTC library to load instead of the newest found", NULL},
    {"HB_CUBLAS", "FILE", "the cuBLAS library to load instead of the newest found", NULL},
    {"CUDA_HOME", "DIR", "a CUDA toolkit where NVRTC and cuBLAS are looked for", NULL},
    {"CUDA_PATH", "DIR", "the same, as some installers name it", NULL},
    {"OCL_ICD_VENDORS", "DIR", "where the ICD loader finds OpenCL drivers (named when none is found)", NULL},
    {"OPENCL_VENDOR_PATH", "DIR", "the same, for other ICD loaders", NULL},
    {"XDG_CACHE_HOME", "DIR", "the tuning cache is DIR/hbmbench (default ~/.cache/hbmbench)", NULL},
    {"HOME", "DIR", "for the default tuning cache", NULL},
    {"TMPDIR", "DIR", "where a result goes when --out cannot be written, and build scratch files", NULL},
    {"HB_CLUSTER", "0|1", "0: a plain run even under an MPI launcher; 1: an MPI run without one", zero_or_one},
    {"OMPI_COMM_WORLD_SIZE", "N", "set by Open MPI's mpirun: an MPI run", NULL},
    {"OMPI_COMM_WORLD_RANK", "N", "set by mpirun: this process's rank", rank},
    {"OMPI_COMM_WORLD_LOCAL_RANK", "N", "set by mpirun: its rank on its node", rank},
    {"SLURM_STEP_ID", "N", "set by srun: an MPI run (with SLURM_PROCID)", NULL},
    {"SLURM_PROCID", "N", "set by srun: this process's rank", rank},
    {"SLURM_LOCALID", "N", "set by srun: its rank on its node", rank},
    {"PMIX_RANK", "N", "set by PMIx launchers: this process's rank", rank},
    {"PMI_SIZE", "N", "set by PMI-1 launchers (Hydra): an MPI run", NULL},
    {"PMI_RANK", "N", "set by PMI-1 launchers: this process's rank", rank},
    /* the batch job, recorded in the result file: a value not of its
     * documented form is a warning and null there (scheduler_env.c) */
    {"SLURM_JOB_END_TIME", "SECONDS", "Slurm: the job's projected end (Unix time): the rank time box ends before it "
                                      "(docs/cluster.md)", unix_time},
    {"SLURM_JOB_ID", "N", "Slurm: the job (then SLURM_JOB_NAME, SLURM_JOB_NODELIST, SLURM_ARRAY_*)", NULL},
    {"SLURM_JOB_NAME", "TEXT", "Slurm: the job's name", NULL},
    {"SLURM_JOB_NODELIST", "HOSTS", "Slurm: the job's nodes, hostlist syntax", NULL},
    {"SLURM_ARRAY_JOB_ID", "N", "Slurm: the job array", NULL},
    {"SLURM_ARRAY_TASK_ID", "N", "Slurm: the task in the job array", NULL},
    {"PBS_JOBID", "ID", "PBS: the job (then PBS_JOBNAME, PBS_NODEFILE)", NULL},
    {"PBS_JOBNAME", "TEXT", "PBS: the job's name", NULL},
    {"PBS_NODEFILE", "FILE", "PBS: the job's hosts, one per slot", NULL},
    {"LSB_JOBID", "N", "LSF: the job (then LSB_JOBNAME, LSB_JOBINDEX, LSB_MCPU_HOSTS or LSB_HOSTS)", NULL},
    {"LSB_JOBNAME", "TEXT", "LSF: the job's name", NULL},
    {"LSB_JOBINDEX", "N", "LSF: the index in a job array", NULL},
    {"LSB_HOSTS", "HOSTS", "LSF: the job's hosts, one per slot", NULL},
    {"LSB_MCPU_HOSTS", "HOSTS", "LSF: the job's hosts and their slot counts", NULL},
    {"HB_FAULT", "SPEC", "tests only: inject failures, KIND:N,... (docs/testing.md)", fault_spec},
    {"HB_TEST_SLOW_S", "SECONDS", "tests only: every timed iteration that much slower (0-1 s; recorded in each "
                                  "result)", slowdown},
    {"HB_TEST_SLOW_RANK", "N", "tests only: the MPI rank that HB_TEST_SLOW_S slows", rank},
    {"HB_TEST_FAIL_RANK", "N", "tests only: the MPI rank that fails on purpose", rank},
    {"HB_TEST_FAIL_MODE", "MODE", "tests only: how HB_TEST_FAIL_RANK fails: error (default), exit, hang, stop or "
                                  "exit-after-gather", fail_mode},
    {NULL, NULL, NULL, NULL},
};

static const hb_env_var *row_of(const char *name)
{
    for (const hb_env_var *v = hb_env_vars; v->name; v++)
        if (!strcmp(v->name, name))
            return v;
    return NULL;
}

const char *hb_env(const char *name)
{
    const char *v = row_of(name) ? getenv(name) : NULL;
    return v && *v ? v : NULL;
}

int hb_env_check(const char *name, hb_err *err)
{
    const hb_env_var *row = row_of(name);
    const char *value = hb_env(name);
    return value && row->check ? row->check(name, value, err) : HB_OK;
}

int hb_env_check_all(hb_err *err)
{
    for (const hb_env_var *v = hb_env_vars; v->name; v++)
        if (hb_env_check(v->name, err))
            return HB_EUSAGE;
    return HB_OK;
}

long hb_env_int(const char *name, long unset)
{
    const char *v = hb_env(name);
    char *end;
    long n = v ? strtol(v, &end, 10) : 0;
    hb_err ignored = {0};
    const hb_env_var *row = row_of(name);
    return v && row->check && !row->check(name, v, &ignored) && !*end ? n : unset;
}

double hb_env_seconds(const char *name, double unset)
{
    const char *v = hb_env(name);
    hb_err ignored = {0};
    const hb_env_var *row = row_of(name);
    return v && row->check && !row->check(name, v, &ignored) ? strtod(v, NULL) : unset;
}

/* text in lines of at most 80 columns, after a 6-column indent. */
static void wrapped(FILE *f, const char *text)
{
    enum { INDENT = 6, WIDTH = 80 };
    int col = 0;
    for (const char *w = text; *w;) {
        size_t len = strcspn(w, " ");
        if (col && col + 1 + (int)len > WIDTH) {
            fputc('\n', f);
            col = 0;
        }
        col += col ? fprintf(f, " %.*s", (int)len, w) : fprintf(f, "%*s%.*s", INDENT, "", (int)len, w);
        w += len;
        w += strspn(w, " ");
    }
    fputc('\n', f);
}

void hb_env_help(FILE *f)
{
    fputs("\nEnvironment variables (\"\" is unset; a bad value is exit 2):\n", f);
    for (const hb_env_var *v = hb_env_vars; v->name; v++) {
        fprintf(f, "  %s=%s\n", v->name, v->arg);
        wrapped(f, v->help);
    }
}
