/* SPDX-License-Identifier: Apache-2.0 */
/* run_opts: `hbmbench run`'s options (run_opts.h). The fixed options are
 * here; families and kernels add theirs (hb_option), which the usage text,
 * the parser and the result file's config all take from the descriptors. */
#include "run_opts.h"

#include <errno.h>
#include <getopt.h>
#include <math.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

#include "model_table.h"

static const char usage_head[] =
    "usage: hbmbench run [options]\n"
    "\n"
    "Runs the benchmarks on the selected devices (by default the seven stream\n"
    "kernels), verifies every result, prints a table and writes a JSON result file.\n"
    "\n"
    "  --device SEL      index from `hbmbench list`, case-insensitive name substring,\n"
    "                    a kind ('gpu', 'cpu', 'accelerator'), 'host' (native\n"
    "                    baseline), 'all' or 'default'; comma-separated list.\n"
    "                    'default' (and no --device): every GPU/accelerator, else\n"
    "                    the CPU device, else (--model discovering nothing but the\n"
    "                    host's) host\n"
    "  --bench LIST      %s (the default: the\n"
    "                    stream kernels), or all (everything)\n"
    "  --dtype LIST      f32,f64,f16 (default: f32,f64); f64 and f16 run only where\n"
    "                    the device has them and the bench offers them (f16: gemm)\n"
    "  --size SIZE       per array: auto (default), bytes with a unit (512MiB, 2GB)\n"
    "                    or an element count (33554432)\n"
    "  --sweep           stream kernels at sizes from 4 KiB per array up to --size\n"
    "                    in x2 steps (the cache hierarchy shows); sweep points\n"
    "                    below --size use the default configuration\n"
    "  --iters N         timed iterations per measurement (default 20)\n"
    "  --warmup N        untimed iterations before each batch (default 2)\n"
    "  --tune MODE       quick (default), full (whole grid) or off (default config)\n"
    "  --tune-iters N    timed iterations per tuning point (default 3)\n"
    "  --retune          search again instead of measuring the winner cached by an\n"
    "                    earlier run ($XDG_CACHE_HOME/hbmbench or ~/.cache/hbmbench)\n"
    "  --repeat N        the whole run N times (default 1), into one result file;\n"
    "                    each result says its repetition\n"
    "  --impl LIST       implementations to run: %s;\n"
    "                    default: every one built in (--gemm-impl is the same)\n"
    "  --concurrent      run the benches on every selected device at the same time\n"
    "                    (one pinned thread per device, timed batches started together),\n"
    "                    after running each device alone for its slowdown; see\n"
    "                    docs/concurrent.md\n"
    "  --solo FILE       with --concurrent: take each device's solo figures (and\n"
    "                    configurations) from this result file instead\n"

    "  --model LIST      models to measure with: %s; a device\n"
    "                    that several models reach (a GPU through OpenCL and CUDA)\n"
    "                    is measured once per model, its rows side by side. Only\n"
    "                    these models are discovered (a hung driver of another is\n"
    "                    never loaded); --device indices are then those of\n"
    "                    `hbmbench list --model LIST`.\n"
    "                    Default: every model of each selected device\n";

static const char usage_tail[] =
    "  --peak-bw GBPS    theoretical peak bandwidth, GB/s (1e9 B/s), for every device\n"
    "  --peak-fp32 GF    theoretical fp32 peak, GFLOP/s, for every device\n"
    "  --peak-fp64 GF    theoretical fp64 peak, GFLOP/s, for every device\n"
    "  --peaks FILE      theoretical peaks per device (see docs/usage.md)\n"
    "  --out FILE        result file (default results/<hostname>-<UTC time>.json);\n"
    "                    '-' writes the JSON to stdout, and the table to stderr\n"
    "  --force           overwrite --out if it exists (only a regular file)\n"
    "  --format FMT      table (default), json or csv on stdout\n"
    "  --check           judge the result file once written, as `hbmbench check`\n"
    "                    does (its table after the results; on stderr with --format\n"
    "                    json or csv); exit 1 if a rule fails\n"
    "  --rules FILE      the rules for --check (implies it; default: built-in)\n"
    "  --quiet           print nothing but errors and warnings (the result file is\n"
    "                    still written)\n"
    "  --progress        progress lines on stderr ([3/14] what runs, time spent,\n"
    "                    an estimate of the time left) when stderr is not a terminal;\n"
    "                    on a terminal they are shown in place unless --quiet\n"
    "  --build-log FILE  where the OpenCL compiler's output (warnings) of builds that\n"
    "                    succeed goes (default: the result file's name with\n"
    "                    .build.log for .json; none with --out - or --quiet);\n"
    "                    written only when the compiler prints something\n"
    "  --kernel-dir DIR  load kernels/opencl/*.cl from DIR instead of the embedded copies\n"
    "                    (and kernels/cuda/*.cu from DIR, or else from DIR/../cuda)\n"
    "  -h, --help        this text\n"
    "\n"
    "exit codes: 0 success; 1 a result (or a tuning configuration) failed\n"
    "            verification, a device failed or a --check rule failed;\n"
    "            2 bad usage; 3 no device (no model found one) or none matched\n";

enum { O_DEVICE = 256, O_BENCH, O_DTYPE, O_SIZE, O_ITERS, O_WARMUP, O_TUNE, O_TUNE_ITERS, O_PEAK_BW, O_PEAKS,
       O_OUT, O_FORCE, O_FORMAT, O_QUIET, O_KDIR, O_SWEEP, O_IMPL, O_GEMM_IMPL, O_RETUNE, O_PEAK_FP32, O_PEAK_FP64,
       O_CHECK, O_RULES, O_CONCURRENT, O_SOLO, O_REPEAT, O_MODEL, O_PROGRESS, O_BUILD_LOG, O_DECLARED };

static const struct option fixed[] = {
    {"device", required_argument, NULL, O_DEVICE}, {"bench", required_argument, NULL, O_BENCH},
    {"dtype", required_argument, NULL, O_DTYPE}, {"size", required_argument, NULL, O_SIZE},
    {"iters", required_argument, NULL, O_ITERS}, {"warmup", required_argument, NULL, O_WARMUP},
    {"tune", required_argument, NULL, O_TUNE}, {"tune-iters", required_argument, NULL, O_TUNE_ITERS},
    {"peak-bw", required_argument, NULL, O_PEAK_BW}, {"peaks", required_argument, NULL, O_PEAKS},
    {"out", required_argument, NULL, O_OUT}, {"force", no_argument, NULL, O_FORCE},
    {"format", required_argument, NULL, O_FORMAT}, {"quiet", no_argument, NULL, O_QUIET},
    {"kernel-dir", required_argument, NULL, O_KDIR}, {"sweep", no_argument, NULL, O_SWEEP},
    {"impl", required_argument, NULL, O_IMPL}, {"gemm-impl", required_argument, NULL, O_GEMM_IMPL},
    {"peak-fp32", required_argument, NULL, O_PEAK_FP32}, {"peak-fp64", required_argument, NULL, O_PEAK_FP64},
    {"retune", no_argument, NULL, O_RETUNE}, {"check", no_argument, NULL, O_CHECK},
    {"rules", required_argument, NULL, O_RULES}, {"concurrent", no_argument, NULL, O_CONCURRENT},
    {"solo", required_argument, NULL, O_SOLO}, {"repeat", required_argument, NULL, O_REPEAT},
    {"model", required_argument, NULL, O_MODEL}, {"progress", no_argument, NULL, O_PROGRESS},
    {"build-log", required_argument, NULL, O_BUILD_LOG}, {"help", no_argument, NULL, 'h'},
};
#define N_FIXED (sizeof fixed / sizeof fixed[0])
#define MAX_DECLARED 16

/* The options families and kernels declare, each name once, in table order. */
static int declared(const hb_option **out)
{
    int n = 0;
    for (const hb_family *const *f = hb_families; *f; f++)
        for (const hb_option *o = (*f)->options; o && o->name && n < MAX_DECLARED; o++)
            out[n++] = o;
    for (const hb_model *const *m = hb_models; *m; m++)
        for (const hb_kernels *const *k = (*m)->kernels; *k; k++)
            for (const hb_option *o = (*k)->options; o && o->name && n < MAX_DECLARED; o++) {
                int seen = 0;
                for (int i = 0; i < n; i++)
                    seen |= !strcmp(out[i]->name, o->name);
                if (!seen)
                    out[n++] = o;
            }
    return n;
}

/* The distinct bench names (impl = 0) or implementation names (impl = 1), NULL-ended. */
static int distinct(int impl, const char **out, int max)
{
    int n = 0;
    if (!impl)
        for (const hb_bench *const *b = hb_benches; *b && n < max - 1; b++)
            out[n++] = (*b)->name;
    for (const hb_model *const *m = hb_models; impl && *m; m++)
        for (const hb_kernels *const *k = (*m)->kernels; *k && n < max - 1; k++) {
            int seen = 0;
            for (int i = 0; i < n; i++)
                seen |= !strcmp(out[i], (*k)->implementation);
            if (!seen)
                out[n++] = (*k)->implementation;
        }
    out[n] = NULL;
    return n;
}

static void join(const char *const *names, char *buf, size_t len)
{
    size_t used = 0;
    buf[0] = '\0';
    for (int i = 0; names[i] && used < len; i++)
        used += (size_t)snprintf(buf + used, len - used, "%s%s", i ? "," : "", names[i]);
}

/* Each declared option as "  --name ARG" in 20 columns, then its help lines. */
static size_t put_declared(char *buf, size_t len)
{
    const hb_option *d[MAX_DECLARED];
    int n = declared(d);
    size_t used = 0;
    for (int i = 0; i < n && used < len; i++) {
        char head[64];
        snprintf(head, sizeof head, "--%s%s%s", d[i]->name, d[i]->arg ? " " : "", d[i]->arg ? d[i]->arg : "");
        /* help text from column 20, as the fixed options'; a longer head gets a line of its own */
        if (strlen(head) > 17)
            used += (size_t)snprintf(buf + used, len - used, "  %s\n%20s", head, "");
        else
            used += (size_t)snprintf(buf + used, len - used, "  %-17s ", head);
        for (const char *h = d[i]->help; *h && used < len; h++) {
            buf[used++] = *h;
            if (*h == '\n' && used + 20 < len)
                used += (size_t)snprintf(buf + used, len - used, "%20s", "");
        }
        if (used < len)
            buf[used++] = '\n';
    }
    if (used < len)
        buf[used] = '\0';
    return used;
}

const char *hb_run_usage(void)
{
    static char text[8192];
    if (text[0])
        return text;
    const char *names[40];
    char benches[256], impls[128], models[64];
    distinct(0, names, 40);
    join(names, benches, sizeof benches);
    distinct(1, names, 40);
    join(names, impls, sizeof impls);
    hb_model_names(names, 40);
    join(names, models, sizeof models);
    size_t used = (size_t)snprintf(text, sizeof text, usage_head, benches, impls, models);
    used += put_declared(text + used, sizeof text - used);
    snprintf(text + used, sizeof text - used, "%s", usage_tail);
    return text;
}

/* A file or folder name must have at least one character. */
static int non_empty(const char *opt, const char *v, hb_err *err)
{
    return *v ? HB_OK : hb_fail(err, HB_EUSAGE, "%s: empty file name", opt);
}

/* A peak given on the command line: positive, and within HB_PEAK_MIN..max. */
static int parse_peak(const char *opt, const char *v, double max, const char *unit, double *out, hb_err *err)
{
    if (hb_parse_positive(opt, v, out, err))
        return HB_EUSAGE;
    if (*out < HB_PEAK_MIN || *out > max)
        return hb_fail(err, HB_EUSAGE, "%s: '%s' is outside %g to %g %s", opt, v, HB_PEAK_MIN, max, unit);
    return HB_OK;
}

/* --size; hb_parse_size() reads an element count with strtoull, which
 * gives 2^64-1 for anything larger: such a count is refused here. */
static int parse_size(const char *v, hb_size *size, hb_err *err)
{
    if (hb_parse_size("--size", v, size, err))
        return HB_EUSAGE;
    if (!size->is_auto && !size->is_bytes && size->value == UINT64_MAX)
        return hb_fail(err, HB_EUSAGE, "--size: '%s' elements is more than 2^64 bytes per array", v);
    return HB_OK;
}

static void set_defaults(hb_run_opts *o)
{
    memset(o, 0, sizeof *o);
    hb_run_plan *p = &o->plan;
    p->size.is_auto = 1;
    p->measure = (hb_measure_opts){.iters = 20, .warmup = 2, .tune_iters = 3, .tune = 1};
    o->peaks = (hb_peak_opts){NAN, NAN, NAN, NULL};
    for (const hb_bench *const *b = hb_benches; *b && p->n_benches < HB_MAX_RUN_BENCHES; b++)
        if ((*b)->family->in_default_set)
            p->benches[p->n_benches++] = *b;
    p->dtypes[0] = HB_F32;
    p->dtypes[1] = HB_F64;
    p->n_dtypes = 2;
}

static void record_command_line(int argc, char **argv, hb_run_opts *o)
{
    size_t used = (size_t)snprintf(o->command_line, sizeof o->command_line, "hbmbench");
    for (int i = 0; i < argc && used < sizeof o->command_line; i++)
        used += (size_t)snprintf(o->command_line + used, sizeof o->command_line - used, " %s", argv[i]);
}

/* --bench: names from the bench table, or "all" for every one of them. */
static int parse_benches(const char *v, hb_run_opts *o, hb_err *err)
{
    const char *names[HB_MAX_RUN_BENCHES + 2], *items[HB_MAX_RUN_BENCHES];
    int n = distinct(0, names, HB_MAX_RUN_BENCHES + 1), k = 0;
    names[n] = "all";
    names[n + 1] = NULL;
    if (hb_parse_list("--bench", v, names, o->bench_buf, sizeof o->bench_buf, items, HB_MAX_RUN_BENCHES, &k, err))
        return HB_EUSAGE;
    hb_run_plan *p = &o->plan;
    p->n_benches = 0;
    for (int i = 0; i < k; i++)
        if (!strcmp(items[i], "all")) {
            for (p->n_benches = 0; p->n_benches < n; p->n_benches++)
                p->benches[p->n_benches] = hb_benches[p->n_benches];
            return HB_OK;
        }
    for (int i = 0; i < k; i++)
        p->benches[p->n_benches++] = hb_bench_find(items[i]);
    return HB_OK;
}

static int parse_dtypes(const char *v, hb_run_opts *o, hb_err *err)
{
    const char *names[HB_NDTYPES + 1], *items[HB_NDTYPES];
    for (int t = 0; t < HB_NDTYPES; t++)
        names[t] = hb_dtype_name((hb_dtype)t);
    names[HB_NDTYPES] = NULL;
    int k = 0;
    if (hb_parse_list("--dtype", v, names, o->dtype_buf, sizeof o->dtype_buf, items, HB_NDTYPES, &k, err))
        return HB_EUSAGE;
    o->plan.n_dtypes = 0;
    for (int i = 0; i < k; i++)
        hb_dtype_parse(items[i], &o->plan.dtypes[o->plan.n_dtypes++]);
    return HB_OK;
}

static int parse_declared(const hb_option *d, const char *v, hb_run_opts *o, hb_err *err)
{
    hb_bench_opts *b = &o->plan.bench_opts;
    char opt[64];
    snprintf(opt, sizeof opt, "--%s", d->name);
    if (d->arg && d->check && d->check(v, err))
        return HB_EUSAGE;
    int i = 0;
    while (i < b->n && strcmp(b->name[i], d->name))
        i++;
    if (i == HB_MAX_BENCH_OPTS)
        return hb_fail(err, HB_EUSAGE, "%s: too many options", opt);
    b->name[i] = d->name;
    b->value[i] = d->arg ? v : "";
    b->n += i == b->n;
    return HB_OK;
}

static int one(int c, const char *v, hb_run_opts *o, hb_err *err)
{
    static const char *const tunes[] = {"off", "quick", "full", NULL};
    static const char *const formats[] = {"table", "json", "csv", NULL};
    hb_run_plan *p = &o->plan;
    int fmt = 0;
    switch (c) {
    case O_DEVICE: o->device = v; return HB_OK;
    case O_BENCH: return parse_benches(v, o, err);
    case O_IMPL:
    case O_GEMM_IMPL: {
        const char *names[16];
        distinct(1, names, 16);
        o->impl_arg = v;
        return hb_parse_list(c == O_IMPL ? "--impl" : "--gemm-impl", v, names, o->impl_buf, sizeof o->impl_buf, p->impls, 8, &p->n_impls, err);
    }
    case O_MODEL: {
        const char *names[HB_MAX_MODELS + 1];
        hb_model_names(names, HB_MAX_MODELS + 1);
        o->model_arg = v;
        return hb_parse_list("--model", v, names, o->model_buf, sizeof o->model_buf, p->models, HB_MAX_MODELS,
                             &p->n_models, err);
    }
    case O_PEAK_FP32:
        return parse_peak("--peak-fp32", v, HB_PEAK_FLOPS_MAX_GFLOPS, "GFLOP/s", &o->peaks.fp32_gflops, err);
    case O_PEAK_FP64:
        return parse_peak("--peak-fp64", v, HB_PEAK_FLOPS_MAX_GFLOPS, "GFLOP/s", &o->peaks.fp64_gflops, err);
    case O_DTYPE: return parse_dtypes(v, o, err);
    case O_SIZE: return parse_size(v, &p->size, err);
    case O_ITERS: return hb_parse_int("--iters", v, 1, 100000, &p->measure.iters, err);
    case O_WARMUP: return hb_parse_int("--warmup", v, 0, 100000, &p->measure.warmup, err);
    case O_TUNE_ITERS: return hb_parse_int("--tune-iters", v, 1, 1000, &p->measure.tune_iters, err);
    case O_REPEAT: return hb_parse_int("--repeat", v, 1, 100000, &p->repeat, err);
    case O_TUNE: return hb_parse_choice("--tune", v, tunes, &p->measure.tune, err);
    case O_PEAK_BW: return parse_peak("--peak-bw", v, HB_PEAK_BW_MAX_GBS, "GB/s", &o->peaks.bw_gbs, err);
    case O_PEAKS: o->peaks.peaks_file = v; return non_empty("--peaks", v, err);
    case O_OUT: o->out = v; return non_empty("--out", v, err);
    case O_FORCE: o->force = 1; return HB_OK;
    case O_QUIET: p->quiet = 1; return HB_OK;
    case O_PROGRESS: o->progress = 1; return HB_OK;
    case O_BUILD_LOG: o->build_log = v; return non_empty("--build-log", v, err);
    case O_SWEEP: p->sweep = 1; return HB_OK;
    case O_RETUNE: p->measure.retune = 1; return HB_OK;
    case O_KDIR: p->model_opts.kernel_dir = v; return non_empty("--kernel-dir", v, err);
    case O_CHECK: o->check = 1; return HB_OK;
    case O_RULES: o->rules = v; o->check = 1; return non_empty("--rules", v, err);
    case O_CONCURRENT: p->concurrent = 1; return HB_OK;
    case O_SOLO: p->solo_file = v; return non_empty("--solo", v, err);
    case O_FORMAT:
        if (hb_parse_choice("--format", v, formats, &fmt, err))
            return HB_EUSAGE;
        o->format = (enum hb_format)fmt;
        return HB_OK;
    default: return hb_fail(err, HB_EUSAGE, "internal: option %d", c);
    }
}

/* --kernel-dir must name a folder: found now, not when the first kernel is built. */
static int check_kernel_dir(const char *dir, hb_err *err)
{
    struct stat st;
    if (!dir)
        return HB_OK;
    if (stat(dir, &st) != 0)
        return hb_fail(err, HB_EUSAGE, "--kernel-dir %s: %s", dir, strerror(errno));
    if (!S_ISDIR(st.st_mode))
        return hb_fail(err, HB_EUSAGE, "--kernel-dir %s: not a directory", dir);
    return HB_OK;
}

int hb_run_opts_parse(int argc, char **argv, hb_run_opts *o, hb_err *err)
{
    set_defaults(o);
    record_command_line(argc, argv, o);
    const hb_option *d[MAX_DECLARED];
    int nd = declared(d);
    struct option longopts[N_FIXED + MAX_DECLARED + 1];
    memcpy(longopts, fixed, sizeof fixed);
    for (int i = 0; i < nd; i++)
        longopts[N_FIXED + i] = (struct option){d[i]->name, d[i]->arg ? required_argument : no_argument, NULL,
                                                O_DECLARED + i};
    longopts[N_FIXED + nd] = (struct option){NULL, 0, NULL, 0};
    opterr = 0;
    optind = 1;
    int c;
    while ((c = getopt_long(argc, argv, "h", longopts, NULL)) != -1) {
        if (c == 'h') {
            o->help = 1;
            return HB_OK;
        }
        if (c == '?' || c == ':')
            return hb_fail(err, HB_EUSAGE, "unknown option or missing value: '%s'", argv[optind - 1]);
        int rc = c >= O_DECLARED ? parse_declared(d[c - O_DECLARED], optarg, o, err) : one(c, optarg, o, err);
        if (rc)
            return HB_EUSAGE;
    }
    if (optind < argc)
        return hb_fail(err, HB_EUSAGE, "unexpected argument '%s'", argv[optind]);
    if (o->plan.solo_file && !o->plan.concurrent)
        return hb_fail(err, HB_EUSAGE, "--solo FILE goes with --concurrent");
    return check_kernel_dir(o->plan.model_opts.kernel_dir, err);
}
