#!/usr/bin/python3
# SPDX-License-Identifier: Apache-2.0
"""Writes a small hbmbench result file with controlled samples, for the
compare, plot and report tests. The file has the layout of results/README.md
(the tests check each one with tests/validate_schema.py, so fixtures stay real
result files).

Samples are not random: for a median time t and a relative spread s, the n
samples are t * (1 + s * q) for q evenly spaced over [-1, 1], in an order
shuffled by --seed. Every sample set therefore has exactly the median t, and
two files differ exactly as the options say:

  make_fixture.py OUT                        a reference machine
  make_fixture.py OUT --speed 0.9            10 % less bandwidth (times / 0.9)
  make_fixture.py OUT --spread 0.2           same medians, much noisier
  make_fixture.py OUT --latency              a latency sweep per device and model too
  make_fixture.py OUT --schema-version 2     every result with its "figure", ops_per_iter
                                             and problem; latency untyped (dtype null)

Usage: make_fixture.py OUT [options]   (--help lists them)
"""
import argparse
import copy
import json
import os
import random
import statistics

SCHEMA = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "results", "schema.json")

# Arrays counted and FLOPs per element of the stream kernels, as hbmbench
# counts them (results/README.md, "Counting conventions").
STREAM = {"copy": (2, 0), "scale": (2, 1), "add": (3, 1), "triad": (3, 2),
          "dot": (2, 2), "read": (1, 1), "write": (1, 0)}
DTYPE_BYTES = {"f16": 2, "f32": 4, "f64": 8}
CACHES = [("L1d", 49152, 8), ("L2", 1048576, 8), ("L3", 33554432, 1)]


def parse_args(argv=None):
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("out")
    p.add_argument("--hostname", default="fixture-a")
    p.add_argument("--cpu", default="Fixture CPU 8-Core")
    p.add_argument("--device", default="Fixture GPU")
    p.add_argument("--device-type", default="GPU")
    p.add_argument("--pci", default="0000:65:00.0", help="PCI bus id, or 'none'")
    p.add_argument("--driver", default="1.0.0")
    p.add_argument("--uuid", default=None, help="the GPU's UUID and its source (default: unknown)")
    p.add_argument("--platform-version", default="OpenCL 3.0 Fixture 1.0")
    p.add_argument("--tool-version", default="0.1.0")
    p.add_argument("--schema-version", type=int, default=1)
    p.add_argument("--benches", default="copy,scale,add,triad")
    p.add_argument("--dtypes", default="f32")
    p.add_argument("--sizes", default="33554432", help="elements per array, comma-separated")
    p.add_argument("--samples", type=int, default=20)
    p.add_argument("--bandwidth", type=float, default=1000.0, help="GB/s beyond the caches")
    p.add_argument("--speed", type=float, default=1.0, help="bandwidth factor (0.9: 10 %% slower)")
    p.add_argument("--spread", type=float, default=0.005, help="relative spread of the samples")
    p.add_argument("--seed", type=int, default=1)
    p.add_argument("--peak", type=float, default=None, help="peak bandwidth, GB/s")
    p.add_argument("--global-cache", type=int, default=50331648, help="device cache, bytes")
    p.add_argument("--invalid", default="", help="a bench whose results fail verification")
    p.add_argument("--iters", type=int, default=None, help="config.iters (default: --samples)")
    p.add_argument("--tune", default="quick")
    p.add_argument("--wg", type=int, default=256, help="work-group size in each result's config")
    p.add_argument("--tuning", default=None,
                   help="config.tuning of each device result: where its configuration came from "
                        "(searched, cache, default)")
    p.add_argument("--tuned-at", default=None, help="config.tuned_at of each device result (\"1024x1024x1024\")")
    p.add_argument("--created", default="2026-11-24T12:00:00Z", help="the file's creation time, UTC")
    p.add_argument("--incomplete", default=None, metavar="SIGNAL",
                   help="a run that SIGNAL stopped: \"complete\": false, \"stopped_by\": SIGNAL")
    p.add_argument("--gemm", action="store_true", help="add an f32 GEMM result (GFLOP/s)")
    p.add_argument("--gemm-mnk", default="1024x1024x1024", help="its m x n x k")
    p.add_argument("--host", action="store_true", help="add the native host baseline")
    p.add_argument("--cuda", type=float, default=None,
                   help="the GPU is measured by OpenCL and CUDA too, CUDA at this bandwidth factor")
    p.add_argument("--latency", action="store_true",
                   help="add a latency sweep (4 KiB to --latency-max) per device and model, and its plateaus")
    p.add_argument("--latency-max", type=int, default=256 << 20, help="its largest working set, bytes")
    return p.parse_args(argv)


def samples(t, a, rnd):
    n = a.samples
    qs = [0.0] if n == 1 else [-1 + 2 * i / (n - 1) for i in range(n)]
    out = [t * (1 + a.spread * q) for q in qs]
    rnd.shuffle(out)
    return out


def stats(s):
    mean = statistics.fmean(s)
    sd = statistics.stdev(s) if len(s) > 1 else 0.0
    return {"n": len(s), "min_s": min(s), "median_s": statistics.median(s), "mean_s": mean,
            "max_s": max(s), "stddev_s": sd, "cv": sd / mean}


def bandwidth_at(a, total_bytes):
    """A cache-shaped curve, so sweep plots have something to show: faster
    while the arrays fit the device cache."""
    return a.bandwidth * a.speed * (2.5 if total_bytes <= a.global_cache else 1.0)


def schema_result_fields():
    """The result fields results/schema.json knows: fields added to the
    format later (GEMM's m, n, k, ...) are written only once the schema has them."""
    try:
        with open(SCHEMA, encoding="utf-8") as f:
            return set(json.load(f)["$defs"]["result"]["properties"])
    except (OSError, KeyError, ValueError):
        return set()


RESULT_FIELDS = schema_result_fields()


def result(a, dev, bench, family, dtype, elements, rnd, flops=None, nbytes=None, mnk=None, model=None):
    arrays, fpe = STREAM.get(bench, (3, 0))
    eb = DTYPE_BYTES[dtype]
    nbytes = nbytes if nbytes is not None else arrays * elements * eb
    flops = flops if flops is not None else fpe * elements
    rate = bandwidth_at(a, nbytes) if family != "gemm" else a.bandwidth * a.speed * 20
    if model == "cuda":
        rate *= a.cuda
    work = nbytes if family != "gemm" else flops
    s = samples(work / 1e9 / rate, a, rnd)
    st = stats(s)
    valid = bench != a.invalid
    peak = a.peak if a.peak and not dev["is_host"] else None
    best_bw, med_bw = nbytes / st["min_s"] / 1e9, nbytes / st["median_s"] / 1e9
    gf = (flops / st["min_s"] / 1e9, flops / st["median_s"] / 1e9) if flops else (None, None)
    r = {"device": dev["name"], "device_index": dev["index"], "pci_bus_id": dev["pci"]["bus_id"],
         "bench": bench, "family": family, "dtype": dtype, "elements": elements,
         "bytes_per_iter": nbytes, "flops_per_iter": flops,
         "config": device_config(a) if family != "host-stream" else {"threads": 8},
         "timer": "host-clock" if family == "host-stream" else "cuda-events" if model == "cuda" else "opencl-events",
         "stats": st, "samples_s": s, "wall_s_per_iter": st["mean_s"] * 1.01,
         "bandwidth_gbs": {"best": best_bw if valid else None, "median": med_bw if valid else None},
         "gflops": {"best": gf[0] if valid else None, "median": gf[1] if valid else None},
         "peak_bandwidth_gbs": peak, "peak_source": "user" if peak else "unknown",
         "percent_of_peak": 100 * best_bw / peak if peak and valid else None,
         "valid": valid, "notes": "" if valid else "verification failed: a[7] = 1.5, expected 2",
         "grid": []}
    compute = family == "gemm"
    pf = dev["peaks"]["fp64_gflops" if dtype == "f64" else "fp32_gflops"]["value"] if compute else None
    extra = {"implementation": "hbmbench", "m": mnk[0] if mnk else None, "n": mnk[1] if mnk else None,
             "model": model or ("host" if family == "host-stream" else "opencl"),
             "k": mnk[2] if mnk else None, "arithmetic_intensity": flops / nbytes if nbytes else None,
             "peak_gflops": pf, "peak_gflops_source": ("table" if pf else "unknown") if compute else "",
             "percent_of_peak_basis": ("fp64" if dtype == "f64" else "fp32") if compute else "bandwidth"}
    if compute and "percent_of_peak_basis" in RESULT_FIELDS:
        r["percent_of_peak"] = 100 * gf[0] / pf if pf and valid else None
    r.update({k: v for k, v in extra.items() if k in RESULT_FIELDS})
    return r


# ns per load of the latency fixture: each level's figure while the
# working set fits it, as a chase shows them (docs/latency.md). The host's
# levels are CACHES; the GPU's an L1 and its global cache.
HOST_NS = [(49152, 1.2), (1048576, 4.0), (33554432, 15.0), (None, 95.0)]
LOADS = 131072


def gpu_ns(a):
    return [(262144, 35.0), (a.global_cache, 260.0), (None, 650.0)]


def latency_sets(top):
    """hbmbench's latency sweep: 2^k and 1.5 x 2^k bytes from 4 KiB (benches/latency.c)."""
    out, s = [], 4096
    while s <= top:
        out += [s] + ([s + s // 2] if s + s // 2 <= top else [])
        s *= 2
    return out


def latency_result(a, dev, ws, model, rnd):
    """One working set of the chase: LOADS dependent loads an iteration, 4 bytes counted a load."""
    levels = HOST_NS if dev["is_host"] else gpu_ns(a)
    ns = next(v for size, v in levels if size is None or ws <= size) / a.speed / (a.cuda if model == "cuda" else 1)
    st_s = samples(ns * LOADS / 1e9, a, rnd)
    st = stats(st_s)
    nbytes = 4 * LOADS
    r = {"device": dev["name"], "device_index": dev["index"], "pci_bus_id": dev["pci"]["bus_id"],
         "bench": "latency", "family": "latency", "dtype": "f32", "elements": ws // 4,
         "bytes_per_iter": nbytes, "flops_per_iter": 0, "config": {"threads": 1},
         "timer": "host-clock" if dev["is_host"] else "cuda-events" if model == "cuda" else "opencl-events",
         "stats": st, "samples_s": st_s, "wall_s_per_iter": st["mean_s"] * 1.01,
         "bandwidth_gbs": {"best": nbytes / st["min_s"] / 1e9, "median": nbytes / st["median_s"] / 1e9},
         "gflops": {"best": None, "median": None}, "peak_bandwidth_gbs": None, "peak_source": "unknown",
         "percent_of_peak": None, "valid": True, "notes": "", "grid": []}
    extra = {"implementation": "hbmbench", "model": model, "m": None, "n": None, "k": None,
             "arithmetic_intensity": 0.0, "peak_gflops": None, "peak_gflops_source": "",
             "percent_of_peak_basis": "none" if a.schema_version >= 2 else "bandwidth"}
    r.update({k: v for k, v in extra.items() if k in RESULT_FIELDS})
    return r


def latency_plateaus(a, dev, model, results):
    """The records benches/latency_summary.c derives: per level, the median best ns per load of the
    working sets well inside it (lo < ws <= hi)."""
    if dev["is_host"]:
        levels = [("L1", 49152, "hwloc, one core's L1d"), ("L2", 1048576, "hwloc, one core's L2"),
                  ("L3", 33554432, "hwloc, the largest cache")]
    else:
        levels = [("L2", a.global_cache, "CUDA CU_DEVICE_ATTRIBUTE_L2_CACHE_SIZE" if model == "cuda"
                   else "OpenCL CL_DEVICE_GLOBAL_MEM_CACHE_SIZE")]
    out, prev = [], 0
    for name, size, src in levels + [("memory", 0, "beyond the last cache")]:
        lo = 2 * prev if prev or dev["is_host"] else size // 8
        hi = size // 2
        ns = sorted(r["stats"]["min_s"] / LOADS * 1e9 for r in results
                    if r["elements"] * 4 > lo and (not hi or r["elements"] * 4 <= hi))
        out.append({"device_index": dev["index"], "device": dev["name"], "model": model, "level": name,
                    "level_bytes": size, "source": src, "lo_bytes": lo, "hi_bytes": hi, "points": len(ns),
                    "ns_per_load": statistics.median(ns) if ns else None})
        prev = size
    return out


def fmt_bytes(n):
    """hbmbench's size label (runner/core/parse.c, hb_format_bytes): three digits and a binary unit."""
    for unit, f in (("GiB", 1 << 30), ("MiB", 1 << 20), ("KiB", 1 << 10)):
        if n >= f:
            v = n / f
            return f"{v:.2f} {unit}" if v < 10 else f"{v:.1f} {unit}"
    return f"{n} B"


def add_figure(r):
    """Schema 2: what the result's number is (results/schema.json, $defs/figure), its ops and problem."""
    st, valid = r["stats"], r["valid"]
    if r["family"] == "latency":
        loads = r["bytes_per_iter"] / 4
        f = {"name": "latency", "unit": "ns", "better": "lower", "count": "ops",
             "best": st["min_s"] / loads * 1e9 if valid else None,
             "median": st["median_s"] / loads * 1e9 if valid else None, "peak": None, "peak_source": None}
        r.update(dtype=None, ops_per_iter=loads, problem=fmt_bytes(r["elements"] * 4))
    elif r["flops_per_iter"] and r["family"] == "gemm":
        f = {"name": "flops", "unit": "GFLOP/s", "better": "higher", "count": "flops", **r["gflops"],
             "peak": r.get("peak_gflops"), "peak_source": r.get("peak_gflops_source") or None}
        r.update(ops_per_iter=0, problem=f"{r['m']}x{r['n']}x{r['k']}")
    else:
        f = {"name": "bandwidth", "unit": "GB/s", "better": "higher", "count": "bytes", **r["bandwidth_gbs"],
             "peak": r["peak_bandwidth_gbs"], "peak_source": r["peak_source"] if r["peak_bandwidth_gbs"] else None}
        r.update(ops_per_iter=0, problem=fmt_bytes(r["elements"] * DTYPE_BYTES[r["dtype"]]))
    r["figure"] = f


def device_config(a):
    cfg = {"wg": a.wg, "vec": 4}
    if a.tuning:
        cfg["tuning"] = a.tuning
    if a.tuned_at:
        cfg["tuned_at"] = a.tuned_at
    return cfg


def peak_obj(value, src):
    return {"value": value, "source": src if value is not None else "unknown",
            "detail": "fixture" if value is not None else "no source"}


def device(a, index, host=False):
    pci = None if a.pci == "none" or host else a.pci
    return {"index": index, "name": "host" if host else a.device,
            "vendor": "native (no OpenCL)" if host else "Fixture Inc.",
            "type": "HOST" if host else a.device_type, "is_host": host,
            "platform": {"name": "hbmbench native STREAM" if host else "Fixture Platform",
                         "version": "" if host else a.platform_version},
            "driver_version": "" if host else a.driver, "opencl_version": "" if host else "OpenCL 3.0",
            "opencl_c_version": "" if host else "OpenCL C 1.2", "opencl_vendor_id": None if host else "0x1234",
            "compute_units": 0 if host else 132, "max_clock_mhz": 0 if host else 1980,
            "global_mem_bytes": 0 if host else 85899345920, "max_alloc_bytes": 0 if host else 21474836480,
            "global_cache_bytes": 0 if host else a.global_cache, "cache_line_bytes": 0 if host else 128,
            "local_mem_bytes": 0 if host else 49152, "max_work_group_size": 0 if host else 1024,
            "fp64": True, "fp16": False,
            "pci": {"bus_id": pci, "vendor_id": "0x1234" if pci else None, "device_id": "0x5678" if pci else None},
            "locality": {"numa_nodes": "0", "cpuset": "0-7", "cores": 8, "pus": 8,
                         "source": "whole machine (host)" if host else "hwloc pci"},
            "peaks": {"bandwidth_gbs": peak_obj(None if host else a.peak, "user"),
                      "fp32_gflops": peak_obj(None if host else 60000.0, "table"),
                      "fp64_gflops": peak_obj(None if host else 30000.0, "table")}}


def document(a):
    rnd = random.Random(a.seed)
    devs = [device(a, 0)] + ([device(a, 1, host=True)] if a.host else [])
    if a.uuid:
        devs[0].update(uuid=a.uuid, uuid_source="nvmlDeviceGetUUID")
    if a.cuda:
        devs[0]["models"] = ["opencl", "cuda"]
        devs[0]["compute_capability"] = "9.0"
    results = []
    for dev in devs:
        family = "host-stream" if dev["is_host"] else "stream"
        for dtype in a.dtypes.split(","):
            for bench in a.benches.split(","):
                for n in (int(x) for x in a.sizes.split(",")):
                    results.append(result(a, dev, bench, family, dtype, n, rnd))
                    if a.cuda and not dev["is_host"]:
                        results.append(result(a, dev, bench, family, dtype, n, rnd, model="cuda"))
    if a.gemm:
        m, n, k = (int(x) for x in a.gemm_mnk.split("x"))
        r = result(a, devs[0], "gemm", "gemm", "f32", m * n, rnd, flops=2 * m * n * k,
                   nbytes=3 * m * n * 4, mnk=(m, n, k))
        results.append(r)
    plateaus = []
    for dev in devs if a.latency else []:
        for model in ["host"] if dev["is_host"] else ["opencl"] + (["cuda"] if a.cuda else []):
            mine = [latency_result(a, dev, ws, model, rnd) for ws in latency_sets(a.latency_max)]
            results += mine
            plateaus += latency_plateaus(a, dev, model, mine)
    if a.schema_version >= 2:
        for r in results:
            add_figure(r)
    doc = {
        "schema_version": a.schema_version,
        "tool": {"name": "hbmbench", "version": a.tool_version, "git_commit": "fixture"},
        "created": a.created,
        "host": {"hostname": a.hostname, "os": "Debian GNU/Linux 12 (bookworm)", "kernel": "Linux 6.1.0 x86_64",
                 "cpu_model": a.cpu, "hwloc_version": "2.9.0",
                 "topology": {"packages": 1, "numa_nodes": 1, "cores": 8, "pus": 8, "memory_bytes": 68719476736,
                              "caches": [{"name": n, "size_bytes": s, "count": c, "line_bytes": 64}
                                         for n, s, c in CACHES]}},
        "devices": devs,
        "config": {"iters": a.iters if a.iters is not None else a.samples, "warmup": 2, "tune": a.tune,
                   "tune_iters": 3, "size": "auto", "host_stores": "nontemporal",
                   "command_line": "make_fixture.py " + a.out},
        "conventions": {"bytes": "STREAM counting", "gb": "1e9 bytes", "bandwidth_best": "from the minimum time",
                        "bandwidth_median": "from the median time", "stats": "seconds per iteration"},
        "results": results,
    }
    if a.incomplete:
        doc.update({"complete": False, "stopped_by": a.incomplete})
    if a.latency:
        doc["conventions"]["latency"] = "one thread follows i = next[i]; ns per load = iteration time / loads"
        doc["latency_plateaus"] = plateaus
    return doc


def gathered(parts):
    """One gathered MPI result file (docs/cluster.md) from [(node, rank, doc)]:
    the first document with every rank's devices and results, each marked
    with its node and rank, as runner/cluster/cluster_merge.c writes them
    (without the "cluster" summary, which readers of results do not need)."""
    out = None
    for node, rank, doc in parts:
        if out is None:
            out = copy.deepcopy(doc)
            out["devices"], out["results"] = [], []
        for key in ("devices", "results"):
            for x in doc[key]:
                y = dict(x)
                y["rank"], y["node"] = rank, node
                out[key].append(y)
    return out


def main(argv=None):
    a = parse_args(argv)
    with open(a.out, "w", encoding="utf-8") as f:
        json.dump(document(a), f, indent=2)
        f.write("\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
