#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# A real run on the OpenCL CPU device and the host baseline, validated
# against results/schema.json; and `list --json` parsed and checked.
# usage: cli_run_schema.sh HBMBENCH PYTHON VALIDATE_SCHEMA_PY
set -eu
hb=$1 py=$2 validate=$3
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
"$hb" run --device 0,host --size 1MiB --iters 3 --out "$tmp/run.json" --format csv >"$tmp/run.csv"
"$py" "$validate" "$tmp/run.json"
"$hb" list --json >"$tmp/list.json"
"$py" - "$tmp/run.json" "$tmp/list.json" "$tmp/run.csv" <<'PY'
import csv, json, sys
run, lst = json.load(open(sys.argv[1])), json.load(open(sys.argv[2]))
rows = list(csv.DictReader(open(sys.argv[3])))
benches = {"copy", "scale", "add", "triad", "dot", "read", "write"}
def check(cond, what):
    print(("PASS " if cond else "FAIL ") + what)
    if not cond:
        sys.exit(1)
check(all(r["valid"] for r in run["results"]), "every result valid")
for dev in ("host", None):
    got = {(r["bench"], r["dtype"]) for r in run["results"] if (r["device"] == "host") == (dev == "host")}
    check(got >= {(b, t) for b in benches for t in ("f32", "f64")}, f"every kernel and dtype ({dev or 'OpenCL'})")
check(len(rows) == len(run["results"]), "one CSV row per result")
check([(r["model"], r["timer"]) for r in rows] == [(r["model"], r["timer"]) for r in run["results"]]
      and all(r["host"] == run["host"]["hostname"] and r["created"] == run["created"] for r in rows),
      "CSV rows carry model, timer, host and created (rows of many files concatenate)")
check(all(r["bandwidth_gbs"]["best"] > 0 for r in run["results"]), "positive bandwidths")
check(all(len(r["samples_s"]) == 3 for r in run["results"]), "raw samples kept")
devs = lst["devices"]
check(len(devs) >= 2 and devs[-1]["name"] == "host", "list --json: OpenCL devices then host")
cpu = devs[0]
for key in ("name", "vendor", "type", "driver_version", "compute_units", "global_mem_bytes", "max_alloc_bytes",
            "locality", "peaks", "pci"):
    check(key in cpu, f"list --json device has {key}")
check(cpu["locality"]["cpuset"] != "" and cpu["locality"]["numa_nodes"] != "", "CPU device mapped to the machine")
check(cpu["peaks"]["bandwidth_gbs"]["source"] in ("unknown", "user", "peaks-file", "vendor", "table"),
      "peak source named")
host = lst["devices"][-1]
check(host["compute_units"] is None and host["max_work_group_size"] is None,
      "list --json: the host's OpenCL properties are null (not applicable), not 0")
PY
# The table (issue 20): whole device names, rows within 120 columns, each
# row's configuration label listed under the table.
"$hb" run --device 0,host --bench copy,triad --size 1MiB --iters 3 --out "$tmp/table.json" >"$tmp/table.txt"
"$py" - "$tmp/table.txt" "$tmp/list.json" <<'PY'
import json, re, sys
text, lst = open(sys.argv[1]).read().splitlines(), json.load(open(sys.argv[2]))
rows = [l for l in text if re.match(r"^\d+ ", l)]
def check(cond, what):
    print(("PASS " if cond else "FAIL ") + what)
    if not cond:
        sys.exit(1)
check(len(rows) == 8 and all(len(l) <= 120 for l in rows), f"{len(rows)} stream rows, each within 120 columns")
check(lst["devices"][0]["name"] in "\n".join(rows), "the device name whole, not cut at 22 characters")
labels = {l.split()[-1] for l in rows}
check(all(any(l.startswith(f"# {c}: ") for l in text) for c in labels), f"configurations {sorted(labels)} listed")
PY
echo "1 passed, 0 failed"
