/* SPDX-License-Identifier: Apache-2.0 */
/* whole_run: a whole run: its repetitions (--repeat), and in each every chosen
 * device, one after another (run_devices.c) or all at once (concurrent.c). */
#include "whole_run.h"

#include <stdio.h>
#include <stdlib.h>

#include "concurrent.h"
#include "hb_signal.h"
#include "progress.h"
#include "run_devices.h"

/* The measurements the whole run plans, in the order below: each unit
 * (a chosen device through a wanted model), or with --concurrent each unit
 * alone (unless --solo) and then together; times the repetitions. */
static int planned(const hb_run_plan *plan, const hb_session *s, const hb_plan_unit *u, int n)
{
    int per_rep = 0;
    for (int i = 0; i < n; i++)
        per_rep += hb_run_planned(plan, s, &u[i].bound) * (plan->concurrent && !plan->solo_file ? 2 : 1);
    return per_rep * (plan->repeat > 1 ? plan->repeat : 1);
}

int hb_run_devices(const hb_run_plan *plan, const hb_session *s, const int *chosen, hb_result_list *out,
                   int *failed)
{
    int reps = plan->repeat > 1 ? plan->repeat : 1, n = 0;
    hb_plan_unit *u = hb_plan_units(plan, s, chosen, &n);
    if (n < 0) {
        fprintf(stderr, "hbmbench run: out of memory\n");
        *failed = 1;
        return HB_EFAIL;
    }
    if (plan->progress) {
        hb_progress_plan(plan->progress, planned(plan, s, u, n));
        hb_progress_listen(plan->progress);
    }
    hb_run_plan rp = *plan; /* with the repetition each result carries */
    for (int rep = 1; rep <= reps && !hb_signal_stop(); rep++) {
        rp.repetition = reps > 1 ? rep : 0;
        if (reps > 1)
            hb_run_say(&rp, "hbmbench run: repetition %d of %d", rep, reps);
        if (rp.concurrent)
            hb_run_concurrent(&rp, s, u, n, out, failed);
        for (int i = 0; !rp.concurrent && i < n && !hb_signal_stop(); i++) {
            const hb_device *dev = &s->list.v[u[i].device];
            /* a device several models reach is measured once per wanted model */
            if (dev->n_bindings > 1)
                hb_run_say(&rp, "hbmbench run: [%d] %s through the %s model", dev->index, dev->name,
                    u[i].bound.model->name);
            hb_run_device(&rp, s, &u[i].bound, rep == 1, out, failed);
        }
        if (rp.after_repetition)
            rp.after_repetition(rep, out, rp.after_arg);
    }
    if (plan->progress)
        hb_progress_listen(NULL);
    free(u);
    return HB_OK;
}
