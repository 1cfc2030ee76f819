#include "run_opts.h"

#include <getopt.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "bench.h"
#include "gemm.h"

const char hb_run_usage[] =
    "usage: hbmbench run [options]\n"
    "\n"
    "Runs the benchmarks on the selected devices (by default the seven stream\n"
    "kernels), verifies every result, prints a table and writes a JSON result file.\n"
    "\n"
    "  --device SEL      index from `hbmbench list`, case-insensitive name substring,\n"
    "                    'host' (native baseline) or 'all'; comma-separated list.\n"
    "                    Default: every GPU/accelerator, else the CPU device\n"
    "  --bench LIST      copy,scale,add,triad,dot,read,write (the default: the\n"
    "                    stream kernels), gemm, roofline, or all (everything)\n"
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
    "  --gemm-sizes LIST GEMM problems: N (N x N x N) or MxNxK items, comma-\n"
    "                    separated, e.g. 512,1024,2048 or 4096x4096x16,4096x1x4096.\n"
    "                    Default: a square sweep, a skinny and a GEMV-like shape\n"
    "  --gemm-impl LIST  hbmbench (ours), clblast (when built with CLBlast);\n"
    "                    default: every one built in\n"
    "  --retune          search GEMM configurations again instead of using the\n"
    "                    tuning cache ($XDG_CACHE_HOME/hbmbench or ~/.cache/hbmbench)\n"
    "  --peak-bw GBPS    theoretical peak bandwidth, GB/s (1e9 B/s), for every device\n"
    "  --peak-fp32 GF    theoretical fp32 peak, GFLOP/s, for every device\n"
    "  --peak-fp64 GF    theoretical fp64 peak, GFLOP/s, for every device\n"
    "  --peaks FILE      theoretical peaks per device (see README.md)\n"
    "  --out FILE        result file (default results/<hostname>-<UTC time>.json)\n"
    "  --force           overwrite --out if it exists\n"
    "  --format FMT      table (default), json or csv on stdout\n"
    "  --quiet           print nothing but errors (the result file is still written)\n"
    "  --kernel-dir DIR  load kernels/*.cl from DIR instead of the embedded copies\n"
    "  --host-stores K   host baseline stores: nontemporal (default) or plain\n"
    "  -h, --help        this text\n"
    "\n"
    "exit codes: 0 success; 1 a result failed verification or a device failed;\n"
    "            2 bad usage; 3 no OpenCL platform or no device matched\n";

enum { O_DEVICE = 256, O_BENCH, O_DTYPE, O_SIZE, O_ITERS, O_WARMUP, O_TUNE, O_TUNE_ITERS, O_PEAK_BW, O_PEAKS,
       O_OUT, O_FORCE, O_FORMAT, O_QUIET, O_KDIR, O_HOST_STORES, O_SWEEP, O_GEMM_SIZES, O_GEMM_IMPL, O_RETUNE,
       O_PEAK_FP32, O_PEAK_FP64 };

static const struct option longopts[] = {
    {"device", required_argument, NULL, O_DEVICE}, {"bench", required_argument, NULL, O_BENCH},
    {"dtype", required_argument, NULL, O_DTYPE}, {"size", required_argument, NULL, O_SIZE},
    {"iters", required_argument, NULL, O_ITERS}, {"warmup", required_argument, NULL, O_WARMUP},
    {"tune", required_argument, NULL, O_TUNE}, {"tune-iters", required_argument, NULL, O_TUNE_ITERS},
    {"peak-bw", required_argument, NULL, O_PEAK_BW}, {"peaks", required_argument, NULL, O_PEAKS},
    {"out", required_argument, NULL, O_OUT}, {"force", no_argument, NULL, O_FORCE},
    {"format", required_argument, NULL, O_FORMAT}, {"quiet", no_argument, NULL, O_QUIET},
    {"kernel-dir", required_argument, NULL, O_KDIR}, {"host-stores", required_argument, NULL, O_HOST_STORES},
    {"sweep", no_argument, NULL, O_SWEEP}, {"gemm-sizes", required_argument, NULL, O_GEMM_SIZES},
    {"gemm-impl", required_argument, NULL, O_GEMM_IMPL}, {"retune", no_argument, NULL, O_RETUNE},
    {"peak-fp32", required_argument, NULL, O_PEAK_FP32}, {"peak-fp64", required_argument, NULL, O_PEAK_FP64},
    {"help", no_argument, NULL, 'h'}, {NULL, 0, NULL, 0}};

static int pick(const char *opt, const char *v, const char *const *choices, int *out, hb_err *err)
{
    for (int i = 0; choices[i]; i++)
        if (!strcmp(v, choices[i])) {
            *out = i;
            return HB_OK;
        }
    return hb_fail(err, HB_EUSAGE, "%s: unknown value '%s'", opt, v);
}

static void set_defaults(hb_run_opts *o)
{
    memset(o, 0, sizeof *o);
    o->size.is_auto = 1;
    o->iters = 20;
    o->warmup = 2;
    o->tune_iters = 3;
    o->tune = 1;
    o->peaks = (hb_peak_opts){NAN, NAN, NAN, NULL};
    for (const hb_bench *const *b = hb_benches; *b && o->n_benches < 16; b++)
        if (!strcmp((*b)->family, "stream"))
            o->benches[o->n_benches++] = (*b)->name;
    o->dtypes[0] = "f32";
    o->dtypes[1] = "f64";
    o->n_dtypes = 2;
}

static void record_command_line(int argc, char **argv, hb_run_opts *o)
{
    size_t used = (size_t)snprintf(o->command_line, sizeof o->command_line, "hbmbench");
    for (int i = 0; i < argc && used < sizeof o->command_line; i++)
        used += (size_t)snprintf(o->command_line + used, sizeof o->command_line - used, " %s", argv[i]);
}

/* The distinct values of one descriptor field, in table order, NULL-ended. */
static void distinct(int impl, const char **out, int max)
{
    int n = 0;
    for (const hb_bench *const *b = hb_benches; *b && n < max - 2; b++) {
        const char *v = impl ? hb_bench_impl(*b) : (*b)->name;
        int seen = 0;
        for (int i = 0; i < n; i++)
            seen |= !strcmp(out[i], v);
        if (!seen)
            out[n++] = v;
    }
    out[n] = NULL;
}

/* --bench: names from the bench table, or "all" for every one of them. */
static int parse_benches(const char *v, hb_run_opts *o, hb_err *err)
{
    const char *names[20];
    distinct(0, names, 19);
    int n = 0;
    while (names[n])
        n++;
    names[n] = "all";
    names[n + 1] = NULL;
    if (hb_parse_list("--bench", v, names, o->bench_buf, sizeof o->bench_buf, o->benches, 16, &o->n_benches, err))
        return HB_EUSAGE;
    for (int i = 0; i < o->n_benches; i++)
        if (!strcmp(o->benches[i], "all")) {
            for (o->n_benches = 0; o->n_benches < n && o->n_benches < 16; o->n_benches++)
                o->benches[o->n_benches] = names[o->n_benches];
            break;
        }
    return HB_OK;
}

/* --gemm-sizes is checked here, before any device is touched. */
static int parse_gemm_sizes(const char *v, hb_run_opts *o, hb_err *err)
{
    hb_problem probs[64];
    int n;
    if (hb_gemm_parse_sizes(v, probs, 64, &n, err))
        return HB_EUSAGE;
    o->bench_opts.gemm_sizes = v;
    return HB_OK;
}

static int one(int c, const char *v, hb_run_opts *o, hb_err *err)
{
    static const char *const dtype_names[] = {"f32", "f64", "f16", NULL};
    const char *impl_names[8];
    static const char *const tunes[] = {"off", "quick", "full", NULL};
    static const char *const formats[] = {"table", "json", "csv", NULL};
    static const char *const host_stores[] = {"nontemporal", "plain", NULL};
    int fmt = 0;
    switch (c) {
    case O_DEVICE: o->device = v; return HB_OK;
    case O_BENCH: return parse_benches(v, o, err);
    case O_GEMM_SIZES: return parse_gemm_sizes(v, o, err);
    case O_GEMM_IMPL:
        distinct(1, impl_names, 8);
        o->impl_arg = v;
        return hb_parse_list("--gemm-impl", v, impl_names, o->impl_buf, sizeof o->impl_buf, o->impls, 4,
                             &o->n_impls, err);
    case O_RETUNE: o->bench_opts.retune = 1; return HB_OK;
    case O_PEAK_FP32: return hb_parse_positive("--peak-fp32", v, &o->peaks.fp32_gflops, err);
    case O_PEAK_FP64: return hb_parse_positive("--peak-fp64", v, &o->peaks.fp64_gflops, err);
    case O_DTYPE: return hb_parse_list("--dtype", v, dtype_names, o->dtype_buf, sizeof o->dtype_buf, o->dtypes, 4,
                                       &o->n_dtypes, err);
    case O_SIZE: return hb_parse_size("--size", v, &o->size, err);
    case O_ITERS: return hb_parse_int("--iters", v, 1, 100000, &o->iters, err);
    case O_WARMUP: return hb_parse_int("--warmup", v, 0, 100000, &o->warmup, err);
    case O_TUNE_ITERS: return hb_parse_int("--tune-iters", v, 1, 1000, &o->tune_iters, err);
    case O_TUNE: return pick("--tune", v, tunes, &o->tune, err);
    case O_PEAK_BW: return hb_parse_positive("--peak-bw", v, &o->peaks.bw_gbs, err);
    case O_PEAKS: o->peaks.peaks_file = v; return HB_OK;
    case O_OUT: o->out = v; return HB_OK;
    case O_FORCE: o->force = 1; return HB_OK;
    case O_QUIET: o->quiet = 1; return HB_OK;
    case O_SWEEP: o->sweep = 1; return HB_OK;
    case O_KDIR: o->kernel_dir = v; return HB_OK;
    case O_HOST_STORES: return pick("--host-stores", v, host_stores, &o->host_plain_stores, err);
    case O_FORMAT:
        if (pick("--format", v, formats, &fmt, err))
            return HB_EUSAGE;
        o->format = (enum hb_format)fmt;
        return HB_OK;
    default: return hb_fail(err, HB_EUSAGE, "internal: option %d", c);
    }
}

int hb_run_opts_parse(int argc, char **argv, hb_run_opts *o, hb_err *err)
{
    set_defaults(o);
    record_command_line(argc, argv, o);
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
        if (one(c, optarg, o, err))
            return HB_EUSAGE;
    }
    if (optind < argc)
        return hb_fail(err, HB_EUSAGE, "unexpected argument '%s'", argv[optind]);
    return HB_OK;
}
