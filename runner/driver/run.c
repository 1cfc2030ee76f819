/* SPDX-License-Identifier: Apache-2.0 */
/* run: a whole run: its repetitions (--repeat), and in each every chosen
 * device, one after another (run_devices.c) or all at once (concurrent.c). */
#include <stdio.h>

#include "concurrent.h"
#include "hb_signal.h"
#include "progress.h"
#include "run_devices.h"

/* The measurements the whole run plans, in the order below: each chosen
 * device once per wanted model, or with --concurrent each device alone
 * (unless --solo) and then together; times the repetitions. */
static int planned(const hb_run_plan *plan, const hb_session *s, const int *chosen)
{
    int per_rep = 0;
    for (size_t i = 0; i < s->list.n; i++) {
        const hb_device *dev = &s->list.v[i];
        if (!chosen[i])
            continue;
        if (plan->concurrent)
            per_rep += hb_run_planned(plan, s, dev) * (plan->solo_file ? 1 : 2);
        for (int b = 0; !plan->concurrent && b < dev->n_bindings; b++)
            if (hb_plan_wants(plan, dev, b)) {
                hb_device bound = hb_device_bound(dev, b);
                per_rep += hb_run_planned(plan, s, &bound);
            }
    }
    return per_rep * (plan->repeat > 1 ? plan->repeat : 1);
}

int hb_run_devices(const hb_run_plan *plan, const hb_session *s, const int *chosen, hb_result_list *out,
                   int *failed)
{
    int reps = plan->repeat > 1 ? plan->repeat : 1;
    if (plan->progress) {
        hb_progress_plan(plan->progress, planned(plan, s, chosen));
        hb_progress_listen(plan->progress);
    }
    for (int rep = 1; rep <= reps && !hb_signal_stop(); rep++) {
        size_t from = out->n;
        if (reps > 1)
            hb_run_say(plan, "hbmbench run: repetition %d of %d", rep, reps);
        if (plan->concurrent)
            hb_run_concurrent(plan, s, chosen, out, failed);
        for (size_t i = 0; !plan->concurrent && i < s->list.n && !hb_signal_stop(); i++)
            for (int b = 0; chosen[i] && b < s->list.v[i].n_bindings && !hb_signal_stop(); b++) {
                const hb_device *dev = &s->list.v[i];
                if (!hb_plan_wants(plan, dev, b))
                    continue;
                /* a device several models reach is measured once per wanted model */
                hb_device bound = hb_device_bound(dev, b);
                if (dev->n_bindings > 1)
                    hb_run_say(plan, "hbmbench run: [%d] %s through the %s model", dev->index, dev->name,
                        bound.model->name);
                hb_run_device(plan, s, &bound, rep == 1, out, failed);
            }
        for (size_t i = from; reps > 1 && i < out->n; i++)
            out->v[i].repetition = rep;
        if (plan->after_repetition)
            plan->after_repetition(rep, out, plan->after_arg);
    }
    if (plan->progress)
        hb_progress_listen(NULL);
    return HB_OK;
}
