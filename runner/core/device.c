/* device: the device list and device kinds. */
#include "device.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

const char *hb_device_kind_name(hb_device_kind kind)
{
    static const char *const names[] = {"CPU", "GPU", "ACCELERATOR", "CUSTOM", "HOST", "UNKNOWN"};
    return kind <= HB_KIND_UNKNOWN ? names[kind] : "UNKNOWN";
}

int hb_device_on_host_memory(const hb_device *dev)
{
    return dev->kind == HB_KIND_HOST || dev->kind == HB_KIND_CPU;
}

static void set_unknown(hb_peak_value *v)
{
    v->value = NAN;
    v->src = HB_PEAK_UNKNOWN;
    snprintf(v->detail, sizeof v->detail, "not resolved");
}

hb_device *hb_device_list_add(hb_device_list *list)
{
    hb_device *grown = realloc(list->v, (list->n + 1) * sizeof *grown);
    if (!grown)
        return NULL;
    list->v = grown;
    hb_device *d = &list->v[list->n];
    memset(d, 0, sizeof *d);
    d->index = (int)list->n++;
    set_unknown(&d->peaks.bw_gbs);
    set_unknown(&d->peaks.fp32_gflops);
    set_unknown(&d->peaks.fp64_gflops);
    set_unknown(&d->peaks.link_gbs);
    d->pcie_link_gbs = NAN;
    return d;
}

void hb_device_list_free(hb_device_list *list)
{
    free(list->v);
    memset(list, 0, sizeof *list);
}
