/* SPDX-License-Identifier: Apache-2.0 */
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
#include "model_table.h"
#include "output.h"
#include "peaks_file.h"
#include "text.h"
#include "session.h"

static const char list_usage[] =
    "usage: hbmbench list [--json] [--peaks FILE] [--model LIST]\n"
    "\n"
    "Lists every device of every model: the OpenCL devices the ICD loader offers\n"
    "(PoCL included), the GPUs the CUDA driver offers, then the native host\n"
    "baseline, with the index that `run --device` accepts. A GPU that OpenCL and\n"
    "CUDA both reach (same PCI bus id) is listed once, with both models. A model\n"
    "that finds nothing says why on stderr. A model, or an OpenCL platform, that\n"
    "does not answer within HB_DISCOVERY_TIMEOUT seconds (default 20) is skipped\n"
    "with a message.\n"
    "\n"
    "  --json         print a JSON document (schema in results/schema.json)\n"
    "  --peaks FILE   theoretical peaks from FILE (see docs/usage.md)\n"
    "  --model LIST   discover only these models (%s); the others are\n"
    "                 never loaded. The indices are those `run --model LIST` accepts\n"
    "  -h, --help     this text\n"
    "\n"
    "exit codes: 0 listed; 2 bad usage; 3 no device but the host's (with --model:\n"
    "            a model named found no device)\n";

void hb_warn_unmatched_peaks(const char *cmd, const char *peaks_file, const hb_session *s)
{
    char names[512];
    int n = 0;
    hb_err err = {0};
    if (!peaks_file || hb_peaks_file_unmatched(peaks_file, s->list.v, s->list.n, names, sizeof names, &n, &err) ||
        !n)
        return;
    hb_text_fprintf(stderr, "hbmbench %s: warning: --peaks %s: %d entr%s match%s no device: %s\n", cmd, peaks_file,
                    n, n == 1 ? "y" : "ies", n == 1 ? "es" : "", names);
}

static void print_usage(FILE *f)
{
    const char *names[HB_MAX_MODELS + 1];
    char joined[64] = "";
    int n = hb_model_names(names, HB_MAX_MODELS + 1);
    for (int i = 0, used = 0; i < n && used < (int)sizeof joined; i++)
        used += snprintf(joined + used, sizeof joined - (size_t)used, "%s%s", i ? "," : "", names[i]);
    fprintf(f, list_usage, joined);
}

/* Exit 3 when no runtime answered (without --model), or when a model
 * named found no device: its status says why. */
static int list_status(const hb_device_list *list, int n_models)
{
    if (!n_models)
        return hb_discover_count_runtime(list) ? HB_OK : HB_ENODEV;
    for (int m = 0; m < list->n_models; m++) {
        int found = 0;
        for (size_t i = 0; i < list->n && !found; i++)
            found = hb_device_binding(&list->v[i], list->model_name[m]) >= 0;
        if (!found)
            return HB_ENODEV;
    }
    return HB_OK;
}

int hb_cmd_list(int argc, char **argv)
{
    static const struct option longopts[] = {
        {"json", no_argument, NULL, 'j'}, {"peaks", required_argument, NULL, 'p'},
        {"model", required_argument, NULL, 'm'}, {"help", no_argument, NULL, 'h'}, {NULL, 0, NULL, 0}};
    int json = 0, c, n_models = 0;
    const char *models[HB_MAX_MODELS], *names[HB_MAX_MODELS + 1];
    char model_buf[64];
    hb_peak_opts peaks = {NAN, NAN, NAN, NULL};
    hb_err err = {0};
    opterr = 0;
    optind = 1;
    while ((c = getopt_long(argc, argv, "h", longopts, NULL)) != -1) {
        if (c == 'j')
            json = 1;
        else if (c == 'p')
            peaks.peaks_file = optarg;
        else if (c == 'm') {
            hb_model_names(names, HB_MAX_MODELS + 1);
            if (hb_parse_list("--model", optarg, names, model_buf, sizeof model_buf, models, HB_MAX_MODELS,
                              &n_models, &err)) {
                fprintf(stderr, "hbmbench list: %s\n", err.msg);
                return HB_EUSAGE;
            }
        } else if (c == 'h') {
            print_usage(stdout);
            return HB_OK;
        } else {
            fprintf(stderr, "hbmbench list: unknown or incomplete option '%s'\n", argv[optind - 1]);
            print_usage(stderr);
            return HB_EUSAGE;
        }
    }
    if (optind < argc) {
        fprintf(stderr, "hbmbench list: unexpected argument '%s'\n", argv[optind]);
        print_usage(stderr);
        return HB_EUSAGE;
    }
    hb_session s;
    if (hb_session_open_models(&s, &peaks, models, n_models, &err)) {
        hb_text_fprintf(stderr, "hbmbench list: %s\n", err.msg);
        return err.code;
    }
    hb_warn_unmatched_peaks("list", peaks.peaks_file, &s);
    if (json) {
        char *text = hb_json_devices_dumps(s.list.v, s.list.n);
        if (text)
            puts(text);
        free(text);
    } else {
        for (size_t i = 0; i < s.list.n; i++)
            hb_print_device(stdout, &s.list.v[i]);
    }
    /* Each model that found nothing says why; the exit code says so too. */
    for (int m = 0; m < s.list.n_models; m++)
        if (s.list.model_status[m][0])
            hb_text_fprintf(stderr, "hbmbench list: %s: %s\n", s.list.model_name[m], s.list.model_status[m]);
    int rc = list_status(&s.list, n_models);
    hb_session_close(&s);
    return rc;
}
