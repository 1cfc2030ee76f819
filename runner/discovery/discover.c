/* SPDX-License-Identifier: Apache-2.0 */
/* discover: asks each wanted model for its devices, each within the
 * discovery limit (deadline.h). */
#include "discover.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "deadline.h"
#include "model_table.h"

/* A model may time steps of its own out within the same limit (OpenCL:
 * its ICD loader, then each platform) and name what did not answer; it
 * gets a second and a quarter of the limit longer here, to come back with
 * what did on a loaded machine. */
static double with_grace(double limit)
{
    return limit + 1.0 + limit / 4;
}

/* One model's discovery in a thread of its own: it writes only here. */
typedef struct model_job {
    const hb_model *model;
    hb_device_list list;
    char status[sizeof ((hb_device_list *)0)->model_status[0]];
    hb_err err;
    int rc;
} model_job;

static void job_run(void *p)
{
    model_job *j = p;
    j->rc = j->model->discover(&j->list, j->status, sizeof j->status, &j->err);
}

static void job_free(void *p)
{
    model_job *j = p;
    hb_device_list_free(&j->list);
    free(j);
}

/* Appends the job's devices to list, keeping list's numbering. */
static int take_devices(const hb_device_list *from, hb_device_list *list, hb_err *err)
{
    for (size_t i = 0; i < from->n; i++) {
        hb_device *d = hb_device_list_add(list);
        if (!d)
            return hb_fail(err, HB_EFAIL, "out of memory listing devices");
        int index = d->index;
        *d = from->v[i];
        d->index = index;
    }
    return HB_OK;
}

/* Model m's devices into list and its status line into status; a model
 * that does not answer within the limit is skipped with a message. */
static int discover_one(const hb_model *m, double limit, hb_device_list *list, char *status, size_t status_len,
                        hb_err *err)
{
    if (!(limit > 0))
        return m->discover(list, status, status_len, err);
    model_job *j = calloc(1, sizeof *j);
    if (!j)
        return hb_fail(err, HB_EFAIL, "out of memory");
    j->model = m;
    hb_deadline until = hb_deadline_in(with_grace(limit));
    hb_deadline_job *job = hb_deadline_start(job_run, j, job_free, err);
    if (!job)
        return HB_EFAIL;
    int rc = HB_OK;
    if (hb_deadline_wait(job, &until)) {
        snprintf(status, status_len, "%s", j->status);
        rc = j->rc ? (*err = j->err, j->rc) : take_devices(&j->list, list, err);
    } else {
        hb_deadline_warn(m->name, "discovery", limit);
        snprintf(status, status_len, "discovery did not answer within %g s; skipped (HB_DISCOVERY_TIMEOUT)", limit);
    }
    hb_deadline_release(job);
    return rc;
}

static int wanted(const hb_model *m, const char *const *models, int n_models)
{
    for (int i = 0; i < n_models; i++)
        if (!strcmp(models[i], m->name))
            return 1;
    return n_models == 0;
}

int hb_discover_models(hb_device_list *list, const char *const *models, int n_models, hb_err *err)
{
    memset(list, 0, sizeof *list);
    double limit;
    if (hb_discovery_timeout(&limit, err))
        return err->code;
    for (const hb_model *const *m = hb_models; *m && list->n_models < HB_MAX_MODELS; m++) {
        if (!wanted(*m, models, n_models))
            continue; /* never asked, so its runtime is never loaded */
        int i = list->n_models++;
        list->model_name[i] = (*m)->name;
        if (discover_one(*m, limit, list, list->model_status[i], sizeof list->model_status[i], err)) {
            hb_device_list_free(list);
            return err->code ? err->code : HB_EFAIL;
        }
    }
    hb_device_list_merge(list);
    return HB_OK;
}

int hb_discover(hb_device_list *list, hb_err *err)
{
    return hb_discover_models(list, NULL, 0, err);
}

size_t hb_discover_count_runtime(const hb_device_list *list)
{
    size_t n = 0;
    for (size_t i = 0; i < list->n; i++)
        n += list->v[i].kind != HB_KIND_HOST;
    return n;
}
