#include "run_opts.h"

#include <getopt.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "bench.h"

const char hb_run_usage[] =
    "usage: hbmbench run [options]\n"
    "\n"
    "Runs the stream benchmarks on the selected devices, verifies every result,\n"
    "prints a table and writes a JSON result file.\n"
    "\n"
    "  --device SEL      index from `hbmbench list`, case-insensitive name substring,\n"
    "                    'host' (native baseline) or 'all'; comma-separated list.\n"
    "                    Default: every GPU/accelerator, else the CPU device\n"
    "  --bench LIST      copy,scale,add,triad,dot,read,write (default: all)\n"
    "  --dtype LIST      f32,f64 (default: both; f64 only where the device has it)\n"
    "  --size SIZE       per array: auto (default), bytes with a unit (512MiB, 2GB)\n"
    "                    or an element count (33554432)\n"
    "  --sweep           stream kernels at sizes from 4 KiB per array up to --size\n"
    "                    in x2 steps (the cache hierarchy shows); sweep points\n"
    "                    below --size use the default configuration\n"
    "  --iters N         timed iterations per measurement (default 20)\n"
    "  --warmup N        untimed iterations before each batch (default 2)\n"
    "  --tune MODE       quick (default), full (whole grid) or off (default config)\n"
    "  --tune-iters N    timed iterations per tuning point (default 3)\n"
    "  --peak-bw GBPS    theoretical peak bandwidth, GB/s (1e9 B/s), for every device\n"
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
       O_OUT, O_FORCE, O_FORMAT, O_QUIET, O_KDIR, O_HOST_STORES, O_SWEEP };

static const struct option longopts[] = {
    {"device", required_argument, NULL, O_DEVICE}, {"bench", required_argument, NULL, O_BENCH},
    {"dtype", required_argument, NULL, O_DTYPE}, {"size", required_argument, NULL, O_SIZE},
    {"iters", required_argument, NULL, O_ITERS}, {"warmup", required_argument, NULL, O_WARMUP},
    {"tune", required_argument, NULL, O_TUNE}, {"tune-iters", required_argument, NULL, O_TUNE_ITERS},
    {"peak-bw", required_argument, NULL, O_PEAK_BW}, {"peaks", required_argument, NULL, O_PEAKS},
    {"out", required_argument, NULL, O_OUT}, {"force", no_argument, NULL, O_FORCE},
    {"format", required_argument, NULL, O_FORMAT}, {"quiet", no_argument, NULL, O_QUIET},
    {"kernel-dir", required_argument, NULL, O_KDIR}, {"host-stores", required_argument, NULL, O_HOST_STORES},
    {"sweep", no_argument, NULL, O_SWEEP}, {"help", no_argument, NULL, 'h'}, {NULL, 0, NULL, 0}};

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

static int one(int c, const char *v, hb_run_opts *o, hb_err *err)
{
    static const char *const bench_names[] = {"copy", "scale", "add", "triad", "dot", "read", "write", NULL};
    static const char *const dtype_names[] = {"f32", "f64", NULL};
    static const char *const tunes[] = {"off", "quick", "full", NULL};
    static const char *const formats[] = {"table", "json", "csv", NULL};
    static const char *const host_stores[] = {"nontemporal", "plain", NULL};
    int fmt = 0;
    switch (c) {
    case O_DEVICE: o->device = v; return HB_OK;
    case O_BENCH: return hb_parse_list("--bench", v, bench_names, o->bench_buf, sizeof o->bench_buf, o->benches, 16,
                                       &o->n_benches, err);
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
