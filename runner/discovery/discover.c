/* discover: asks each model for its devices. */
#include "discover.h"

#include <string.h>

#include "model_table.h"

int hb_discover(hb_device_list *list, hb_err *err)
{
    memset(list, 0, sizeof *list);
    for (const hb_model *const *m = hb_models; *m && list->n_models < HB_MAX_MODELS; m++) {
        int i = list->n_models++;
        list->model_name[i] = (*m)->name;
        if ((*m)->discover(list, list->model_status[i], sizeof list->model_status[i], err)) {
            hb_device_list_free(list);
            return err->code ? err->code : HB_EFAIL;
        }
    }
    hb_device_list_merge(list);
    return HB_OK;
}

size_t hb_discover_count_runtime(const hb_device_list *list)
{
    size_t n = 0;
    for (size_t i = 0; i < list->n; i++)
        n += list->v[i].kind != HB_KIND_HOST;
    return n;
}
