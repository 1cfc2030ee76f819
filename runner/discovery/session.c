/* SPDX-License-Identifier: Apache-2.0 */
/* session: what every command starts from (session.h). */
#include "session.h"
#include "host_collect.h"
#include "nvml_identity.h"
#include "place_hwloc.h"
#include "scheduler_env.h"

#include <string.h>

int hb_session_open(hb_session *s, const hb_peak_opts *peaks, hb_err *err)
{
    return hb_session_open_models(s, peaks, NULL, 0, err);
}

int hb_session_open_models(hb_session *s, const hb_peak_opts *peaks, const char *const *models, int n_models,
                           hb_err *err)
{
    memset(s, 0, sizeof *s);
    if (hb_discover_models(&s->list, models, n_models, err))
        return err->code;
    if (hb_topology_load(&s->topo, NULL, err) || hb_host_info_collect(&s->topo, &s->host, err)) {
        hb_session_close(s);
        return err->code;
    }
    hb_place_init(&s->place, s->topo.topo);
    for (size_t i = 0; i < s->list.n; i++)
        if (hb_topology_locate(&s->topo, &s->list.v[i], err) || hb_peak_resolve(&s->list.v[i], peaks, err)) {
            hb_session_close(s);
            return err->code;
        }
    hb_nvml_identity(s->list.v, s->list.n);
    hb_scheduler_from_env(&s->scheduler);
    return HB_OK;
}

void hb_session_close(hb_session *s)
{
    hb_device_list_free(&s->list);
    hb_topology_free(&s->topo);
}
