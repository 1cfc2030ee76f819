/* SPDX-License-Identifier: Apache-2.0 */
/* nvml_state: an NVIDIA GPU's state through NVML (nvml_state.h). */
#include "nvml_state.h"

#include <math.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "hb_clock.h"
#include "hb_signal.h"
#include "nvml_api.h"
#include "stats.h"

#define DROP 0.05 /* a clock more than 5% lower after than before */
#define MAX_SAMPLES (1u << 20) /* over 7 hours at the period: a window longer than that keeps its first part */

/* The window's sampler (nvml_state.h): its thread, and the samples it has
 * taken. */
typedef struct sampler {
    pthread_t thread;
    pthread_mutex_t mu;
    pthread_cond_t wake;
    int running, stop;
    double t0;                 /* when the window began */
    hb_gpu_state *v;
    size_t n, cap;
} sampler;

struct hb_gpu_probe {
    hb_nvml_api api;
    hb_nvml_device_t h;
    sampler s;
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

static void window_stop(hb_gpu_probe *p);

void hb_gpu_probe_close(hb_gpu_probe *p)
{
    if (!p)
        return;
    window_stop(p);
    free(p->s.v);
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

/* ---- the window ---- */

/* An absolute CLOCK_MONOTONIC time, s seconds ahead, for the timed wait
 * (the condition variable is made on that clock). */
static struct timespec deadline(double s)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    long long ns = ts.tv_nsec + (long long)(s * 1e9);
    ts.tv_sec += (time_t)(ns / 1000000000);
    ts.tv_nsec = (long)(ns % 1000000000);
    return ts;
}

static void keep(sampler *s, const hb_gpu_state *g)
{
    if (s->n == s->cap) {
        size_t cap = s->cap ? 2 * s->cap : 64;
        hb_gpu_state *v = cap <= MAX_SAMPLES ? realloc(s->v, cap * sizeof *v) : NULL;
        if (!v)
            return; /* the window keeps what it has */
        s->v = v;
        s->cap = cap;
    }
    s->v[s->n++] = *g;
}

/* The thread: a sample now, then one every period until told to stop. */
static void *sample_loop(void *arg)
{
    hb_gpu_probe *p = arg;
    sampler *s = &p->s;
    pthread_mutex_lock(&s->mu);
    while (!s->stop) {
        pthread_mutex_unlock(&s->mu);
        hb_gpu_state g;
        hb_gpu_probe_sample(p, &g);
        pthread_mutex_lock(&s->mu);
        keep(s, &g);
        struct timespec until = deadline(HB_GPU_PERIOD_S);
        while (!s->stop && pthread_cond_timedwait(&s->wake, &s->mu, &until) == 0)
            ;
    }
    pthread_mutex_unlock(&s->mu);
    return NULL;
}

static void window_stop(hb_gpu_probe *p)
{
    sampler *s = &p->s;
    if (!s->running)
        return;
    pthread_mutex_lock(&s->mu);
    s->stop = 1;
    pthread_cond_signal(&s->wake);
    pthread_mutex_unlock(&s->mu);
    pthread_join(s->thread, NULL);
    pthread_cond_destroy(&s->wake);
    pthread_mutex_destroy(&s->mu);
    s->running = 0;
}

int hb_gpu_window_begin(hb_gpu_probe *p)
{
    if (!p)
        return 0;
    window_stop(p); /* one left by a measurement that failed */
    sampler *s = &p->s;
    pthread_condattr_t attr;
    s->n = 0;
    s->stop = 0;
    s->t0 = hb_now_s();
    if (pthread_mutex_init(&s->mu, NULL))
        return 0;
    int bad = pthread_condattr_init(&attr);
    if (!bad) {
        bad = pthread_condattr_setclock(&attr, CLOCK_MONOTONIC) || pthread_cond_init(&s->wake, &attr);
        pthread_condattr_destroy(&attr);
    }
    if (bad) {
        pthread_mutex_destroy(&s->mu);
        return 0;
    }
    if (pthread_create(&s->thread, NULL, sample_loop, p)) {
        pthread_cond_destroy(&s->wake);
        pthread_mutex_destroy(&s->mu);
        return 0;
    }
    s->running = 1;
    return 1;
}

enum { Q_SM, Q_MEM, Q_TEMP, Q_POWER };

static double quantity(const hb_gpu_state *g, int q)
{
    return q == Q_SM ? g->sm_mhz : q == Q_MEM ? g->mem_mhz : q == Q_TEMP ? g->temp_c : g->power_w;
}

/* min, median (hb_stats: of an even count, the mean of the middle two) and
 * max of one quantity over the samples that have it; buf holds s->n. */
static hb_gpu_range range_of(const sampler *s, int q, double *buf)
{
    size_t k = 0;
    for (size_t i = 0; i < s->n; i++)
        if (!isnan(quantity(&s->v[i], q)))
            buf[k++] = quantity(&s->v[i], q);
    hb_stats st = hb_stats_of(buf, k);
    return (hb_gpu_range){st.min, st.median, st.max};
}

static void summarise(const sampler *s, double end, hb_gpu_window *w)
{
    double *buf = malloc((s->n ? s->n : 1) * sizeof *buf);
    memset(w, 0, sizeof *w);
    if (!buf || !s->n) {
        free(buf);
        return;
    }
    w->samples = (int)s->n;
    w->period_s = HB_GPU_PERIOD_S;
    w->duration_s = end - s->t0;
    w->sm_mhz = range_of(s, Q_SM, buf);
    w->mem_mhz = range_of(s, Q_MEM, buf);
    w->temp_c = range_of(s, Q_TEMP, buf);
    w->power_w = range_of(s, Q_POWER, buf);
    for (size_t i = 0; i < s->n; i++)
        if (s->v[i].have_reasons) {
            w->have_reasons = 1;
            w->reasons |= s->v[i].reasons;
        }
    free(buf);
}

void hb_gpu_window_end(hb_gpu_probe *p, hb_telemetry *t)
{
    if (!p)
        return;
    snprintf(t->library, sizeof t->library, "%.*s", (int)sizeof t->library - 1, p->api.path);
    if (!p->s.running) {
        memset(&t->window, 0, sizeof t->window);
        return;
    }
    /* the rest of the window: the sampler goes on meanwhile */
    for (double left; (left = p->s.t0 + HB_GPU_WINDOW_S - hb_now_s()) > 0 && !hb_signal_stop();) {
        double nap = left < HB_GPU_PERIOD_S ? left : HB_GPU_PERIOD_S;
        struct timespec ts = {0, (long)(nap * 1e9)};
        nanosleep(&ts, NULL);
    }
    window_stop(p);
    summarise(&p->s, hb_now_s(), &t->window);
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
    hb_gpu_state seen = {.have_reasons = t->window.have_reasons, .reasons = t->window.reasons};
    unsigned long long slow = slowdowns(&t->before) | slowdowns(&t->after) | slowdowns(&seen);
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
