/* SPDX-License-Identifier: Apache-2.0 */
/* run_opts: `hbmbench run`'s options (run_opts.h). The fixed options are
 * here; families and kernels add theirs (hb_option), which the usage text,
 * the parser and the result file's config all take from the descriptors. */
#include "run_opts.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

#include "model_table.h"
#include "options.h"

static const char usage_head[] =
    "usage: hbmbench run [options]\n"
    "\n"
    "Runs the benchmarks on the selected devices (by default the seven stream\n"
    "kernels), verifies every result, prints a table and writes a JSON result file.\n"
    "\n";

static const char usage_tail[] =
    "\n"
    "exit codes: 0 success; 1 a result (or a tuning configuration) failed\n"
    "            verification, a device failed or a --check rule failed;\n"
    "            2 bad usage; 3 no device (no model found one) or none matched\n";

enum { O_DEVICE, O_BENCH, O_DTYPE, O_SIZE, O_ITERS, O_WARMUP, O_TUNE, O_TUNE_ITERS, O_PEAK_BW, O_PEAKS, O_OUT,
       O_FORCE, O_FORMAT, O_QUIET, O_KDIR, O_SWEEP, O_IMPL, O_GEMM_IMPL, O_RETUNE, O_PEAK_FP32, O_PEAK_FP64, O_CHECK,
       O_RULES, O_CONCURRENT, O_SOLO, O_REPEAT, O_MODEL, O_PROGRESS, O_BUILD_LOG, O_DECLARED };

static const char *const tunes[] = {"off", "quick", "full", NULL};
static const char *const formats[] = {"table", "json", "csv", NULL};

static void fill_benches(char *buf, size_t len);
static void fill_impls(char *buf, size_t len);
static void fill_models(char *buf, size_t len);
static int check_size(const char *v, hb_err *err);

/* run's own options, before the families' and kernels' (declared()) ... */
static const hb_opt fixed_head[] = {
    {"device", "SEL", HB_OPT_TEXT,
     "index from `hbmbench list` (never the host baseline),\n"
     "gpu:N, cpu:N or accelerator:N (the N-th of that kind),\n"
     "pci:BUSID, uuid:UUID, name:EXACT-NAME, case-insensitive\n"
     "name substring, a kind ('gpu', 'cpu', 'accelerator'),\n"
     "'host' (native baseline), 'all' or 'default';\n"
     "comma-separated list;\n"
     "a selector naming no present device: exit 3.\n"
     "'default' (and no --device): every GPU/accelerator, else\n"
     "the CPU device, else (--model discovering nothing but the\n"
     "host's) host", .id = O_DEVICE},
    {"bench", "LIST", HB_OPT_TEXT, "%s,\nor all (everything)", "the stream kernels", .id = O_BENCH,
     .fill = fill_benches},
    {"dtype", "LIST", HB_OPT_TEXT,
     "f32,f64,f16; f64 and f16 run only where the device has them\n"
     "and the bench offers them (f16: gemm); untyped benches\n"
     "(latency) run once whatever it says", "f32,f64", .id = O_DTYPE},
    {"size", "SIZE", HB_OPT_TEXT,
     "per array: auto, bytes with a unit (512MiB, 2GB) or an\n"
     "element count (33554432)", "auto", .id = O_SIZE, .check = check_size},
    {"sweep", NULL, HB_OPT_FLAG,
     "stream kernels at sizes from 4 KiB per array up to --size\n"
     "in x2 steps (the cache hierarchy shows); sweep points\n"
     "below --size use the default configuration", .id = O_SWEEP},
    {"iters", "N", HB_OPT_INT, "timed iterations per measurement", "20", 1, 100000, .id = O_ITERS},
    {"warmup", "N", HB_OPT_INT, "untimed iterations before each batch", "2", 0, 100000, .id = O_WARMUP},
    {"tune", "MODE", HB_OPT_CHOICE, "quick, full (whole grid) or off (default config)", "quick", .choices = tunes,
     .id = O_TUNE},
    {"tune-iters", "N", HB_OPT_INT, "timed iterations per tuning point", "3", 1, 1000, .id = O_TUNE_ITERS},
    {"retune", NULL, HB_OPT_FLAG,
     "search again instead of measuring the winner cached by an\n"
     "earlier run ($XDG_CACHE_HOME/hbmbench or ~/.cache/hbmbench)", .id = O_RETUNE},
    {"repeat", "N", HB_OPT_INT,
     "the whole run N times, into one result file;\n"
     "each result says its repetition", "1", 1, 100000, .id = O_REPEAT},
    {"impl", "LIST", HB_OPT_TEXT, "implementations to run: %s", "every one built in", .id = O_IMPL,
     .fill = fill_impls},
    {"gemm-impl", "LIST", HB_OPT_TEXT, "the same as --impl (its first name)", .id = O_GEMM_IMPL},
    {"concurrent", NULL, HB_OPT_FLAG,
     "run the benches on every selected device at the same time\n"
     "(one pinned thread per device, timed batches started together),\n"
     "after running each device alone for its slowdown; see\n"
     "docs/concurrent.md", .id = O_CONCURRENT},
    {"solo", "FILE", HB_OPT_TEXT,
     "with --concurrent: take each device's solo figures (and\n"
     "configurations) from this result file instead", .id = O_SOLO},
    {"model", "LIST", HB_OPT_TEXT,
     "models to measure with: %s; a device\n"
     "that several models reach (a GPU through OpenCL and CUDA)\n"
     "is measured once per model, its rows side by side. Only\n"
     "these models are discovered (a hung driver of another is\n"
     "never loaded); --device indices are then those of\n"
     "`hbmbench list --model LIST`", "every model of each selected device", .id = O_MODEL, .fill = fill_models},
};

/* ... and after them. */
static const hb_opt fixed_tail[] = {
    {"peak-bw", "GBPS", HB_OPT_NUM, "theoretical peak bandwidth, GB/s (1e9 B/s), for every device", NULL,
     HB_PEAK_MIN, HB_PEAK_BW_MAX_GBS, .id = O_PEAK_BW},
    {"peak-fp32", "GF", HB_OPT_NUM, "theoretical fp32 peak, GFLOP/s, for every device", NULL, HB_PEAK_MIN,
     HB_PEAK_FLOPS_MAX_GFLOPS, .id = O_PEAK_FP32},
    {"peak-fp64", "GF", HB_OPT_NUM, "theoretical fp64 peak, GFLOP/s, for every device", NULL, HB_PEAK_MIN,
     HB_PEAK_FLOPS_MAX_GFLOPS, .id = O_PEAK_FP64},
    {"peaks", "FILE", HB_OPT_TEXT, "theoretical peaks per device (see docs/usage.md)", .id = O_PEAKS},
    {"out", "FILE", HB_OPT_TEXT,
     "result file; '-' writes the JSON to stdout, and the table\n"
     "to stderr", "results/<hostname>-<UTC time>.json", .id = O_OUT},
    {"force", NULL, HB_OPT_FLAG, "overwrite --out if it exists (only a regular file)", .id = O_FORCE},
    {"format", "FMT", HB_OPT_CHOICE, "table, json or csv on stdout", "table", .choices = formats, .id = O_FORMAT},
    {"check", NULL, HB_OPT_FLAG,
     "judge the result file once written, as `hbmbench check`\n"
     "does (its table after the results; on stderr with --format\n"
     "json or csv); exit 1 if a rule fails", .id = O_CHECK},
    {"rules", "FILE", HB_OPT_TEXT, "the rules for --check (implies it)", "built-in", .id = O_RULES},
    {"quiet", NULL, HB_OPT_FLAG,
     "print nothing but errors and warnings (the result file is\n"
     "still written)", .id = O_QUIET},
    {"progress", NULL, HB_OPT_FLAG,
     "progress lines on stderr ([3/14] what runs, time spent,\n"
     "an estimate of the time left) when stderr is not a terminal;\n"
     "on a terminal they are shown in place unless --quiet", .id = O_PROGRESS},
    {"build-log", "FILE", HB_OPT_TEXT,
     "where the OpenCL compiler's output (warnings) of builds that\n"
     "succeed goes (default: the result file's name with\n"
     ".build.log for .json; none with --out - or --quiet);\n"
     "written only when the compiler prints something", .id = O_BUILD_LOG},
    {"kernel-dir", "DIR", HB_OPT_TEXT,
     "load kernels/opencl/*.cl from DIR instead of the embedded copies\n"
     "(and kernels/cuda/*.cu from DIR, or else from DIR/../cuda)", .id = O_KDIR},
};
#define N_HEAD (sizeof fixed_head / sizeof fixed_head[0])
#define N_TAIL (sizeof fixed_tail / sizeof fixed_tail[0])
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

static void fill_benches(char *buf, size_t len)
{
    const char *names[40];
    distinct(0, names, 40);
    join(names, buf, len);
}

static void fill_impls(char *buf, size_t len)
{
    const char *names[40];
    distinct(1, names, 40);
    join(names, buf, len);
}

static void fill_models(char *buf, size_t len)
{
    const char *names[HB_MAX_MODELS + 1];
    hb_model_names(names, HB_MAX_MODELS + 1);
    join(names, buf, len);
}

/* The whole table: run's own options, the families' and kernels'
 * (declared(), each a text option with its check) between them. */
static size_t all_options(hb_opt *out)
{
    const hb_option *d[MAX_DECLARED];
    int nd = declared(d);
    size_t n = 0;
    for (size_t i = 0; i < N_HEAD; i++)
        out[n++] = fixed_head[i];
    for (int i = 0; i < nd; i++)
        out[n++] = (hb_opt){d[i]->name, d[i]->arg, d[i]->arg ? HB_OPT_TEXT : HB_OPT_FLAG, d[i]->help,
                            .id = O_DECLARED + i, .check = d[i]->check};
    for (size_t i = 0; i < N_TAIL; i++)
        out[n++] = fixed_tail[i];
    return n;
}

const char *hb_run_usage(void)
{
    static char text[8192];
    if (text[0])
        return text;
    hb_opt opts[N_HEAD + MAX_DECLARED + N_TAIL];
    size_t n = all_options(opts);
    size_t used = (size_t)snprintf(text, sizeof text, "%s", usage_head);
    used += hb_opts_help(opts, n, 1, text + used, sizeof text - used);
    snprintf(text + used, sizeof text - used, "%s", usage_tail);
    return text;
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

static int check_size(const char *v, hb_err *err)
{
    hb_size size;
    return parse_size(v, &size, err);
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

static int parse_declared(const hb_opt *d, const char *v, hb_run_opts *o, hb_err *err)
{
    hb_bench_opts *b = &o->plan.bench_opts;
    int i = 0;
    while (i < b->n && strcmp(b->name[i], d->name))
        i++;
    if (i == HB_MAX_BENCH_OPTS)
        return hb_fail(err, HB_EUSAGE, "--%s: too many options", d->name);
    b->name[i] = d->name;
    b->value[i] = d->arg ? v : "";
    b->n += i == b->n;
    return HB_OK;
}

/* One option, its value already judged by its kind (options.c). */
static int one(void *ctx, const hb_opt *opt, const char *v, double num, hb_err *err)
{
    hb_run_opts *o = ctx;
    hb_run_plan *p = &o->plan;
    switch (opt->id) {
    case O_DEVICE: o->device = v; return HB_OK;
    case O_BENCH: return parse_benches(v, o, err);
    case O_IMPL:
    case O_GEMM_IMPL: {
        const char *names[16];
        distinct(1, names, 16);
        o->impl_arg = v;
        return hb_parse_list(opt->id == O_IMPL ? "--impl" : "--gemm-impl", v, names, o->impl_buf,
                             sizeof o->impl_buf, p->impls, 8, &p->n_impls, err);
    }
    case O_MODEL: {
        const char *names[HB_MAX_MODELS + 1];
        hb_model_names(names, HB_MAX_MODELS + 1);
        o->model_arg = v;
        return hb_parse_list("--model", v, names, o->model_buf, sizeof o->model_buf, p->models, HB_MAX_MODELS,
                             &p->n_models, err);
    }
    case O_PEAK_FP32: o->peaks.fp32_gflops = num; return HB_OK;
    case O_PEAK_FP64: o->peaks.fp64_gflops = num; return HB_OK;
    case O_PEAK_BW: o->peaks.bw_gbs = num; return HB_OK;
    case O_DTYPE: return parse_dtypes(v, o, err);
    case O_SIZE: return parse_size(v, &p->size, err);
    case O_ITERS: p->measure.iters = (int)num; return HB_OK;
    case O_WARMUP: p->measure.warmup = (int)num; return HB_OK;
    case O_TUNE_ITERS: p->measure.tune_iters = (int)num; return HB_OK;
    case O_REPEAT: p->repeat = (int)num; return HB_OK;
    case O_TUNE: p->measure.tune = (int)num; return HB_OK;
    case O_PEAKS: o->peaks.peaks_file = v; return HB_OK;
    case O_OUT: o->out = v; return HB_OK;
    case O_FORCE: o->force = 1; return HB_OK;
    case O_QUIET: p->quiet = 1; return HB_OK;
    case O_PROGRESS: o->progress = 1; return HB_OK;
    case O_BUILD_LOG: o->build_log = v; return HB_OK;
    case O_SWEEP: p->sweep = 1; return HB_OK;
    case O_RETUNE: p->measure.retune = 1; return HB_OK;
    case O_KDIR: p->model_opts.kernel_dir = p->bench_opts.kernel_dir = v; return HB_OK;
    case O_CHECK: o->check = 1; return HB_OK;
    case O_RULES: o->rules = v; o->check = 1; return HB_OK;
    case O_CONCURRENT: p->concurrent = 1; return HB_OK;
    case O_SOLO: p->solo_file = v; return HB_OK;
    case O_FORMAT: o->format = (enum hb_format)(int)num; return HB_OK;
    default:
        if (opt->id >= O_DECLARED)
            return parse_declared(opt, v, o, err);
        return hb_fail(err, HB_EUSAGE, "internal: option %d", opt->id);
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

/* A family's option given while none of its benches is selected changes
 * nothing: say so rather than let the user think it applied. */
void hb_run_opts_warn(const hb_run_opts *o)
{
    const hb_run_plan *p = &o->plan;
    for (const hb_family *const *f = hb_families; *f; f++) {
        int selected = 0;
        for (int i = 0; i < p->n_benches; i++)
            selected |= p->benches[i]->family == *f;
        for (const hb_option *opt = (*f)->options; !selected && opt && opt->name; opt++) {
            if (!hb_bench_opt(&p->bench_opts, opt->name))
                continue;
            char names[128];
            size_t used = 0;
            names[0] = '\0';
            for (const hb_bench *const *b = hb_benches; *b && used < sizeof names; b++)
                if ((*b)->family == *f)
                    used += (size_t)snprintf(names + used, sizeof names - used, "%s%s", used ? ", " : "", (*b)->name);
            fprintf(stderr, "hbmbench run: warning: --%s applies to the %s benches (%s), none of which is selected "
                            "(--bench); ignored\n", opt->name, (*f)->name, names);
        }
    }
}

int hb_run_opts_parse(int argc, char **argv, hb_run_opts *o, hb_err *err)
{
    set_defaults(o);
    record_command_line(argc, argv, o);
    hb_opt opts[N_HEAD + MAX_DECLARED + N_TAIL];
    size_t n = all_options(opts);
    if (hb_opts_parse(opts, n, argc, argv, one, o, NULL, 0, NULL, &o->help, err))
        return HB_EUSAGE;
    if (o->help)
        return HB_OK;
    if (o->plan.solo_file && !o->plan.concurrent)
        return hb_fail(err, HB_EUSAGE, "--solo FILE goes with --concurrent");
    /* it was skipped without a word: a gate that never judged */
    if (o->check && o->out && !strcmp(o->out, "-"))
        return hb_fail(err, HB_EUSAGE, "--check and --rules judge the written result file, and --out - writes none: "
                       "give --out FILE (or run hbmbench check FILE after)");
    return check_kernel_dir(o->plan.model_opts.kernel_dir, err);
}
