/* SPDX-License-Identifier: Apache-2.0 */
/* scheduler_env: the batch job from the environment (scheduler_env.h).
 *
 * The variables, as each scheduler documents them:
 *   - Slurm: SLURM_JOB_ID, SLURM_JOB_NAME, SLURM_JOB_NODELIST (hostlist
 *     syntax, "gpu[01-04]"), SLURM_ARRAY_JOB_ID, SLURM_ARRAY_TASK_ID
 *     (sbatch(1), "OUTPUT ENVIRONMENT VARIABLES",
 *     https://slurm.schedmd.com/sbatch.html), SLURM_STEP_ID (srun(1), same
 *     section, https://slurm.schedmd.com/srun.html);
 *   - PBS (OpenPBS, PBS Professional, Torque): PBS_JOBID ("1234.server"),
 *     PBS_JOBNAME, PBS_NODEFILE (a file naming one host per line, a host
 *     once per slot) (qsub(1B), the variables "available to the batch
 *     job", https://manpages.ubuntu.com/manpages/xenial/man1/qsub.1B.html);
 *   - LSF: LSB_JOBID, LSB_JOBNAME, LSB_JOBINDEX, LSB_HOSTS (one name per
 *     slot) and LSB_MCPU_HOSTS ("host slots host slots ...") ("Environment
 *     variables set for job execution", https://www.ibm.com/docs/en/spectrum-lsf/10.1.0?topic=variables-environment-set-job-execution).
 * A value that is not of its documented form is recorded as unknown with a
 * warning: a result file must not carry a job id that is not one. */
#include "scheduler_env.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "env.h"
#include "read_file.h"
#include "text.h"

#define DIGITS "0123456789"
#define ALNUM DIGITS "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
#define HOST_CHARS ALNUM ".-_"

static void warn(const char *var, const char *value, const char *why)
{
    hb_text_fprintf(stderr, "hbmbench: warning: %s=\"%.80s\" %s; recorded as null\n", var, value, why);
}

/* v made only of chars (non-empty, shorter than cap). */
static int made_of(const char *v, const char *chars, size_t cap)
{
    size_t n = strlen(v);
    return n > 0 && n < cap && strspn(v, chars) == n;
}

/* Copies $var into out when it is made of chars; "" (with a warning) when not. */
static void take(const char *var, const char *chars, const char *what, char *out, size_t cap)
{
    const char *v = hb_env(var);
    out[0] = '\0';
    if (!v)
        return;
    if (!made_of(v, chars, cap)) {
        warn(var, v, what);
        return;
    }
    snprintf(out, cap, "%s", v);
}

/* A job name: any text without control characters. */
static void take_name(const char *var, char *out, size_t cap)
{
    const char *v = hb_env(var);
    out[0] = '\0';
    if (!v)
        return;
    size_t n = strlen(v);
    int ok = n > 0 && n < cap;
    for (size_t i = 0; ok && i < n; i++)
        ok = (unsigned char)v[i] >= 0x20 && v[i] != 0x7f;
    if (!ok) {
        warn(var, v, "is empty, too long or holds control characters");
        return;
    }
    snprintf(out, cap, "%s", v);
}

/* Appends host to the comma-separated list out unless it is there already
 * (schedulers name a host once per slot). 0 when it does not fit. */
static int add_host(char *out, size_t cap, const char *host, size_t len)
{
    size_t used = strlen(out);
    for (const char *p = out; *p;) {
        size_t n = strcspn(p, ",");
        if (n == len && !strncmp(p, host, len))
            return 1;
        p += n + (p[n] == ',');
    }
    if (used + len + 2 > cap)
        return 0;
    snprintf(out + used, cap - used, "%s%.*s", used ? "," : "", (int)len, host);
    return 1;
}

/* The hosts of a text whose words (separated by sep) are host names, every
 * other word when counts follow names (LSB_MCPU_HOSTS); "" and a warning
 * when a word is not a host name or count, or the list does not fit. */
static void hosts_of(const char *var, const char *text, const char *sep, int counted, char *out, size_t cap)
{
    const char *p = text;
    int word = 0, ok = 1;
    out[0] = '\0';
    while (ok && *(p += strspn(p, sep))) {
        size_t n = strcspn(p, sep);
        int is_count = counted && word % 2 == 1;
        ok = strspn(p, is_count ? DIGITS : HOST_CHARS) >= n && (is_count || add_host(out, cap, p, n));
        p += n, word++;
    }
    if (!ok || !out[0] || (counted && word % 2)) {
        warn(var, text, "is not a list of host names");
        out[0] = '\0';
    }
}

static void from_slurm(hb_scheduler *s)
{
    snprintf(s->name, sizeof s->name, "slurm");
    take("SLURM_JOB_ID", DIGITS, "is not a Slurm job id", s->job_id, sizeof s->job_id);
    take_name("SLURM_JOB_NAME", s->job_name, sizeof s->job_name);
    take("SLURM_JOB_NODELIST", HOST_CHARS "[],", "is not a Slurm host list", s->nodes, sizeof s->nodes);
    if (s->nodes[0])
        snprintf(s->nodes_from, sizeof s->nodes_from, "SLURM_JOB_NODELIST");
    /* a step id is a number, or a special step's name ("batch", "extern") */
    take("SLURM_STEP_ID", ALNUM, "is not a Slurm step id", s->step_id, sizeof s->step_id);
    take("SLURM_ARRAY_JOB_ID", DIGITS, "is not a Slurm job id", s->array_job_id, sizeof s->array_job_id);
    take("SLURM_ARRAY_TASK_ID", DIGITS, "is not a Slurm array index", s->array_task_id, sizeof s->array_task_id);
}

static void from_pbs(hb_scheduler *s)
{
    const char *file = hb_env("PBS_NODEFILE");
    snprintf(s->name, sizeof s->name, "pbs");
    take("PBS_JOBID", HOST_CHARS "[]@", "is not a PBS job id", s->job_id, sizeof s->job_id);
    take_name("PBS_JOBNAME", s->job_name, sizeof s->job_name);
    if (!file)
        return;
    char *text = NULL;
    size_t len = 0;
    hb_err err = {0};
    if (hb_read_file(file, &text, &len, &err)) {
        hb_text_fprintf(stderr, "hbmbench: warning: PBS_NODEFILE: %s; nodes recorded as null\n", err.msg);
        return;
    }
    hosts_of("PBS_NODEFILE", text, "\r\n", 0, s->nodes, sizeof s->nodes);
    free(text);
    if (s->nodes[0])
        snprintf(s->nodes_from, sizeof s->nodes_from, "PBS_NODEFILE");
}

static void from_lsf(hb_scheduler *s)
{
    const char *mcpu = hb_env("LSB_MCPU_HOSTS"), *hosts = hb_env("LSB_HOSTS");
    snprintf(s->name, sizeof s->name, "lsf");
    take("LSB_JOBID", DIGITS, "is not an LSF job id", s->job_id, sizeof s->job_id);
    take_name("LSB_JOBNAME", s->job_name, sizeof s->job_name);
    take("LSB_JOBINDEX", DIGITS, "is not an LSF array index", s->array_task_id, sizeof s->array_task_id);
    /* LSB_JOBINDEX is 0 outside a job array */
    if (!strcmp(s->array_task_id, "0"))
        s->array_task_id[0] = '\0';
    if (mcpu)
        hosts_of("LSB_MCPU_HOSTS", mcpu, " ", 1, s->nodes, sizeof s->nodes);
    else if (hosts)
        hosts_of("LSB_HOSTS", hosts, " ", 0, s->nodes, sizeof s->nodes);
    if (s->nodes[0])
        snprintf(s->nodes_from, sizeof s->nodes_from, "%s", mcpu ? "LSB_MCPU_HOSTS" : "LSB_HOSTS");
}

void hb_scheduler_from_env(hb_scheduler *s)
{
    memset(s, 0, sizeof *s);
    if (hb_env("SLURM_JOB_ID"))
        from_slurm(s);
    else if (hb_env("PBS_JOBID"))
        from_pbs(s);
    else if (hb_env("LSB_JOBID"))
        from_lsf(s);
}
