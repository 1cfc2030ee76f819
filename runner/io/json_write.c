/* SPDX-License-Identifier: Apache-2.0 */
/* json_write: the result model as JSON (the layout is documented field by
 * field in results/README.md and checked by results/schema.json).
 *
 * Conventions kept here, where the JSON is made:
 *   - NAN and infinities are written as null: JSON has no NaN, and null is
 *     what every JSON reader understands as "no value";
 *   - doubles that hold an integer exactly are written as JSON integers
 *     (805306368, not 805306368.0), others with 17 significant digits, the
 *     precision that reads back to the same double (IEEE 754-2008 5.12.2);
 *   - strings come from fixed-size buffers filled by drivers, so they are
 *     bounded by their buffer and made valid UTF-8 (RFC 8259 section 8.1). */
#include "json_io.h"

#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "bench.h"
#include "concurrent_summary.h"
#include "json_number.h"
#include "model.h"
#include "json_num.h"

#ifndef HB_VERSION
#define HB_VERSION "unknown"   /* the build defines it; a standalone compile may not */
#endif
#ifndef HB_GIT_COMMIT
#define HB_GIT_COMMIT "unknown"
#endif

#define HB_JSON_FLAGS (JSON_INDENT(2) | JSON_REAL_PRECISION(17))


static json_t *ju64(uint64_t v)
{
    if (v <= (uint64_t)INT64_MAX)
        return json_integer((json_int_t)v);
    return json_real((double)v);   /* beyond json_int_t; the reader accepts it */
}

/* A string from a buffer of cap bytes. Drivers have been seen to return
 * Latin-1 names; bytes that are not valid UTF-8 would make jansson refuse
 * the whole string, so such a string keeps its ASCII and shows '?' for the rest. */
static json_t *jstr_n(const char *s, size_t cap)
{
    size_t len = strnlen(s, cap);
    json_t *j = json_stringn(s, len);
    if (j)
        return j;
    char *ascii = malloc(len + 1);
    if (!ascii)
        return NULL;
    for (size_t i = 0; i < len; i++)
        ascii[i] = (unsigned char)s[i] < 0x80 ? s[i] : '?';
    j = json_stringn(ascii, len);
    free(ascii);
    return j;
}
/* A char array's size; a pointer does not build (its size is not the
 * text's), so JSTR and JSTR_OR_NULL take only fixed-size fields (GCC's
 * builtins: https://gcc.gnu.org/onlinedocs/gcc/Other-Builtins.html). */
#define ARRAY_SIZE_OF(a) \
    (sizeof(a) + 0 * sizeof(char[__builtin_types_compatible_p(__typeof__(a), __typeof__(&(a)[0])) ? -1 : 1]))
#define JSTR(field) jstr_n((field), ARRAY_SIZE_OF(field))

/* "" means unknown for identifiers such as a PCI bus id: written as null. */
static json_t *jstr_or_null_n(const char *s, size_t cap)
{
    return s[0] ? jstr_n(s, cap) : json_null();
}
#define JSTR_OR_NULL(field) jstr_or_null_n((field), ARRAY_SIZE_OF(field))

/* PCI and OpenCL vendor ids as "0x10de"; 0 is not a valid id and means unknown. */
static json_t *jhex(unsigned v)
{
    char buf[16];
    if (v == 0)
        return json_null();
    snprintf(buf, sizeof buf, "0x%04x", v);
    return json_string(buf);
}

static json_t *jnums(const double *v, size_t n)
{
    json_t *a = json_array();
    for (size_t i = 0; a && i < n; i++)
        if (json_array_append_new(a, hb_json_num(v[i]))) {
            json_decref(a);
            return NULL;
        }
    return a;
}

/* Parameters keep their order; text stays text, numbers stay numbers. */
static json_t *jparams(const hb_params *ps)
{
    json_t *o = json_object();
    for (int i = 0; o && i < ps->n && i < HB_MAX_PARAMS; i++) {
        const hb_param *p = &ps->p[i];
        json_t *v = p->is_text ? jstr_n(hb_param_text(ps, p), SIZE_MAX) : p->is_bool ? json_boolean(p->num != 0) : hb_json_num(p->num);
        if (json_object_set_new(o, p->key, v)) {
            json_decref(o);
            return NULL;
        }
    }
    return o;
}

static json_t *jpeak(const hb_peak_value *p)
{
    const char *src = hb_peak_src_name(p->src);
    return json_pack("{s:o, s:s, s:o}", "value", hb_json_num(p->value),
                     "source", src ? src : "unknown", "detail", JSTR(p->detail));
}

static json_t *hb_json_device_core(const hb_device *d);

/* The members added after the first schema (results/README.md; absent in
 * older files): for the transfer family, whether device memory is host
 * memory, the PCIe link hwloc found and the link peak; the models that
 * reach the device (and each one's limits), and NVIDIA's compute capability. */
/* Each model's own limits for the device and the library it loaded
 * (hb_binding): a GPU that OpenCL and CUDA both reach is described by
 * OpenCL, but each model's results are sized by its own. */
static json_t *jbindings(const hb_device *d)
{
    json_t *a = json_array();
    for (int b = 0; a && b < d->n_bindings; b++) {
        const hb_binding *x = &d->bindings[b];
        if (json_array_append_new(a, json_pack("{s:s, s:o, s:o, s:o, s:o}", "model", x->model ? x->model->name : "?",
                                               "library", JSTR_OR_NULL(x->library), "global_mem_bytes",
                                               ju64(x->global_mem_bytes), "max_alloc_bytes", ju64(x->max_alloc_bytes),
                                               "global_cache_bytes", ju64(x->global_cache_bytes)))) {
            json_decref(a);
            return NULL;
        }
    }
    return a;
}

json_t *hb_json_device(const hb_device *d)
{
    json_t *o = hb_json_device_core(d), *models = json_array();
    json_t *loc = o ? json_object_get(o, "locality") : NULL, *peaks = o ? json_object_get(o, "peaks") : NULL;
    char cc[16];
    snprintf(cc, sizeof cc, "%d.%d", d->cc_major, d->cc_minor);
    for (int b = 0; models && b < d->n_bindings; b++)
        if (d->bindings[b].model && json_array_append_new(models, json_string(d->bindings[b].model->name))) {
            json_decref(models);
            models = NULL;
        }
    if (!loc || !peaks || !models || json_object_set_new(o, "unified_memory", json_boolean(d->unified_memory)) ||
        json_object_set_new(loc, "pcie_link_gbs", hb_json_num(d->pcie_link_gbs)) ||
        json_object_set_new(peaks, "link_gbs", jpeak(&d->peaks.link_gbs)) ||
        json_object_set_new(o, "models", models) ||
        (d->n_bindings > 0 && json_object_set_new(o, "bindings", jbindings(d))) ||
        json_object_set_new(o, "compute_capability", d->cc_major ? json_string(cc) : json_null()) ||
        json_object_set_new(o, "board_name", JSTR_OR_NULL(d->board_name)) ||
        json_object_set_new(o, "uuid", JSTR_OR_NULL(d->uuid)) ||
        json_object_set_new(o, "uuid_source", JSTR_OR_NULL(d->uuid_source)) ||
        json_object_set_new(o, "serial", JSTR_OR_NULL(d->serial)) ||
        json_object_set_new(o, "identity_detail", JSTR_OR_NULL(d->identity_detail)) ||
        (d->node[0] && (json_object_set_new(o, "rank", json_integer(d->rank)) ||
                        json_object_set_new(o, "node", JSTR(d->node))))) {
        json_decref(o);
        return NULL;
    }
    return o;
}

/* A device property that is never 0 when known (compute units, clock,
 * cache and work-group sizes): null when the model did not say or it does
 * not apply (the host's), as the schema promises. */
static json_t *jknown(uint64_t v)
{
    return v ? ju64(v) : json_null();
}

static json_t *hb_json_device_core(const hb_device *d)
{
    return json_pack(
        "{s:i, s:o, s:o, s:o, s:b, s:{s:o, s:o}, s:o, s:o, s:o, s:o,"
        " s:o, s:o, s:o, s:o, s:o, s:o, s:o, s:o, s:b, s:b,"
        " s:{s:o, s:o, s:o}, s:{s:o, s:o, s:I, s:I, s:o}, s:{s:o, s:o, s:o}}",
        "index", d->index, "name", JSTR(d->name), "vendor", JSTR(d->vendor),
        "type", JSTR(d->type), "is_host", d->kind == HB_KIND_HOST,
        "platform", "name", JSTR(d->platform_name), "version", JSTR(d->platform_version),
        "driver_version", JSTR(d->driver_version), "opencl_version", JSTR(d->cl_version),
        "opencl_c_version", JSTR(d->clc_version), "opencl_vendor_id", jhex(d->vendor_id),
        "compute_units", jknown(d->compute_units),
        "max_clock_mhz", jknown(d->max_clock_mhz),
        "global_mem_bytes", ju64(d->global_mem_bytes),
        "max_alloc_bytes", ju64(d->max_alloc_bytes),
        "global_cache_bytes", jknown(d->global_cache_bytes),
        "cache_line_bytes", jknown(d->cache_line_bytes),
        "local_mem_bytes", jknown(d->local_mem_bytes),
        "max_work_group_size", jknown(d->max_work_group_size),
        "fp64", d->fp64, "fp16", d->fp16,
        "pci", "bus_id", JSTR_OR_NULL(d->pci_bus_id),
        "vendor_id", jhex(d->pci_vendor_id), "device_id", jhex(d->pci_device_id),
        "locality", "numa_nodes", JSTR(d->numa_nodes), "cpuset", JSTR(d->cpuset),
        "cores", (json_int_t)d->n_cores, "pus", (json_int_t)d->n_pus,
        "source", JSTR(d->locality_source),
        "peaks", "bandwidth_gbs", jpeak(&d->peaks.bw_gbs),
        "fp32_gflops", jpeak(&d->peaks.fp32_gflops), "fp64_gflops", jpeak(&d->peaks.fp64_gflops));
}

static json_t *jdevices(const hb_device *devs, size_t n)
{
    json_t *a = json_array();
    for (size_t i = 0; a && i < n; i++)
        if (json_array_append_new(a, hb_json_device(&devs[i]))) {
            json_decref(a);
            return NULL;
        }
    return a;
}

static json_t *jhost(const hb_host_info *h)
{
    json_t *caches = json_array();
    for (int i = 0; caches && i < h->n_caches && i < HB_MAX_CACHE_LEVELS; i++) {
        const hb_cache_level *c = &h->caches[i];
        if (json_array_append_new(caches, json_pack("{s:o, s:o, s:I, s:I}",
                "name", JSTR(c->name), "size_bytes", ju64(c->size_bytes),
                "count", (json_int_t)c->count, "line_bytes", (json_int_t)c->line_bytes))) {
            json_decref(caches);
            return NULL;
        }
    }
    return json_pack("{s:o, s:o, s:o, s:o, s:o, s:{s:I, s:I, s:I, s:I, s:o, s:o}}",
        "hostname", JSTR(h->hostname), "os", JSTR(h->os), "kernel", JSTR(h->kernel),
        "cpu_model", JSTR(h->cpu_model), "hwloc_version", JSTR(h->hwloc_version),
        "topology", "packages", (json_int_t)h->packages, "numa_nodes", (json_int_t)h->numa_nodes,
        "cores", (json_int_t)h->cores, "pus", (json_int_t)h->pus,
        "memory_bytes", ju64(h->memory_bytes), "caches", caches);
}

/* A GEMM dimension: -1 (not applicable) is null. */
static json_t *jdim(int64_t v)
{
    return v < 0 ? json_null() : json_integer((json_int_t)v);
}

static json_t *jgrid(const hb_grid_point *g, size_t n)
{
    json_t *a = json_array();
    for (size_t i = 0; a && g && i < n; i++)
        if (json_array_append_new(a, json_pack("{s:o, s:o, s:o, s:o, s:o, s:b, s:o}",
                "config", jparams(&g[i].config), "best_gbs", hb_json_num(g[i].best_gbs),
                "median_gbs", hb_json_num(g[i].median_gbs), "best_gflops", hb_json_num(g[i].best_gflops),
                "confirm_gbs", hb_json_num(g[i].confirm_gbs), "valid", g[i].valid, "note", JSTR(g[i].note)))) {
            json_decref(a);
            return NULL;
        }
    return a;
}

/* The members added for GEMM and the roofline (results/README.md). */
static int add_compute_fields(json_t *o, const hb_result *r)
{
    return !o || json_object_set_new(o, "implementation", JSTR(r->implementation)) ||
           json_object_set_new(o, "model", JSTR(r->model)) ||
           json_object_set_new(o, "m", jdim(r->m)) || json_object_set_new(o, "n", jdim(r->n)) ||
           json_object_set_new(o, "k", jdim(r->k)) ||
           json_object_set_new(o, "arithmetic_intensity", hb_json_num(r->intensity)) ||
           json_object_set_new(o, "percent_of_peak_basis", JSTR(r->percent_basis)) ||
           json_object_set_new(o, "peak_gflops", hb_json_num(r->peak_gflops)) ||
           json_object_set_new(o, "peak_gflops_source", JSTR(r->peak_gflops_source));
}

/* MPI runs only (docs/cluster.md): the node and rank, when the result has them. */
static int add_rank_fields(json_t *o, const hb_result *r)
{
    return r->node[0] && (json_object_set_new(o, "rank", json_integer(r->rank)) ||
                          json_object_set_new(o, "node", JSTR(r->node)));
}

static json_t *jreason_names(unsigned long long mask)
{
    json_t *a = json_array();
    char other[32];
    for (unsigned b = 0; a && b < 64; b++) {
        if (!(mask >> b & 1))
            continue;
        const char *name = hb_gpu_reason_name(b, NULL);
        snprintf(other, sizeof other, "bit%u", b);
        json_array_append_new(a, json_string(name ? name : other));
    }
    return a;
}

/* One NVML sample (results/README.md, "telemetry"); null where NVML did not say. */
static json_t *jgpu_state(const hb_gpu_state *g)
{
    return json_pack("{s:o, s:o, s:o, s:o, s:o, s:o, s:o}", "sm_clock_mhz", hb_json_num(g->sm_mhz),
                     "mem_clock_mhz", hb_json_num(g->mem_mhz), "temperature_c", hb_json_num(g->temp_c), "power_w", hb_json_num(g->power_w),
                     "ecc", g->ecc < 0 ? json_null() : json_boolean(g->ecc),
                     "throttle_mask", g->have_reasons ? ju64(g->reasons) : json_null(),
                     "throttle_reasons", g->have_reasons ? jreason_names(g->reasons) : json_null());
}

static json_t *jrange(const hb_gpu_range *r)
{
    return json_pack("{s:o, s:o, s:o}", "min", hb_json_num(r->min), "median", hb_json_num(r->median), "max", hb_json_num(r->max));
}

/* The samples of the window around the final measurement (results/README.md). */
static json_t *jwindow(const hb_gpu_window *w)
{
    return json_pack("{s:o, s:o, s:i, s:o, s:o, s:o, s:o, s:o, s:o}", "period_s", hb_json_num(w->period_s), "duration_s",
                     hb_json_num(w->duration_s), "samples", w->samples, "sm_clock_mhz", jrange(&w->sm_mhz), "mem_clock_mhz",
                     jrange(&w->mem_mhz), "temperature_c", jrange(&w->temp_c), "power_w", jrange(&w->power_w),
                     "throttle_mask", w->have_reasons ? ju64(w->reasons) : json_null(),
                     "throttle_reasons", w->have_reasons ? jreason_names(w->reasons) : json_null());
}

/* window and library only where there are (absent in older files). */
static json_t *jtelemetry(const hb_telemetry *t)
{
    json_t *o = json_pack("{s:s, s:o, s:o, s:b, s:b}", "source", "nvml", "before", jgpu_state(&t->before), "after",
                          jgpu_state(&t->after), "clocks_dropped", t->clocks_dropped, "throttled", t->throttled);
    if (o && ((t->window.samples > 0 && json_object_set_new(o, "window", jwindow(&t->window))) ||
              (t->library[0] && json_object_set_new(o, "library", JSTR(t->library))))) {
        json_decref(o);
        return NULL;
    }
    return o;
}

static json_t *jresult_core(const hb_result *r);

/* A result measured with other devices at once (--concurrent): its group
 * and its solo figure; absent otherwise. */
static json_t *jconcurrent(const hb_result *r)
{
    return json_pack("{s:i, s:i, s:o, s:o, s:I, s:I, s:o, s:o, s:o, s:o}", "devices", r->concurrent_devices,
                     "step", r->concurrent_step, "solo_gbs", hb_json_num(r->solo_gbs),
                     "slowdown", hb_json_num(r->solo_gbs / r->bw_best_gbs), "untimed_before", (json_int_t)r->lead_iters,
                     "untimed_after", (json_int_t)r->held_iters, "load_from_s", hb_json_num(r->conc_load_s),
                     "start_s", hb_json_num(r->conc_start_s), "end_s", hb_json_num(r->conc_end_s),
                     "load_until_s", hb_json_num(r->conc_held_s));
}

static json_t *jtime_split(const hb_time_split *t)
{
    return json_pack("{s:o, s:o, s:o, s:o, s:o, s:o, s:o}", "total_s", hb_json_num(t->total_s), "kernels_s",
                     hb_json_num(t->kernels_s), "batches_s", hb_json_num(t->batches_s), "builds_s", hb_json_num(t->builds_s), "verify_s",
                     hb_json_num(t->verify_s), "setup_s", hb_json_num(t->setup_s), "tuning_s", hb_json_num(t->tuning_s));
}

/* telemetry is written only where it was sampled (NVIDIA GPUs); the time
 * split only where the driver measured the result. */
/* What the result's number is (schema 2; runner/core/figure.h). */
static json_t *jfigure(const hb_result_figure *f)
{
    return json_pack("{s:o, s:o, s:s, s:o, s:o, s:o, s:o, s:o}", "name", JSTR(f->name), "unit", JSTR(f->unit),
                     "better", f->lower_is_better ? "lower" : "higher", "count", JSTR(f->count), "best",
                     hb_json_num(f->best), "median", hb_json_num(f->median), "peak", hb_json_num(f->peak), "peak_source",
                     JSTR_OR_NULL(f->peak_source));
}

static json_t *jresult(const hb_result *r)
{
    json_t *o = jresult_core(r);
    if (!o || json_object_set_new(o, "figure", jfigure(&r->figure)) ||
        json_object_set_new(o, "ops_per_iter", hb_json_num(r->ops_per_iter)) ||
        json_object_set_new(o, "problem", JSTR_OR_NULL(r->problem)) || add_compute_fields(o, r) ||
        add_rank_fields(o, r) ||
        (r->concurrent_devices > 0 && json_object_set_new(o, "concurrent", jconcurrent(r))) ||
        (r->repetition > 0 && json_object_set_new(o, "repetition", json_integer(r->repetition))) ||
        (isfinite(r->timed_from_unix_s) && isfinite(r->timed_until_unix_s) &&
         json_object_set_new(o, "timed_window", json_pack("{s:f, s:f}", "from_unix_s", r->timed_from_unix_s,
                                                          "until_unix_s", r->timed_until_unix_s))) ||
        (r->tuning_failures > 0 && json_object_set_new(o, "tuning_failures", json_integer(r->tuning_failures))) ||
        (r->telemetry.present && json_object_set_new(o, "telemetry", jtelemetry(&r->telemetry))) ||
        (r->time.total_s > 0 && json_object_set_new(o, "time_split", jtime_split(&r->time)))) {
        json_decref(o);
        return NULL;
    }
    return o;
}

static json_t *jresult_core(const hb_result *r)
{
    const hb_stats *s = &r->stats;
    return json_pack(
        "{s:o, s:i, s:o, s:o, s:o, s:o, s:o, s:o, s:o, s:o, s:o,"
        " s:{s:I, s:o, s:o, s:o, s:o, s:o, s:o}, s:o, s:o, s:{s:o, s:o}, s:{s:o, s:o},"
        " s:o, s:o, s:o, s:b, s:o, s:o}",
        "device", JSTR(r->device), "device_index", r->device_index,
        "pci_bus_id", JSTR_OR_NULL(r->pci_bus_id), "bench", JSTR(r->bench),
        "family", JSTR(r->family), "dtype", JSTR_OR_NULL(r->dtype), "elements", ju64(r->elements),
        "bytes_per_iter", hb_json_num(r->bytes_per_iter), "flops_per_iter", hb_json_num(r->flops_per_iter),
        "config", jparams(&r->config), "timer", JSTR(r->timer),
        "stats", "n", (json_int_t)s->n, "min_s", hb_json_num(s->min), "median_s", hb_json_num(s->median),
        "mean_s", hb_json_num(s->mean), "max_s", hb_json_num(s->max), "stddev_s", hb_json_num(s->stddev),
        "cv", hb_json_num(s->cv),
        "samples_s", jnums(r->samples_s, r->samples_s ? r->n_samples : 0),
        "wall_s_per_iter", hb_json_num(r->wall_s_per_iter),
        "bandwidth_gbs", "best", hb_json_num(r->bw_best_gbs), "median", hb_json_num(r->bw_median_gbs),
        "gflops", "best", hb_json_num(r->gflops_best), "median", hb_json_num(r->gflops_median),
        "peak_bandwidth_gbs", hb_json_num(r->peak_bw_gbs), "peak_source", JSTR(r->peak_source),
        "percent_of_peak", hb_json_num(r->percent_of_peak), "valid", r->valid,
        "notes", JSTR(r->notes), "grid", jgrid(r->grid, r->n_grid));
}

static json_t *jresults(const hb_result_list *l)
{
    json_t *a = json_array();
    for (size_t i = 0; a && i < l->n; i++)
        if (json_array_append_new(a, jresult(&l->v[i]))) {
            json_decref(a);
            return NULL;
        }
    return a;
}

/* The run's options, plus the command line that gave them. */
static json_t *jrun_config(const hb_run *run)
{
    json_t *o = jparams(&run->config);
    if (o && json_object_set_new(o, "command_line", JSTR(run->command_line))) {
        json_decref(o);
        return NULL;
    }
    return o;
}

/* Printed in every file so a reader needs no other document to interpret
 * the figures (STREAM prints its rules the same way, stream.c header): the
 * general ones here, each family's counting from its descriptor. */
static json_t *jconventions(void)
{
    json_t *o = json_pack("{s:s, s:s, s:s, s:s}", "gb", "1e9 bytes", "bandwidth_best", "from the minimum time",
                          "bandwidth_median", "from the median time",
                          "stats", "seconds per iteration; stddev is the sample standard deviation; cv = stddev/mean");
    for (const hb_family *const *f = hb_families; o && *f; f++) {
        char text[1024];
        if (!(*f)->conventions)
            continue;
        (*f)->conventions(text, sizeof text);
        if (json_object_set_new(o, (*f)->conventions_key, json_string(text))) {
            json_decref(o);
            return NULL;
        }
    }
    return o;
}

static json_t *jtool(const char *version, size_t vcap, const char *commit, size_t ccap)
{
    return json_pack("{s:s, s:o, s:o}", "name", "hbmbench",
                     "version", jstr_n(version, vcap), "git_commit", jstr_n(commit, ccap));
}

/* A family's derived records (the roofline's ceilings): computed from the
 * results whenever a run is written, so they are written, not read back. */
static json_t *jsummary(const hb_family *f, const hb_run *run)
{
    enum { MAX = 64 };
    hb_params *recs = calloc(MAX, sizeof *recs);
    json_t *a = recs ? json_array() : NULL;
    size_t n = a ? f->summarize(run, recs, MAX) : 0;
    for (size_t i = 0; a && i < n; i++)
        if (json_array_append_new(a, jparams(&recs[i]))) {
            json_decref(a);
            a = NULL;
        }
    free(recs);
    return a;
}

static json_t *jconcurrent_rec(const hb_concurrent_rec *e)
{
    json_t *devs = json_array();
    for (int d = 0; devs && d < e->devices && d < HB_CONCURRENT_MAX_DEVICES; d++)
        json_array_append_new(devs, json_integer(e->device_index[d]));
    json_t *o = json_pack("{s:i, s:s, s:s, s:s, s:o, s:i, s:o, s:b, s:o, s:o, s:o, s:o, s:o}", "step", e->step,
                          "bench", e->bench, "dtype", e->dtype, "implementation", e->implementation,
                          "size_bytes", hb_json_num(e->size_bytes), "devices", e->devices, "device_indexes", devs,
                          "valid", e->valid, "aggregate_gbs", hb_json_num(e->aggregate_gbs),
                          "aggregate_median_gbs", hb_json_num(e->aggregate_median_gbs),
                          "solo_sum_gbs", hb_json_num(e->solo_sum_gbs), "scaling", hb_json_num(e->scaling),
                          "max_slowdown", hb_json_num(e->max_slowdown));
    /* a repeated run numbers its steps again in each repetition */
    if (o && e->repetition > 0 && json_object_set_new(o, "repetition", json_integer(e->repetition))) {
        json_decref(o);
        return NULL;
    }
    return o;
}

/* --concurrent runs: the top-level "concurrent" array (one record per step)
 * and its convention; a run without concurrent results has neither. */
static int add_concurrent(json_t *doc, const hb_run *run)
{
    enum { MAX = 256 };
    hb_concurrent_rec *recs = calloc(MAX, sizeof *recs);
    if (!recs)
        return -1;
    size_t n = hb_concurrent_summarize(run, recs, MAX);
    json_t *a = n ? json_array() : NULL;
    for (size_t i = 0; a && i < n; i++)
        if (json_array_append_new(a, jconcurrent_rec(&recs[i]))) {
            json_decref(a);
            a = NULL;
        }
    free(recs);
    if (!n)
        return 0;
    json_t *conv = json_object_get(doc, "conventions");
    return !a || !conv || json_object_set_new(doc, "concurrent", a) ||
           json_object_set_new(conv, "concurrent", json_string(hb_concurrent_convention));
}

static json_t *jrun_core(const hb_run *run);

/* The batch job (runner/core/scheduler.h): null outside one; each unknown
 * or malformed field null. */
static json_t *jscheduler(const hb_scheduler *s)
{
    if (!s->name[0])
        return json_null();
    return json_pack("{s:s, s:o, s:o, s:o, s:o, s:o, s:o, s:o}", "name", s->name,
                     "job_id", JSTR_OR_NULL(s->job_id), "job_name", JSTR_OR_NULL(s->job_name),
                     "nodes", JSTR_OR_NULL(s->nodes), "nodes_from", JSTR_OR_NULL(s->nodes_from),
                     "step_id", JSTR_OR_NULL(s->step_id), "array_job_id", JSTR_OR_NULL(s->array_job_id),
                     "array_task_id", JSTR_OR_NULL(s->array_task_id));
}

/* Whether every planned measurement ran: a signal may have stopped the run
 * (hb_signal.h), and then "stopped_by" says which. */
static int add_completion(json_t *doc, const hb_run *run)
{
    return json_object_set_new(doc, "complete", json_boolean(!run->incomplete)) ||
           (run->incomplete && json_object_set_new(doc, "stopped_by", JSTR(run->stopped_by)));
}

static json_t *jrun(const hb_run *run)
{
    json_t *doc = jrun_core(run);
    if (doc && add_completion(doc, run)) {
        json_decref(doc);
        return NULL;
    }
    for (const hb_family *const *f = hb_families; doc && *f; f++)
        if ((*f)->summarize && json_object_set_new(doc, (*f)->summary_key, jsummary(*f, run))) {
            json_decref(doc);
            return NULL;
        }
    if (doc && add_concurrent(doc, run)) {
        json_decref(doc);
        return NULL;
    }
    return doc;
}

static json_t *jrun_core(const hb_run *run)
{
    return json_pack("{s:i, s:o, s:o, s:o, s:o, s:o, s:o, s:o, s:o}",
        "schema_version", HB_SCHEMA_VERSION,
        "tool", jtool(run->tool_version, sizeof run->tool_version,
                      run->git_commit, sizeof run->git_commit),
        "created", JSTR(run->created), "host", jhost(&run->host),
        "scheduler", jscheduler(&run->scheduler),
        "devices", jdevices(run->devices, run->devices ? run->n_devices : 0),
        "config", jrun_config(run), "conventions", jconventions(),
        "results", jresults(&run->results));
}

char *hb_json_doc_dumps(const json_t *doc)
{
    char *s = doc ? json_dumps(doc, HB_JSON_FLAGS) : NULL;
    if (s)
        hb_json_shorten_reals(s);
    return s;
}

static char *dumps_and_free(json_t *doc)
{
    char *s = hb_json_doc_dumps(doc);
    json_decref(doc);
    return s;
}

char *hb_json_devices_dumps(const hb_device *devs, size_t n)
{
    json_t *doc = json_pack("{s:i, s:o, s:o}", "schema_version", HB_SCHEMA_VERSION,
                            /* "" makes sure the macros are literals, whose sizeof is their length */
                            "tool", jtool(HB_VERSION, sizeof("" HB_VERSION),
                                          HB_GIT_COMMIT, sizeof("" HB_GIT_COMMIT)),
                            "devices", jdevices(devs, devs ? n : 0));
    return dumps_and_free(doc);
}

char *hb_json_run_dumps(const hb_run *run)
{
    return dumps_and_free(jrun(run));
}
