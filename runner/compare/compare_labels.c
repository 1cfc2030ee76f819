/* SPDX-License-Identifier: Apache-2.0 */
/* compare_labels: how compare names a result: whether it is judged by
 * FLOP/s, its bench and size labels, and the device record it belongs to.
 * Shared by the matching (compare_match.c), the environment check
 * (compare_env.c) and the output (compare_output.c), which need nothing
 * else of each other. */
#include "compare.h"

#include <stdio.h>
#include <string.h>

#include "parse.h"

/* The model is shown where it is not the one a file without models meant. */
void hb_cmp_bench_label(const hb_result *r, char *buf, size_t len)
{
    const char *model = r->model[0] && strcmp(r->model, "opencl") && strcmp(r->model, "host") ? r->model : NULL;
    if (r->implementation[0] && strcmp(r->implementation, "hbmbench") != 0)
        snprintf(buf, len, "%s/%s%s%s", r->bench, r->implementation, model ? "@" : "", model ? model : "");
    else
        snprintf(buf, len, "%s%s%s", r->bench, model ? "@" : "", model ? model : "");
}

/* m, n, k are -1 where they do not apply (the reader's "absent"); the
 * roofline's k = 0 is a real point. */
void hb_cmp_size_label(const hb_result *r, char *buf, size_t len)
{
    if (r->m > 0 && r->n > 0 && r->k >= 0) {
        snprintf(buf, len, "%lldx%lldx%lld", (long long)r->m, (long long)r->n, (long long)r->k);
        return;
    }
    hb_result_size_label(r, buf, len);
    if (r->k >= 0) {
        size_t used = strlen(buf);
        snprintf(buf + used, len - used, " k=%lld", (long long)r->k);
    }
}

const hb_device *hb_cmp_device_of(const hb_run *run, const hb_result *r)
{
    /* The runner lists devices by index, so this is usually the one; the
     * search is for files where it is not. */
    size_t at = (size_t)r->device_index;
    if (r->device_index >= 0 && at < run->n_devices && run->devices[at].index == r->device_index
        && !strcmp(run->devices[at].name, r->device))
        return &run->devices[at];
    for (size_t i = 0; i < run->n_devices; i++)
        if (run->devices[i].index == r->device_index && !strcmp(run->devices[i].name, r->device))
            return &run->devices[i];
    return NULL;
}

const char *hb_cmp_side_model(const hb_cmp *c, int side, const hb_result *r)
{
    const char *forced = c->side_model[side ? 1 : 0];
    return forced ? forced : r->model;
}

const char *hb_cmp_host_of(const hb_run *run, const hb_result *r)
{
    return r->node[0] ? r->node : run->host.hostname;
}
