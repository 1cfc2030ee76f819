/* host_stream: the native host baseline, STREAM without OpenCL.
 *
 * Conventions, as STREAM states its own at the top of stream.c:
 * - Kernels copy c=a, scale b=s*c, add c=a+b, triad a=b+s*c, dot sum(a*b),
 *   read sum(a), write a=s; s = HB_STREAM_SCALAR. Each bench runs alone on
 *   freshly initialised arrays (stream_values.h), so every iteration computes
 *   the same values and copy/scale/add/triad/write are checked exactly.
 * - Counted bytes per iteration: arrays x elements x element size with
 *   copy/scale/dot 2 arrays, add/triad 3, read/write 1; the write-allocate
 *   read of plain stores is not counted (STREAM, BabelStream).
 * - One thread per physical core of the scope, pinned; memory first-touched
 *   by the thread that streams it (host_stream_team.c).
 * - Scopes: "numa:<P#>" per NUMA node when there are two or more (its cores,
 *   its memory), then "machine" (all cores, first touch).
 * - Stores: "nontemporal" where the CPU has AVX or AVX-512F streaming stores
 *   and they were asked for, else "plain" (host_stream_kernels.c). */
#include "host_stream.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "host_stream_team.h"

/* Index of name in the bench or dtype table, -1 if unknown. */
static int hb_hs_find(const char *name, int dtype)
{
    int n = dtype ? HB_HS_NDTYPE : HB_HS_NBENCH;
    for (int i = 0; i < n; i++)
        if (strcmp(name, dtype ? hb_hs_dtype_names[i] : hb_hs_benches[i].name) == 0)
            return i;
    return -1;
}

/* Resolves the NULL-terminated names (NULL list: all) into table indexes. */
static int hb_hs_names(const char *const *names, int dtype, int **out, int *n_out, hb_err *err)
{
    int n = 0, all = dtype ? HB_HS_NDTYPE : HB_HS_NBENCH;
    while (names && names[n])
        n++;
    *n_out = names ? n : all;
    *out = malloc((size_t)(*n_out ? *n_out : 1) * sizeof **out);
    if (!*out)
        return hb_fail(err, HB_EFAIL, "out of memory");
    for (int i = 0; i < *n_out; i++) {
        (*out)[i] = names ? hb_hs_find(names[i], dtype) : i;
        if ((*out)[i] < 0)
            return hb_fail(err, HB_EUSAGE,
                           dtype ? "unknown host-stream dtype \"%s\" (known: f32, f64)"
                                 : "unknown host-stream bench \"%s\" (known: copy, scale, add, "
                                   "triad, dot, read, write)",
                           names[i]);
    }
    return HB_OK;
}

static int hb_hs_check_opts(const hb_host_stream_opts *o, const int *dtypes, int nd, hb_err *err)
{
    if (o->iters < 1)
        return hb_fail(err, HB_EUSAGE, "host-stream: iterations must be at least 1 (got %d)",
                       o->iters);
    if (o->warmup < 0)
        return hb_fail(err, HB_EUSAGE, "host-stream: warm-up iterations must be 0 or more (got %d)",
                       o->warmup);
    if (o->bytes_per_array == 0)
        return hb_fail(err, HB_EUSAGE, "host-stream: bytes per array not set (the caller resolves "
                                       "\"auto\" before calling)");
    if (o->bytes_per_array > SIZE_MAX / 2)
        return hb_fail(err, HB_EUSAGE, "host-stream: %llu bytes per array is too large",
                       (unsigned long long)o->bytes_per_array);
    for (int i = 0; i < nd; i++)
        if (hb_hs_elements(o->bytes_per_array, dtypes[i]) == 0)
            return hb_fail(err, HB_EUSAGE,
                           "host-stream: %llu bytes per array is less than 64 %s elements",
                           (unsigned long long)o->bytes_per_array, hb_hs_dtype_names[dtypes[i]]);
    return HB_OK;
}

/* Exact for the element-wise kernels, a rounding bound for the sums. */
static void hb_hs_judge(hb_result *r, const hb_hs_job *job)
{
    if (hb_hs_benches[job->bench].reduces) {
        long double rel = fabsl(job->sum_got - job->sum_expected) / fabsl(job->sum_expected);
        double tol = hb_hs_sum_tolerance(job->dtype, job->chain);
        if (!(rel <= tol)) {
            r->valid = 0;
            hb_result_note(r, "sum: got %.17Lg expected %.17Lg (rel error %.3Lg > tol %.3g)",
                           job->sum_got, job->sum_expected, rel, tol);
        }
    } else if (job->bad.bad != UINT64_MAX) {
        r->valid = 0;
        hb_result_note(r, "element %llu: got %.17g, expected %.17g",
                       (unsigned long long)job->bad.bad, job->bad.got, job->bad.expected);
    }
}

static int hb_hs_push(hb_result_list *out, const hb_device *dev, const char *scope,
                      int n_threads, const hb_hs_plan *plan, hb_hs_job *job, hb_err *err)
{
    hb_result *r = hb_result_list_push(out);
    if (!r)
        return hb_fail(err, HB_EFAIL, "out of memory for host-stream results");
    const hb_hs_bench_info *bi = &hb_hs_benches[job->bench];
    uint64_t n = hb_hs_elements(plan->bytes_per_array, job->dtype);
    r->device_index = dev->index;
    snprintf(r->device, sizeof r->device, "host");
    snprintf(r->bench, sizeof r->bench, "%s", bi->name);
    snprintf(r->family, sizeof r->family, "host-stream");
    snprintf(r->dtype, sizeof r->dtype, "%s", hb_hs_dtype_names[job->dtype]);
    snprintf(r->timer, sizeof r->timer, "host-clock");
    r->elements = n;
    r->bytes_per_iter = (double)bi->arrays * (double)n * (double)hb_hs_dtype_size[job->dtype];
    r->flops_per_iter = (double)bi->flops * (double)n;
    hb_params_set_text(&r->config, "scope", scope);
    hb_params_set_num(&r->config, "threads", n_threads);
    hb_params_set_text(&r->config, "stores", plan->isa->nontemporal ? "nontemporal" : "plain");
    r->samples_s = job->samples;  /* the result owns them now */
    job->samples = NULL;
    r->n_samples = (size_t)plan->iters;
    r->wall_s_per_iter = job->wall_s / plan->iters;
    hb_hs_judge(r, job);
    hb_result_finish(r, &dev->peaks.bw_gbs);
    return HB_OK;
}

/* All benches x dtypes on one scope, one result each. */
static int hb_hs_scope(const char *scope, hb_hs_plan *plan, const int *benches, int nb,
                       const int *dtypes, int nd, const hb_device *dev, hb_result_list *out,
                       hb_err *err)
{
    int n_jobs = nb * nd, rc = HB_OK, n_threads = 0;
    hb_hs_job *jobs = calloc((size_t)n_jobs, sizeof *jobs);
    if (!jobs)
        return hb_fail(err, HB_EFAIL, "out of memory for %d host-stream jobs", n_jobs);
    for (int i = 0; i < n_jobs && rc == HB_OK; i++) {
        jobs[i].bench = benches[i / nd];
        jobs[i].dtype = dtypes[i % nd];
        jobs[i].samples = calloc((size_t)plan->iters, sizeof *jobs[i].samples);
        if (!jobs[i].samples)
            rc = hb_fail(err, HB_EFAIL, "out of memory for %d samples", plan->iters);
    }
    if (rc == HB_OK)
        rc = hb_hs_team_run(plan, jobs, n_jobs, &n_threads, err);
    for (int i = 0; i < n_jobs && rc == HB_OK; i++)
        rc = hb_hs_push(out, dev, scope, n_threads, plan, &jobs[i], err);
    for (int i = 0; i < n_jobs; i++)
        free(jobs[i].samples);
    free(jobs);
    return rc;
}

/* "numa:<P#>" per NUMA node when there are two or more, then "machine". */
static int hb_hs_scopes(hwloc_topology_t topo, hb_hs_plan *plan, const int *benches, int nb,
                        const int *dtypes, int nd, const hb_device *dev, hb_result_list *out,
                        hb_err *err)
{
    char scope[32];
    int rc = HB_OK, n_numa = hwloc_get_nbobjs_by_type(topo, HWLOC_OBJ_NUMANODE);
    for (int i = 0; n_numa >= 2 && i < n_numa && rc == HB_OK; i++) {
        hwloc_obj_t node = hwloc_get_obj_by_type(topo, HWLOC_OBJ_NUMANODE, (unsigned)i);
        /* A node's cpuset is that of the object it hangs from, so a CPU-less
         * memory node (HBM, CXL) is measured from its package's cores
         * (hwloc.h, struct hwloc_obj cpuset, @2.9.0); one with no cores at
         * all cannot be measured natively. */
        if (!node || !node->cpuset || hwloc_bitmap_iszero(node->cpuset))
            continue;
        snprintf(scope, sizeof scope, "numa:%u", node->os_index);
        plan->cpuset = node->cpuset;
        plan->membind = node->nodeset;
        rc = hb_hs_scope(scope, plan, benches, nb, dtypes, nd, dev, out, err);
    }
    if (rc == HB_OK) {
        plan->cpuset = hwloc_get_root_obj(topo)->cpuset;
        plan->membind = NULL;
        rc = hb_hs_scope("machine", plan, benches, nb, dtypes, nd, dev, out, err);
    }
    return rc;
}

int hb_host_stream_run(hb_topology *topo, const hb_device *host_dev,
                       const hb_host_stream_opts *opts, hb_result_list *out, hb_err *err)
{
    int *benches = NULL, *dtypes = NULL, nb = 0, nd = 0;
    int rc = hb_hs_names(opts->benches, 0, &benches, &nb, err);
    if (rc == HB_OK)
        rc = hb_hs_names(opts->dtypes, 1, &dtypes, &nd, err);
    if (rc == HB_OK)
        rc = hb_hs_check_opts(opts, dtypes, nd, err);
    /* Pinning and placement mean nothing on a topology read from XML. */
    if (rc == HB_OK && (topo->from_xml || !hwloc_topology_is_thissystem(topo->topo)))
        rc = hb_fail(err, HB_EUSAGE, "host-stream needs the live machine, not an XML topology");
    if (rc == HB_OK && nb > 0 && nd > 0) {
        hb_hs_plan plan = {.topo = topo->topo, .bytes_per_array = opts->bytes_per_array,
                           .isa = hb_hs_isa_pick(opts->nontemporal), .warmup = opts->warmup,
                           .iters = opts->iters};
        rc = hb_hs_scopes(topo->topo, &plan, benches, nb, dtypes, nd, host_dev, out, err);
    }
    free(benches);
    free(dtypes);
    return rc;
}
