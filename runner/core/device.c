/* SPDX-License-Identifier: Apache-2.0 */
/* device: the device list and device kinds. */
#include "device.h"

#include <math.h>
#include <strings.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "model.h"

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

static int bound_to(const hb_device *d, const struct hb_model *m)
{
    for (int b = 0; b < d->n_bindings; b++)
        if (d->bindings[b].model == m)
            return 1;
    return 0;
}

/* Whether later device j is the physical device i through another model. */
static int same_device(const hb_device *i, const hb_device *j)
{
    return i->kind != HB_KIND_HOST && j->kind != HB_KIND_HOST && i->has_pci && j->has_pci &&
           !strcasecmp(i->pci_bus_id, j->pci_bus_id) && !bound_to(i, j->model) &&
           i->n_bindings < HB_MAX_MODELS;
}

void hb_device_uuid_format(const unsigned char b[16], const char *prefix, char *out, size_t len)
{
    snprintf(out, len, "%s%02x%02x%02x%02x-%02x%02x-%02x%02x-%02x%02x-%02x%02x%02x%02x%02x%02x", prefix, b[0], b[1],
             b[2], b[3], b[4], b[5], b[6], b[7], b[8], b[9], b[10], b[11], b[12], b[13], b[14], b[15]);
}

void hb_device_identity_note(hb_device *dev, const char *what)
{
    size_t used = strlen(dev->identity_detail);
    if (used + 1 < sizeof dev->identity_detail)
        snprintf(dev->identity_detail + used, sizeof dev->identity_detail - used, "%s%s", used ? "; " : "", what);
}

/* A vendor's own UUID (CUDA's "GPU-..." form, nvidia-smi's) is kept over
 * OpenCL's spelling of the same bytes. */
static void fold_identity(hb_device *into, const hb_device *from)
{
    if (from->uuid[0] && (!into->uuid[0] || !strcmp(into->uuid_source, "cl_khr_device_uuid"))) {
        memcpy(into->uuid, from->uuid, sizeof into->uuid);
        memcpy(into->uuid_source, from->uuid_source, sizeof into->uuid_source);
        memcpy(into->identity_detail, from->identity_detail, sizeof into->identity_detail);
    } else if (!into->uuid[0] && !into->identity_detail[0]) {
        memcpy(into->identity_detail, from->identity_detail, sizeof into->identity_detail);
    }
    if (!into->serial[0])
        memcpy(into->serial, from->serial, sizeof into->serial);
}

static void fold(hb_device *into, const hb_device *from)
{
    into->bindings[into->n_bindings++] = from->bindings[0];
    fold_identity(into, from);
    if (!into->cc_major)
        into->cc_major = from->cc_major, into->cc_minor = from->cc_minor;
    if (!into->pci_vendor_id)
        into->pci_vendor_id = from->pci_vendor_id, into->pci_device_id = from->pci_device_id;
    if (!into->board_name[0])
        memcpy(into->board_name, from->board_name, sizeof into->board_name);
}

size_t hb_device_list_merge(hb_device_list *list)
{
    for (size_t i = 0; i < list->n; i++) {
        hb_device *d = &list->v[i];
        if (d->n_bindings == 0) {
            hb_binding *b = &d->bindings[0]; /* library: as discovery left it */
            b->model = d->model;
            b->handle[0] = d->handle[0], b->handle[1] = d->handle[1];
            b->global_mem_bytes = d->global_mem_bytes;
            b->max_alloc_bytes = d->max_alloc_bytes;
            b->global_cache_bytes = d->global_cache_bytes;
            d->n_bindings = 1;
        }
    }
    size_t kept = 0, folded = 0;
    for (size_t j = 0; j < list->n; j++) {
        size_t i = 0;
        while (i < kept && !same_device(&list->v[i], &list->v[j]))
            i++;
        if (i < kept) {
            fold(&list->v[i], &list->v[j]);
            folded++;
            continue;
        }
        if (kept != j)
            list->v[kept] = list->v[j];
        list->v[kept].index = (int)kept;
        kept++;
    }
    list->n = kept;
    return folded;
}

hb_device hb_device_bound(const hb_device *dev, int b)
{
    hb_device d = *dev;
    if (b >= 0 && b < dev->n_bindings) {
        const hb_binding *x = &dev->bindings[b];
        d.model = x->model;
        d.handle[0] = x->handle[0];
        d.handle[1] = x->handle[1];
        d.global_mem_bytes = x->global_mem_bytes;
        d.max_alloc_bytes = x->max_alloc_bytes;
        d.global_cache_bytes = x->global_cache_bytes;
    }
    return d;
}

int hb_device_binding(const hb_device *dev, const char *name)
{
    for (int b = 0; b < dev->n_bindings; b++)
        if (dev->bindings[b].model && !strcmp(dev->bindings[b].model->name, name))
            return b;
    return -1;
}

void hb_device_models(const hb_device *dev, char *buf, size_t len)
{
    size_t used = 0;
    buf[0] = '\0';
    for (int b = 0; b < dev->n_bindings && used < len; b++)
        used += (size_t)snprintf(buf + used, len - used, "%s%s", b ? ", " : "",
                                 dev->bindings[b].model ? dev->bindings[b].model->name : "?");
    if (!dev->n_bindings && dev->model)
        snprintf(buf, len, "%s", dev->model->name);
}
