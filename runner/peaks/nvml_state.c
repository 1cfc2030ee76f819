/* nvml_state: an NVIDIA GPU's state through NVML (nvml_state.h). */
#include "nvml_state.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "nvml_api.h"

#define DROP 0.05 /* a clock more than 5% lower after than before */

struct hb_gpu_probe {
    hb_nvml_api api;
    hb_nvml_device_t h;
};

hb_gpu_probe *hb_gpu_probe_open(const hb_device *dev)
{
    char why[160];
    if (!dev->has_pci || !strcasestr(dev->vendor, "NVIDIA") || dev->kind == HB_KIND_HOST)
        return NULL;
    hb_gpu_probe *p = calloc(1, sizeof *p);
    if (!p)
        return NULL;
    if (!hb_nvml_load(&p->api, why, sizeof why)) {
        free(p);
        return NULL;
    }
    if (!hb_nvml_handle(&p->api, dev, &p->h, why, sizeof why)) {
        hb_gpu_probe_close(p);
        return NULL;
    }
    return p;
}

void hb_gpu_probe_close(hb_gpu_probe *p)
{
    if (!p)
        return;
    hb_nvml_unload(&p->api);
    free(p);
}

static double clock_of(const hb_gpu_probe *p, int which)
{
    unsigned v = 0;
    return p->api.clock && p->api.clock(p->h, which, &v) == HB_NVML_SUCCESS ? (double)v : NAN;
}

void hb_gpu_probe_sample(hb_gpu_probe *p, hb_gpu_state *out)
{
    const hb_nvml_api *a = &p->api;
    unsigned v = 0, cur = 0, pend = 0;
    unsigned long long mask = 0;
    *out = (hb_gpu_state){NAN, NAN, NAN, NAN, -1, 0, 0};
    out->sm_mhz = clock_of(p, HB_NVML_CLOCK_SM);
    out->mem_mhz = clock_of(p, HB_NVML_CLOCK_MEM);
    if (a->temperature && a->temperature(p->h, HB_NVML_TEMPERATURE_GPU, &v) == HB_NVML_SUCCESS)
        out->temp_c = v;
    if (a->power && a->power(p->h, &v) == HB_NVML_SUCCESS)
        out->power_w = v / 1000.0; /* milliwatts */
    if (a->ecc_mode && a->ecc_mode(p->h, &cur, &pend) == HB_NVML_SUCCESS)
        out->ecc = cur == 1;
    if (a->event_reasons && a->event_reasons(p->h, &mask) == HB_NVML_SUCCESS) {
        out->have_reasons = 1;
        out->reasons = mask;
    }
}

void hb_gpu_reason_names(unsigned long long mask, char *buf, size_t len)
{
    size_t used = 0;
    buf[0] = '\0';
    for (unsigned b = 0; b < 64 && used < len; b++) {
        if (!(mask >> b & 1))
            continue;
        const char *name = hb_gpu_reason_name(b, NULL);
        used += name ? (size_t)snprintf(buf + used, len - used, "%s%s", used ? "," : "", name)
                     : (size_t)snprintf(buf + used, len - used, "%sbit%u", used ? "," : "", b);
    }
}

static unsigned long long slowdowns(const hb_gpu_state *s)
{
    unsigned long long m = 0;
    int slow = 0;
    for (unsigned b = 0; hb_gpu_reason_name(b, &slow); b++)
        if (slow)
            m |= 1ULL << b;
    return s->have_reasons ? s->reasons & m : 0;
}

static int dropped(double before, double after)
{
    return !isnan(before) && !isnan(after) && after < before * (1 - DROP);
}

void hb_gpu_judge(hb_telemetry *t, char *why, size_t len)
{
    size_t used = 0;
    why[0] = '\0';
    int sm = dropped(t->before.sm_mhz, t->after.sm_mhz), mem = dropped(t->before.mem_mhz, t->after.mem_mhz);
    unsigned long long slow = slowdowns(&t->before) | slowdowns(&t->after);
    t->clocks_dropped = sm || mem;
    t->throttled = slow != 0;
    if (sm)
        used += (size_t)snprintf(why + used, len - used, "SM clock fell from %.0f to %.0f MHz", t->before.sm_mhz,
                                 t->after.sm_mhz);
    if (mem && used < len)
        used += (size_t)snprintf(why + used, len - used, "%smemory clock fell from %.0f to %.0f MHz",
                                 used ? ", " : "", t->before.mem_mhz, t->after.mem_mhz);
    if (slow && used < len) {
        char names[160];
        hb_gpu_reason_names(slow, names, sizeof names);
        snprintf(why + used, len - used, "%sthe GPU throttled (NVML: %s)", used ? "; " : "", names);
    }
}
