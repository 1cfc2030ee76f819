/* `hbmbench list`: every device, its place in the topology and its peaks. */
#include <getopt.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "commands.h"
#include "json_io.h"
#include "parse.h"
#include "discover.h"
#include "model.h"
#include "session.h"

static const char list_usage[] =
    "usage: hbmbench list [--json] [--peaks FILE]\n"
    "\n"
    "Lists every device of every model: the OpenCL devices the ICD loader offers\n"
    "(PoCL included), the GPUs the CUDA driver offers, then the native host\n"
    "baseline, with the index that `run --device` accepts. A GPU that OpenCL and\n"
    "CUDA both reach (same PCI bus id) is listed once, with both models. A model\n"
    "that finds nothing says why on stderr.\n"
    "\n"
    "  --json         print a JSON document (schema in results/schema.json)\n"
    "  --peaks FILE   theoretical peaks from FILE (see README.md)\n"
    "  -h, --help     this text\n"
    "\n"
    "exit codes: 0 listed; 2 bad usage; 3 no device but the host's\n";

static void print_peak(const char *what, const char *unit, const hb_peak_value *p)
{
    if (isnan(p->value))
        printf("    %-15s unknown (%s)\n", what, p->detail);
    else
        printf("    %-15s %.1f %s [%s] %s\n", what, p->value, unit, hb_peak_src_name(p->src), p->detail);
}

static void print_device(const hb_device *d)
{
    char gm[32], ma[32], gc[32], lm[32];
    printf("[%d] %s\n", d->index, d->name);
    if (d->kind == HB_KIND_HOST) {
        printf("    native STREAM on the host CPUs (no OpenCL), model %s, scope %s; select with --device host\n",
               d->model->name, d->scope);
    } else {
        hb_format_bytes(d->global_mem_bytes, gm, sizeof gm);
        hb_format_bytes(d->max_alloc_bytes, ma, sizeof ma);
        hb_format_bytes(d->global_cache_bytes, gc, sizeof gc);
        hb_format_bytes(d->local_mem_bytes, lm, sizeof lm);
        char models[64], cc[32] = "";
        hb_device_models(d, models, sizeof models);
        if (d->cc_major)
            snprintf(cc, sizeof cc, "; compute capability %d.%d", d->cc_major, d->cc_minor);
        printf("    type %s, vendor %s, platform %s, model%s %s\n", d->type, d->vendor, d->platform_name,
               d->n_bindings > 1 ? "s" : "", models);
        if (d->cl_version[0])
            printf("    driver %s; %s; %s%s\n", d->driver_version, d->cl_version, d->clc_version, cc);
        else
            printf("    driver %s; %s%s\n", d->driver_version, d->clc_version, cc);
        printf("    %u compute units, max clock %u MHz, fp64 %s, fp16 %s, max work-group %zu\n", d->compute_units,
               d->max_clock_mhz, d->fp64 ? "yes" : "no", d->fp16 ? "yes" : "no", d->max_work_group_size);
        printf("    global memory %s, max allocation %s, global cache %s (line %u B), local memory %s\n", gm, ma, gc,
               d->cache_line_bytes, lm);
    }
    printf("    PCI %s; NUMA node(s) %s; CPUs %s (%u cores, %u PUs); locality: %s\n",
           d->has_pci ? d->pci_bus_id : "none", d->numa_nodes, d->cpuset, d->n_cores, d->n_pus, d->locality_source);
    print_peak("peak bandwidth", "GB/s", &d->peaks.bw_gbs);
    print_peak("peak fp32", "GFLOP/s", &d->peaks.fp32_gflops);
    print_peak("peak fp64", "GFLOP/s", &d->peaks.fp64_gflops);
}

int hb_cmd_list(int argc, char **argv)
{
    static const struct option longopts[] = {
        {"json", no_argument, NULL, 'j'}, {"peaks", required_argument, NULL, 'p'},
        {"help", no_argument, NULL, 'h'}, {NULL, 0, NULL, 0}};
    int json = 0, c;
    hb_peak_opts peaks = {NAN, NAN, NAN, NULL};
    opterr = 0;
    optind = 1;
    while ((c = getopt_long(argc, argv, "h", longopts, NULL)) != -1) {
        if (c == 'j')
            json = 1;
        else if (c == 'p')
            peaks.peaks_file = optarg;
        else if (c == 'h') {
            fputs(list_usage, stdout);
            return HB_OK;
        } else {
            fprintf(stderr, "hbmbench list: unknown or incomplete option '%s'\n%s", argv[optind - 1], list_usage);
            return HB_EUSAGE;
        }
    }
    if (optind < argc) {
        fprintf(stderr, "hbmbench list: unexpected argument '%s'\n%s", argv[optind], list_usage);
        return HB_EUSAGE;
    }
    hb_session s;
    hb_err err = {0};
    if (hb_session_open(&s, &peaks, &err)) {
        fprintf(stderr, "hbmbench list: %s\n", err.msg);
        return err.code;
    }
    if (json) {
        char *text = hb_json_devices_dumps(s.list.v, s.list.n);
        if (text)
            puts(text);
        free(text);
    } else {
        for (size_t i = 0; i < s.list.n; i++)
            print_device(&s.list.v[i]);
    }
    /* Each model that found nothing says why; with no device but the
     * host's, the exit code says so too. */
    for (int m = 0; m < s.list.n_models; m++)
        if (s.list.model_status[m][0])
            fprintf(stderr, "hbmbench list: %s: %s\n", s.list.model_name[m], s.list.model_status[m]);
    int rc = hb_discover_count_runtime(&s.list) ? HB_OK : HB_ENODEV;
    hb_session_close(&s);
    return rc;
}
