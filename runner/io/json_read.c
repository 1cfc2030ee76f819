/* SPDX-License-Identifier: Apache-2.0 */
/* json_read: a result file back into the result model, for `compare`.
 *
 * The reader is strict about what it can misread and lenient about what it
 * can ignore (results/README.md, "schema_version"): a field of the wrong
 * type is an error naming its path ("results[3].stats.min_s"), a field it
 * does not know is skipped, a missing field reads as unknown (NAN, "", 0).
 * Every input error is HB_EUSAGE: the file, not the program, is at fault. */
#include "json_io.h"
#include "json_get.h"
#include "read_file.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

static hb_peak_src peak_src_of(const char *name)
{
    for (int s = HB_PEAK_UNKNOWN; s <= HB_PEAK_DERIVED; s++) {
        const char *n = hb_peak_src_name((hb_peak_src)s);
        if (n && strcmp(n, name) == 0)
            return (hb_peak_src)s;
    }
    /* A source named by a newer build: the value stays, its origin is unknown here. */
    return HB_PEAK_UNKNOWN;
}

static int read_peak(hb_jreader *c, const json_t *peaks, const char *at, const char *key,
                     hb_peak_value *p)
{
    const json_t *o;
    char here[96], src[32] = "";
    snprintf(here, sizeof here, "%s.%s", at, key);
    int rc = HB_JR_OBJ(c, peaks, at, key, &o);
    if (rc == HB_OK)
        rc = hb_jr_num(c, o, here, "value", &p->value);
    if (rc == HB_OK)
        rc = hb_jr_str(c, o, here, "source", src, sizeof src);
    if (rc == HB_OK)
        rc = HB_JR_STR(c, o, here, "detail", p->detail);
    p->src = peak_src_of(src);
    return rc;
}

/* The device's identity and OpenCL properties. */
static int read_device_props(hb_jreader *c, const json_t *o, const char *at, hb_device *d)
{
    const json_t *plat;
    char here[96];
    uint64_t wg = 0;
    snprintf(here, sizeof here, "%s.platform", at);
    int rc = hb_jr_int(c, o, at, "index", &d->index);
    if (!rc) rc = HB_JR_STR(c, o, at, "name", d->name);
    if (!rc) rc = HB_JR_STR(c, o, at, "vendor", d->vendor);
    if (!rc) rc = HB_JR_STR(c, o, at, "type", d->type);
    int is_host = 0;
    if (!rc) rc = hb_jr_bool(c, o, at, "is_host", &is_host);
    d->kind = HB_KIND_UNKNOWN;
    for (int k = 0; k <= HB_KIND_UNKNOWN; k++)
        if (!strcmp(d->type, hb_device_kind_name((hb_device_kind)k)))
            d->kind = (hb_device_kind)k;
    if (is_host)
        d->kind = HB_KIND_HOST;
    if (!rc) rc = HB_JR_OBJ(c, o, at, "platform", &plat);
    if (!rc) rc = HB_JR_STR(c, plat, here, "name", d->platform_name);
    if (!rc) rc = HB_JR_STR(c, plat, here, "version", d->platform_version);
    if (!rc) rc = HB_JR_STR(c, o, at, "driver_version", d->driver_version);
    if (!rc) rc = HB_JR_STR(c, o, at, "opencl_version", d->cl_version);
    if (!rc) rc = HB_JR_STR(c, o, at, "opencl_c_version", d->clc_version);
    if (!rc) rc = hb_jr_hex(c, o, at, "opencl_vendor_id", &d->vendor_id);
    if (!rc) rc = hb_jr_unsigned(c, o, at, "compute_units", &d->compute_units);
    if (!rc) rc = hb_jr_unsigned(c, o, at, "max_clock_mhz", &d->max_clock_mhz);
    if (!rc) rc = hb_jr_uint(c, o, at, "global_mem_bytes", UINT64_MAX, &d->global_mem_bytes);
    if (!rc) rc = hb_jr_uint(c, o, at, "max_alloc_bytes", UINT64_MAX, &d->max_alloc_bytes);
    if (!rc) rc = hb_jr_uint(c, o, at, "global_cache_bytes", UINT64_MAX, &d->global_cache_bytes);
    if (!rc) rc = hb_jr_unsigned(c, o, at, "cache_line_bytes", &d->cache_line_bytes);
    if (!rc) rc = hb_jr_uint(c, o, at, "local_mem_bytes", UINT64_MAX, &d->local_mem_bytes);
    if (!rc) rc = hb_jr_uint(c, o, at, "max_work_group_size", SIZE_MAX, &wg);
    d->max_work_group_size = (size_t)wg;
    if (!rc) rc = hb_jr_bool(c, o, at, "fp64", &d->fp64);
    if (!rc) rc = hb_jr_bool(c, o, at, "fp16", &d->fp16);
    if (!rc) rc = HB_JR_STR(c, o, at, "board_name", d->board_name);
    if (!rc) rc = HB_JR_STR(c, o, at, "uuid", d->uuid);
    if (!rc) rc = HB_JR_STR(c, o, at, "uuid_source", d->uuid_source);
    if (!rc) rc = HB_JR_STR(c, o, at, "serial", d->serial);
    if (!rc) rc = HB_JR_STR(c, o, at, "identity_detail", d->identity_detail);
    if (!rc) rc = HB_JR_STR(c, o, at, "node", d->node);
    if (!rc && d->node[0]) rc = hb_jr_int(c, o, at, "rank", &d->rank);
    return rc;
}

/* Where the device sits: PCI, hwloc locality, and its peaks. */
static int read_device_place(hb_jreader *c, const json_t *o, const char *at, hb_device *d)
{
    const json_t *pci, *loc, *peaks;
    char pci_at[96], loc_at[96], peaks_at[96];
    snprintf(pci_at, sizeof pci_at, "%s.pci", at);
    snprintf(loc_at, sizeof loc_at, "%s.locality", at);
    snprintf(peaks_at, sizeof peaks_at, "%s.peaks", at);
    int rc = HB_JR_OBJ(c, o, at, "pci", &pci);
    if (!rc) rc = HB_JR_STR(c, pci, pci_at, "bus_id", d->pci_bus_id);
    if (!rc) rc = hb_jr_hex(c, pci, pci_at, "vendor_id", &d->pci_vendor_id);
    if (!rc) rc = hb_jr_hex(c, pci, pci_at, "device_id", &d->pci_device_id);
    if (!rc) rc = HB_JR_OBJ(c, o, at, "locality", &loc);
    if (!rc) rc = HB_JR_STR(c, loc, loc_at, "numa_nodes", d->numa_nodes);
    if (!rc) rc = HB_JR_STR(c, loc, loc_at, "cpuset", d->cpuset);
    if (!rc) rc = hb_jr_unsigned(c, loc, loc_at, "cores", &d->n_cores);
    if (!rc) rc = hb_jr_unsigned(c, loc, loc_at, "pus", &d->n_pus);
    if (!rc) rc = HB_JR_STR(c, loc, loc_at, "source", d->locality_source);
    if (!rc) rc = HB_JR_OBJ(c, o, at, "peaks", &peaks);
    if (!rc) rc = read_peak(c, peaks, peaks_at, "bandwidth_gbs", &d->peaks.bw_gbs);
    if (!rc) rc = read_peak(c, peaks, peaks_at, "fp32_gflops", &d->peaks.fp32_gflops);
    if (!rc) rc = read_peak(c, peaks, peaks_at, "fp64_gflops", &d->peaks.fp64_gflops);
    /* The file keeps only the bus id ("0000:65:00.0"); its parts are parsed
     * back from it, as the runner formats them from the parts. */
    d->has_pci = d->pci_bus_id[0] != '\0';
    if (d->has_pci)
        sscanf(d->pci_bus_id, "%x:%x:%x.%x", &d->pci_domain, &d->pci_bus, &d->pci_dev,
               &d->pci_func);
    return rc;
}

static int read_devices(hb_jreader *c, const json_t *root, hb_run *run)
{
    const json_t *a;
    int rc = HB_JR_ARR(c, root, "", "devices", &a);
    size_t n = a ? json_array_size(a) : 0;
    if (rc || n == 0)
        return rc;
    run->devices = calloc(n, sizeof *run->devices);
    if (!run->devices)
        return hb_fail(c->err, HB_EFAIL, "%s: out of memory", c->file);
    run->n_devices = n;
    for (size_t i = 0; i < n && rc == HB_OK; i++) {
        const json_t *o = json_array_get(a, i);
        char at[32];
        snprintf(at, sizeof at, "devices[%zu]", i);
        if (!json_is_object(o))
            return hb_fail(c->err, HB_EUSAGE, "%s: %s: expected an object", c->file, at);
        hb_device *d = &run->devices[i];
        d->peaks.bw_gbs.value = d->peaks.fp32_gflops.value = d->peaks.fp64_gflops.value = NAN;
        rc = read_device_props(c, o, at, d);
        if (rc == HB_OK)
            rc = read_device_place(c, o, at, d);
    }
    return rc;
}

static int read_host(hb_jreader *c, const json_t *root, hb_host_info *h)
{
    const json_t *o, *topo, *caches = NULL;
    int rc = HB_JR_OBJ(c, root, "", "host", &o);
    if (!rc) rc = HB_JR_STR(c, o, "host", "hostname", h->hostname);
    if (!rc) rc = HB_JR_STR(c, o, "host", "os", h->os);
    if (!rc) rc = HB_JR_STR(c, o, "host", "kernel", h->kernel);
    if (!rc) rc = HB_JR_STR(c, o, "host", "cpu_model", h->cpu_model);
    if (!rc) rc = HB_JR_STR(c, o, "host", "hwloc_version", h->hwloc_version);
    if (!rc) rc = HB_JR_OBJ(c, o, "host", "topology", &topo);
    if (!rc) rc = hb_jr_unsigned(c, topo, "host.topology", "packages", &h->packages);
    if (!rc) rc = hb_jr_unsigned(c, topo, "host.topology", "numa_nodes", &h->numa_nodes);
    if (!rc) rc = hb_jr_unsigned(c, topo, "host.topology", "cores", &h->cores);
    if (!rc) rc = hb_jr_unsigned(c, topo, "host.topology", "pus", &h->pus);
    if (!rc) rc = hb_jr_uint(c, topo, "host.topology", "memory_bytes", UINT64_MAX, &h->memory_bytes);
    if (!rc) rc = HB_JR_ARR(c, topo, "host.topology", "caches", &caches);
    size_t n = caches ? json_array_size(caches) : 0;
    if (!rc && n > HB_MAX_CACHE_LEVELS)
        return hb_fail(c->err, HB_EUSAGE, "%s: host.topology.caches: more than %d levels",
                       c->file, HB_MAX_CACHE_LEVELS);
    for (size_t i = 0; !rc && i < n; i++) {
        const json_t *e = json_array_get(caches, i);
        hb_cache_level *l = &h->caches[i];
        char at[48];
        snprintf(at, sizeof at, "host.topology.caches[%zu]", i);
        if (!json_is_object(e))
            return hb_fail(c->err, HB_EUSAGE, "%s: %s: expected an object", c->file, at);
        rc = HB_JR_STR(c, e, at, "name", l->name);
        if (!rc) rc = hb_jr_uint(c, e, at, "size_bytes", UINT64_MAX, &l->size_bytes);
        if (!rc) rc = hb_jr_unsigned(c, e, at, "count", &l->count);
        if (!rc) rc = hb_jr_unsigned(c, e, at, "line_bytes", &l->line_bytes);
        h->n_caches = (int)i + 1;
    }
    return rc;
}

/* Fills *version from the header, or says why this is no result of ours. */
static int check_header(hb_jreader *c, const json_t *root, int *version)
{
    /* Without JSON_DECODE_ANY the parser returns only objects and arrays. */
    if (!json_is_object(root))
        return hb_fail(c->err, HB_EUSAGE,
                       "%s: not an hbmbench result file (the top level is an array, not an object)",
                       c->file);
    const json_t *sv = json_object_get(root, "schema_version");
    const json_t *tool = json_object_get(root, "tool");
    const json_t *name = json_is_object(tool) ? json_object_get(tool, "name") : NULL;
    if (!json_is_integer(sv))
        return hb_fail(c->err, HB_EUSAGE,
                       "%s: not an hbmbench result file (no integer \"schema_version\")", c->file);
    if (!json_is_string(name) || strcmp(json_string_value(name), "hbmbench") != 0)
        return hb_fail(c->err, HB_EUSAGE,
                       "%s: not an hbmbench result file (tool.name is not \"hbmbench\")", c->file);
    json_int_t v = json_integer_value(sv);
    if (v < 1)
        return hb_fail(c->err, HB_EUSAGE,
                       "%s: not an hbmbench result file (schema_version %lld)", c->file, (long long)v);
    if (v > HB_SCHEMA_VERSION)
        return hb_fail(c->err, HB_EUSAGE,
                       "%s: written by a newer hbmbench (schema_version %lld; "
                       "this build reads up to %d)", c->file, (long long)v, HB_SCHEMA_VERSION);
    if (!json_is_array(json_object_get(root, "results")))
        return hb_fail(c->err, HB_EUSAGE, "%s: not an hbmbench result file (no \"results\" array%s)",
                       c->file, json_object_get(root, "devices") ? "; a device list?" : "");
    *version = (int)v;
    return HB_OK;
}

/* The parser's message at its position. jansson counts lines and columns
 * from 1 but says column 0 for a bad byte at the start of a line and line
 * -1 where it has no position (found by tests/fuzz/fuzz_result.c);
 * positions are 1-based for editors (GNU Coding Standards, "Formatting
 * Error Messages"), so 0 becomes 1 and no position "?:?". */
static int parse_error(const char *path, const json_error_t *je, hb_err *err)
{
    if (je->line < 1)
        return hb_fail(err, HB_EUSAGE, "%s:?:?: %s", path, je->text);
    return hb_fail(err, HB_EUSAGE, "%s:%d:%d: %s", path, je->line, je->column < 1 ? 1 : je->column, je->text);
}

/* The whole file in one buffer (read_file.h). An empty file gets its own
 * message: the parser would call it "'[' or '{' expected near end of file". */
static char *slurp(const char *path, size_t *len, hb_err *err)
{
    char *text;
    if (hb_read_file(path, &text, len, err))
        return NULL;
    if (*len == 0) {
        free(text);
        hb_fail(err, HB_EUSAGE, "%s: empty file", path);
        return NULL;
    }
    return text;
}

/* "scheduler": the batch job, null outside one (and in files before it). */
static int read_scheduler(hb_jreader *c, const json_t *root, hb_scheduler *s)
{
    const json_t *o;
    int rc = HB_JR_OBJ(c, root, "", "scheduler", &o);
    if (!rc && o) rc = HB_JR_STR(c, o, "scheduler", "name", s->name);
    if (!rc && o) rc = HB_JR_STR(c, o, "scheduler", "job_id", s->job_id);
    if (!rc && o) rc = HB_JR_STR(c, o, "scheduler", "job_name", s->job_name);
    if (!rc && o) rc = HB_JR_STR(c, o, "scheduler", "nodes", s->nodes);
    if (!rc && o) rc = HB_JR_STR(c, o, "scheduler", "nodes_from", s->nodes_from);
    if (!rc && o) rc = HB_JR_STR(c, o, "scheduler", "step_id", s->step_id);
    if (!rc && o) rc = HB_JR_STR(c, o, "scheduler", "array_job_id", s->array_job_id);
    if (!rc && o) rc = HB_JR_STR(c, o, "scheduler", "array_task_id", s->array_task_id);
    return rc;
}

/* "complete": false when a signal stopped the run, with "stopped_by"
 * naming it; files from before it have neither and were complete
 * (results/README.md, "complete"). */
static int read_complete(hb_jreader *c, const json_t *root, hb_run *run)
{
    const json_t *v = json_object_get(root, "complete");
    int complete = 1;
    int rc = v && !json_is_null(v) ? hb_jr_bool(c, root, "", "complete", &complete) : HB_OK;
    run->incomplete = !complete;
    if (!rc && run->incomplete)
        rc = HB_JR_STR(c, root, "", "stopped_by", run->stopped_by);
    return rc;
}

/* cluster.ranks of a gathered MPI file: which ranks sent nothing. Read
 * leniently (a reader of results needs no more of the cluster object):
 * anything but an array of objects counts no rank. */
static void read_cluster_ranks(const json_t *root, hb_run *run)
{
    const json_t *cl = json_object_get(root, "cluster");
    const json_t *ranks = json_is_object(cl) ? json_object_get(cl, "ranks") : NULL;
    size_t i, used = 0;
    const json_t *e;
    if (!json_is_array(ranks))
        return;
    json_array_foreach(ranks, i, e) {
        const char *status = json_string_value(json_object_get(e, "status"));
        const char *node = json_string_value(json_object_get(e, "node"));
        const json_t *rank = json_object_get(e, "rank");
        run->cluster_ranks++;
        if (!status || !strcmp(status, "ok"))
            continue;
        run->cluster_ranks_lost++;
        if (used < sizeof run->cluster_lost)
            used += (size_t)snprintf(run->cluster_lost + used, sizeof run->cluster_lost - used,
                                     "%srank %lld on %s: %s", used ? "; " : "",
                                     json_is_integer(rank) ? (long long)json_integer_value(rank) : -1LL,
                                     node ? node : "?", status);
    }
}

/* Everything after parsing; takes root (and frees it) whatever happens.
 * pre: the results were read already (json_read_split.c) and pre holds the
 * first error among them; NULL: they are read from root. */
static int read_root(const char *path, json_t *root, hb_run *run, const hb_err *pre, hb_err *err)
{
    hb_jreader c = { .file = path, .err = err };
    const json_t *tool, *config;
    int rc = check_header(&c, root, &run->schema_version);
    if (!rc) rc = HB_JR_OBJ(&c, root, "", "tool", &tool);
    if (!rc) rc = HB_JR_STR(&c, tool, "tool", "version", run->tool_version);
    if (!rc) rc = HB_JR_STR(&c, tool, "tool", "git_commit", run->git_commit);
    if (!rc) rc = HB_JR_STR(&c, root, "", "created", run->created);
    if (!rc) rc = read_complete(&c, root, run);
    if (!rc)
        read_cluster_ranks(root, run);
    if (!rc) rc = read_host(&c, root, &run->host);
    if (!rc) rc = read_scheduler(&c, root, &run->scheduler);
    if (!rc) rc = read_devices(&c, root, run);
    if (!rc) rc = HB_JR_OBJ(&c, root, "", "config", &config);
    if (!rc) rc = hb_jr_params(&c, config, "config", "command_line", &run->config);
    if (!rc) rc = HB_JR_STR(&c, config, "config", "command_line", run->command_line);
    if (!rc && pre && pre->code)
        *err = *pre, rc = pre->code;
    if (!rc && !pre)
        rc = hb_jr_results(&c, json_object_get(root, "results"), &run->results);
    json_decref(root);
    if (rc)
        hb_run_free_read(run);
    return rc;
}

int hb_json_read_run_whole(const char *text, size_t len, const char *path, hb_run *run, hb_err *err)
{
    json_error_t je;
    memset(run, 0, sizeof *run);
    if (len == 0)
        return hb_fail(err, HB_EUSAGE, "%s: empty file", path);
    json_t *root = json_loadb(text, len, JSON_REJECT_DUPLICATES, &je);
    return root ? read_root(path, root, run, NULL, err) : parse_error(path, &je, err);
}

/* hb_json_read_run() on a result document already in memory, text[0..len)
 * (need not be NUL-terminated); path only names it in messages. */
static int hb_json_read_run_mem(const char *text, size_t len, const char *path, hb_run *run, hb_err *err)
{
    hb_err pre = {0};
    hb_jreader c = { .file = path, .err = &pre };
    json_t *root = NULL;
    memset(run, 0, sizeof *run);
    if (len == 0 || hb_jr_split(&c, text, len, &root, &run->results)) {
        hb_result_list_free(&run->results);
        return hb_json_read_run_whole(text, len, path, run, err);
    }
    return read_root(path, root, run, &pre, err);
}

int hb_json_read_run(const char *path, hb_run *run, hb_err *err)
{
    size_t len;
    memset(run, 0, sizeof *run);
    char *text = slurp(path, &len, err);
    if (!text)
        return err->code;
    int rc = hb_json_read_run_mem(text, len, path, run, err);
    free(text);
    return rc;
}

void hb_run_free_read(hb_run *run)
{
    free(run->devices);
    hb_result_list_free(&run->results);
    memset(run, 0, sizeof *run);
}
