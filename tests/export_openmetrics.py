#!/usr/bin/python3
# SPDX-License-Identifier: Apache-2.0
"""`hbmbench export --format openmetrics` read back by a real OpenMetrics
parser (Debian's python3-prometheus-client,
prometheus_client.openmetrics.parser), every sample held against the JSON it
came from (docs/export.md):

  - a run of stream, GEMM and latency benches on PoCL and the host: each
    result's figure (best and median), peak, fraction of peak, CV and valid
    flag, in base units, with its labels; the device's identity;
  - the mock GPU (UUID and serial from the mock NVML) in the labels;
  - an MPI run's file: node and rank from each result, each node's UUID;
  - label values with quotes, backslashes and line feeds escaped, read back
    equal; a result whose labels repeat gets occurrence="2";
  - the Slurm job in hbmbench_run_info;
  - the Prometheus text-format parser (what node_exporter's textfile
    collector speaks) reads the same gauges;
  - --check verdicts equal to `hbmbench check --format json`'s, one state set
    per rule and device; hbmbench_check_ok;
  - the reference result files (schema 1) export and parse;
  - --out writes whole files atomically, refuses to replace one without
    --force; bad input is exit 2 with no file left.

usage: export_openmetrics.py HBMBENCH REPO MOCK_LIBCUDA MOCK_NVML
"""
import json
import math
import os
import subprocess
import sys
import tempfile

try:
    from prometheus_client.openmetrics.parser import text_string_to_metric_families
    from prometheus_client.parser import text_string_to_metric_families as prometheus_text_families
except ImportError:
    print("SKIP: python3-prometheus-client is not installed (apt-get install python3-prometheus-client)")
    sys.exit(77)

HB, REPO, MOCK_CUDA, MOCK_NVML = sys.argv[1:5]
FAILED = []
PASSED = [0]
UNITS = {"GB/s": ("hbmbench_bandwidth_bytes_per_second", 1e9, "hbmbench_peak_bytes_per_second"),
         "GFLOP/s": ("hbmbench_flops_per_second", 1e9, "hbmbench_peak_flops_per_second"),
         "ns": ("hbmbench_latency_seconds", 1e-9, None)}


def check(what, ok, detail=""):
    if ok:
        PASSED[0] += 1
    else:
        FAILED.append(f"{what}: {detail}")
        print(f"FAIL {what}: {detail}")


def hb(*args, env=None, ok=(0,)):
    p = subprocess.run([HB, *args], capture_output=True, text=True, env={**os.environ, **(env or {})})
    if p.returncode not in ok:
        raise SystemExit(f"FAIL hbmbench {' '.join(args)}: exit {p.returncode}\n{p.stderr}")
    return p


def parse(text):
    """{family name: [(labels dict, value)]}; the parser itself enforces the
    spec (unit suffixes, # EOF, grouping, escapes)."""
    fams = {}
    for fam in text_string_to_metric_families(text):
        check(f"{fam.name} is a gauge", fam.type == "gauge", fam.type)
        fams[fam.name] = [(s.labels, s.value) for s in fam.samples]
        check(f"{fam.name}: no timestamps", all(s.timestamp is None for s in fam.samples))
        sets = [tuple(sorted(l.items())) for l, _ in fams[fam.name]]
        check(f"{fam.name}: label sets unique", len(sets) == len(set(sets)))
    return fams


def result_labels(doc, r):
    node = r.get("node") or doc["host"]["hostname"]
    dev = next((d for d in doc["devices"] if d["index"] == r["device_index"] and d.get("node", "") == r.get("node", "")),
               {})
    want = {"node": node, "device": str(r["device_index"]), "uuid": dev.get("uuid"), "model": r.get("model"),
            "bench": r["bench"], "dtype": r.get("dtype"), "implementation": r.get("implementation"),
            "size": r.get("problem")}
    if r.get("node"):
        want["rank"] = str(r["rank"])
    return {k: v for k, v in want.items() if v}


def find(samples, want, extra=None):
    """The values of samples whose labels are want (plus extra), occurrence aside."""
    full = {**want, **(extra or {})}
    return [v for l, v in samples if {k: x for k, x in l.items() if k != "occurrence"} == full]


def same(a, b):
    return a == b or (math.isfinite(a) and math.isfinite(b) and abs(a - b) <= 1e-12 * max(abs(a), abs(b)))


def check_results(doc, fams, what):
    n = 0
    for i, r in enumerate(doc["results"]):
        f = r["figure"]
        name, scale, peak_name = UNITS[f["unit"]]
        want = result_labels(doc, r)
        for stat in ("best", "median"):
            if f[stat] is None:
                continue
            got = find(fams.get(name, []), want, {"stat": stat})
            check(f"{what} result {i} {stat}", any(same(v, f[stat] * scale) for v in got),
                  f"{name}{want} = {got}, want {f[stat] * scale}")
        if f["peak"] is not None and peak_name:
            got = find(fams.get(peak_name, []), want, {"source": f["peak_source"]})
            check(f"{what} result {i} peak", any(same(v, f["peak"] * scale) for v in got), f"{got} vs {f['peak']}")
            if f["better"] == "higher" and f["best"] is not None:
                got = find(fams["hbmbench_fraction_of_peak_ratio"], want)
                check(f"{what} result {i} fraction", any(same(v, f["best"] / f["peak"]) for v in got), str(got))
        got = find(fams["hbmbench_valid"], want)
        check(f"{what} result {i} valid", [float(r["valid"])] == got[:1], str(got))
        if r["stats"]["cv"] is not None:
            got = find(fams["hbmbench_cv_ratio"], want)
            check(f"{what} result {i} cv", any(same(v, r["stats"]["cv"]) for v in got), str(got))
        n += 1
    return n


def export(path, *args, env=None):
    text = hb("export", "--format", "openmetrics", *args, path, env=env).stdout
    check(f"{path} ends with # EOF", text.endswith("# EOF\n"))
    return text


def main():
    tmp = tempfile.mkdtemp()
    slurm = {"SLURM_JOB_ID": "4242", "SLURM_JOB_NAME": 'nightly "hbm" \\ run', "SLURM_JOB_NODELIST": "gpu[01-02]",
             "SLURM_STEP_ID": "0"}
    mixed = f"{tmp}/mixed.json"
    hb("run", "--device", "all", "--bench", "copy,triad,gemm,latency", "--dtype", "f32,f64", "--size", "1MiB",
       "--gemm-sizes", "64", "--latency-max", "32KiB", "--iters", "2", "--tune", "off", "--out", mixed, env=slurm)
    doc = json.load(open(mixed))
    text = export(mixed, "--check")
    fams = parse(text)
    # node_exporter's textfile collector reads the Prometheus text format:
    # the same families and samples, every one a gauge
    prom = {f.name: f for f in prometheus_text_families(text)}
    check("the Prometheus text parser reads the same families",
          sorted(prom) == sorted(fams) and all(p.type == "gauge" and len(p.samples) == len(fams[n])
                                               for n, p in prom.items()), f"{sorted(prom)} vs {sorted(fams)}")
    n = check_results(doc, fams, "mixed")
    check("mixed: every result exported", n == len(doc["results"]) and n > 10, f"{n} of {len(doc['results'])}")
    info = fams["hbmbench_run_info"][0][0]
    check("run_info carries the Slurm job", info.get("job_id") == "4242" and info.get("job_name") ==
          slurm["SLURM_JOB_NAME"] and info.get("scheduler") == "slurm" and info.get("step_id") == "0", str(info))
    check("run_complete", fams["hbmbench_run_complete"][0][1] == 1.0)
    devs = fams["hbmbench_device_info"]
    check("one device_info per device", len(devs) == len(doc["devices"]), str(devs))

    # the mock GPU: its UUID and serial reach the labels
    env = {"HB_LIBCUDA": MOCK_CUDA, "HB_LIBNVML": MOCK_NVML}
    gpu = f"{tmp}/gpu.json"
    p = subprocess.run([HB, "run", "--device", "mock", "--model", "cuda", "--bench", "copy", "--dtype", "f32",
                        "--size", "1MiB", "--iters", "2", "--tune", "off", "--out", gpu],
                       capture_output=True, text=True, env={**os.environ, **env})
    if p.returncode == 0:
        gdoc = json.load(open(gpu))
        gfams = parse(export(gpu))
        check_results(gdoc, gfams, "gpu")
        uuid = "GPU-6d6f636b-0001-0203-0405-060708090a0b"
        d = gfams["hbmbench_device_info"][0][0]
        check("device_info: UUID, serial, source", d.get("uuid") == uuid and d.get("serial") == "1650123456789" and
              d.get("uuid_source") == "nvmlDeviceGetUUID", str(d))
        check("results labelled with the UUID",
              all(l.get("uuid") == uuid for l, _ in gfams["hbmbench_bandwidth_bytes_per_second"]))
    else:
        print(f"SKIP mock GPU: {p.stderr.strip()[:200]}")

    # escaping, and repeated label sets
    odd = dict(doc)
    odd["host"] = dict(doc["host"], hostname='node "7" \\ a\nb')
    odd["devices"] = [dict(d, uuid='u"\\\n') for d in doc["devices"]]
    odd["results"] = [doc["results"][0], doc["results"][0]]
    oddf = f"{tmp}/odd.json"
    json.dump(odd, open(oddf, "w"))
    ofams = parse(export(oddf))
    bw = ofams["hbmbench_bandwidth_bytes_per_second"]
    check("escaped labels read back equal", all(l["node"] == 'node "7" \\ a\nb' and l["uuid"] == 'u"\\\n'
                                                 for l, _ in bw), str(bw[:1]))
    occ = sorted(l.get("occurrence", "1") for l, v in bw if l["stat"] == "best")
    check("a repeated result gets occurrence 2", occ == ["1", "2"], str(occ))

    # an MPI run's file: node and rank from each result, each node's device UUID its own
    first = doc["results"][0]
    cl = dict(doc)
    cl["devices"] = [dict(doc["devices"][0], index=0, node=n, rank=k, uuid=f"GPU-{k}") for k, n in
                     enumerate(("n1", "n2"))]
    cl["results"] = [dict(first, device_index=0, node=n, rank=k) for k, n in enumerate(("n1", "n2"))]
    clf = f"{tmp}/cluster.json"
    json.dump(cl, open(clf, "w"))
    cfams = parse(export(clf))
    got = sorted((l["node"], l["rank"], l["uuid"]) for l, _ in cfams["hbmbench_bandwidth_bytes_per_second"]
                 if l["stat"] == "best")
    check("MPI file: node, rank and that node's UUID", got == [("n1", "0", "GPU-0"), ("n2", "1", "GPU-1")], str(got))
    check("MPI file: no occurrence label", all("occurrence" not in l for l, _ in
                                                cfams["hbmbench_bandwidth_bytes_per_second"]))

    # verdicts: the same as `hbmbench check --format json`
    vfams = parse(export(mixed, "--check"))
    verdict_doc = json.loads(hb("check", "--format", "json", mixed, ok=(0, 1)).stdout)
    states = vfams.get("hbmbench_check_verdict", [])
    for v in verdict_doc["verdicts"]:
        if v["device_index"] is None or v["device_index"] < 0:
            continue
        for state in ("pass", "fail", "skip"):
            got = [x for l, x in states if l["rule"] == v["rule"] and l["device"] == str(v["device_index"])
                   and l["state"] == state]
            check(f"verdict {v['rule']} device {v['device_index']} {state}",
                  got == [1.0 if v["verdict"] == state else 0.0], str(got))
    ok = vfams["hbmbench_check_ok"][0]
    check("check_ok agrees with check's summary", ok[1] == (1.0 if verdict_doc["summary"]["fail"] == 0 else 0.0)
          and ok[0]["rules"].startswith("built-in"), str(ok))
    rules = f"{tmp}/rules.json"
    json.dump({"rules": [{"id": "impossible", "description": "d", "select": {"bench": ["copy"]},
                          "metric": "bandwidth_best", "comparison": ">=", "threshold": 1e12}]}, open(rules, "w"))
    rfams = parse(export(mixed, "--rules", rules))
    fails = [l for l, x in rfams["hbmbench_check_verdict"] if l["state"] == "fail" and x == 1.0]
    check("--rules: a failing rule is exported, export still exits 0",
          fails and all(l["rule"] == "impossible" for l in fails) and rfams["hbmbench_check_ok"][0][1] == 0.0,
          str(fails))

    # the reference results (schema 1) export and parse
    for name in sorted(os.listdir(f"{REPO}/results")):
        if name.endswith(".json") and name != "schema.json":
            rdoc = json.load(open(f"{REPO}/results/{name}"))
            rf = parse(export(f"{REPO}/results/{name}"))
            n = sum(1 for f in rf.values() for l, _ in f if l.get("stat") == "best")
            check(f"{name}: every result has a best sample", n == len(rdoc["results"]), f"{n}")

    # --out: whole, atomic, never replaced without --force
    out = f"{tmp}/hbmbench.prom"
    hb("export", "--out", out, mixed)
    check("--out writes the text", open(out).read() == export(mixed))
    p = hb("export", "--out", out, gpu if os.path.exists(gpu) else oddf, ok=(2,))
    check("--out refuses an existing file", "exists" in p.stderr and open(out).read() == export(mixed), p.stderr)
    hb("export", "--out", out, "--force", oddf)
    check("--force replaces it", open(out).read() == export(oddf))
    bad = f"{tmp}/bad.json"
    open(bad, "w").write('{"schema_version": 2, "results": [')
    p = hb("export", "--out", f"{tmp}/bad.prom", bad, ok=(2,))
    check("a malformed file is exit 2, no output file", not os.path.exists(f"{tmp}/bad.prom"), p.stderr)
    p = hb("export", "--rules", f"{tmp}/absent-rules.json", mixed, ok=(2,))
    check("a missing rules file is exit 2", "rules" in p.stderr, p.stderr)
    p = hb("export", "--format", "csv", mixed, ok=(2,))
    check("an unknown format is exit 2", "format" in p.stderr, p.stderr)
    check("no temporary file left", sorted(f for f in os.listdir(tmp) if ".tmp." in f) == [], str(os.listdir(tmp)))

    print(f"{PASSED[0]} checks passed, {len(FAILED)} failed")
    sys.exit(1 if FAILED else 0)


main()
