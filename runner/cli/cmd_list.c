/* SPDX-License-Identifier: Apache-2.0 */
/* `hbmbench list`: every device, its place in the topology and its peaks. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "env.h"
#include "commands.h"
#include "json_io.h"
#include "parse.h"
#include "discover.h"
#include "model.h"
#include "model_table.h"
#include "options.h"
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
    "\n";

static const char list_tail[] =
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

static void fill_models(char *buf, size_t len)
{
    const char *names[HB_MAX_MODELS + 1];
    int n = hb_model_names(names, HB_MAX_MODELS + 1);
    buf[0] = '\0';
    for (int i = 0, used = 0; i < n && used < (int)len; i++)
        used += snprintf(buf + used, len - (size_t)used, "%s%s", i ? "," : "", names[i]);
}

enum { O_JSON, O_PEAKS, O_MODEL };

static const hb_opt options[] = {
    {"json", NULL, HB_OPT_FLAG, "print a JSON document (schema in results/schema.json)", .id = O_JSON},
    {"peaks", "FILE", HB_OPT_TEXT, "theoretical peaks from FILE (see docs/usage.md)", .id = O_PEAKS},
    {"model", "LIST", HB_OPT_TEXT,
     "discover only these models (%s); the others are\n"
     "never loaded. The indices are those `run --model LIST` accepts", "every model", .id = O_MODEL,
     .fill = fill_models},
};
#define N_OPTIONS (sizeof options / sizeof options[0])

static void print_usage(FILE *f)
{
    hb_opts_usage(f, list_usage, options, N_OPTIONS, list_tail);
}

typedef struct list_opts {
    int json, n_models;
    hb_peak_opts peaks;
    const char *models[HB_MAX_MODELS];
    char model_buf[64];
} list_opts;

static int one(void *ctx, const hb_opt *opt, const char *v, double num, hb_err *err)
{
    list_opts *o = ctx;
    (void)num;
    if (opt->id == O_JSON) {
        o->json = 1;
    } else if (opt->id == O_PEAKS) {
        o->peaks.peaks_file = v;
    } else {
        const char *names[HB_MAX_MODELS + 1];
        hb_model_names(names, HB_MAX_MODELS + 1);
        return hb_parse_list("--model", v, names, o->model_buf, sizeof o->model_buf, o->models, HB_MAX_MODELS,
                             &o->n_models, err);
    }
    return HB_OK;
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
    list_opts o = {.peaks = {NAN, NAN, NAN, NULL}};
    hb_err err = {0};
    int help = 0;
    if (hb_opts_parse(options, N_OPTIONS, argc, argv, one, &o, NULL, 0, NULL, &help, &err)) {
        fprintf(stderr, "hbmbench list: %s\n", err.msg);
        print_usage(stderr);
        return HB_EUSAGE;
    }
    if (help) {
        print_usage(stdout);
        hb_env_help(stdout);
        return HB_OK;
    }
    if (hb_env_check_all(&err)) {
        fprintf(stderr, "hbmbench list: %s\n", err.msg);
        return err.code;
    }
    int json = o.json, n_models = o.n_models;
    const char **models = o.models;
    hb_peak_opts peaks = o.peaks;
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
