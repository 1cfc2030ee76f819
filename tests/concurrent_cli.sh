#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# `hbmbench run --concurrent` on two sub-devices of the OpenCL CPU device
# (HBMBENCH_CL_SUBDEVICES=1 splits PoCL's device into one per core): the
# file validates against the schema; both devices have valid solo and
# concurrent results; each step of the top-level "concurrent" array sums
# its devices (aggregate, solo sum, scaling, slowdowns agree with the
# results); every device's timed iterations ran while every other device
# was loaded (each began loading before, and stopped after). Then --solo
# takes the solo figures from that file, and --solo alone is bad usage. A
# --solo file is checked before anything is measured: missing, not a result
# file, or without a device's solo result is bad usage (exit 2, no result
# file); one from another host is a warning.
# Exits 77 (skipped) when the device cannot be split in two.
# usage: concurrent_cli.sh HBMBENCH PYTHON VALIDATE_SCHEMA_PY
set -eu
hb=$1 py=$2 validate=$3
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
export HBMBENCH_CL_SUBDEVICES=1
devs=$("$hb" list --json | "$py" -c 'import json,sys
print(",".join(str(d["index"]) for d in json.load(sys.stdin)["devices"] if "(sub-device" in d["name"]))')
case "$devs" in
    *,*) ;;
    *) echo "SKIP: no OpenCL device splits into two sub-devices here"; exit 77 ;;
esac
small=(--bench copy,triad --dtype f32 --size 4MiB --iters 5 --warmup 1 --tune off)
"$hb" run --device "$devs" --concurrent "${small[@]}" --out "$tmp/run.json" >"$tmp/table.txt"
"$py" "$validate" "$tmp/run.json"
"$hb" run --device "$devs" --concurrent --solo "$tmp/run.json" "${small[@]}" --out "$tmp/again.json" >/dev/null
"$py" "$validate" "$tmp/again.json"
"$py" - "$tmp/run.json" "$tmp/again.json" "$tmp/table.txt" "$devs" <<'PY'
import json, math, sys
run, again = json.load(open(sys.argv[1])), json.load(open(sys.argv[2]))
table, devs = open(sys.argv[3]).read(), [int(d) for d in sys.argv[4].split(",")]
ok = True
def check(cond, what):
    global ok
    print(("PASS " if cond else "FAIL ") + what)
    ok = ok and cond
close = lambda a, b: a is not None and b is not None and math.isclose(a, b, rel_tol=1e-9)
res = run["results"]
solo = [r for r in res if "concurrent" not in r]
conc = [r for r in res if "concurrent" in r]
want = {(d, b) for d in devs for b in ("copy", "triad")}
check({(r["device_index"], r["bench"]) for r in solo} == want and len(solo) == 4, "each device alone first")
check({(r["device_index"], r["bench"]) for r in conc} == want and len(conc) == 4, "then all at once")
check(all(r["valid"] for r in res), "every result verified")
check(res.index(conc[0]) == len(solo), "solo results come first")
check(run["config"]["concurrent"] is True and "concurrent" in run["conventions"], "config and convention")
solo_of = {(r["device_index"], r["bench"]): r["bandwidth_gbs"]["best"] for r in solo}
check(all(close(r["concurrent"]["solo_gbs"], solo_of[(r["device_index"], r["bench"])]) for r in conc),
      "each concurrent result carries its device's solo figure")
check(all(close(r["concurrent"]["slowdown"], r["concurrent"]["solo_gbs"] / r["bandwidth_gbs"]["best"]) for r in conc),
      "slowdown = solo / concurrent best")
check(all(r["config"] == next(s["config"] for s in solo if (s["device_index"], s["bench"]) ==
                              (r["device_index"], r["bench"])) for r in conc), "the solo configuration is reused")
steps = run["concurrent"]
check(len(steps) == 2 and [s["bench"] for s in steps] == ["copy", "triad"], "one aggregate record per step")
for s in steps:
    members = [r for r in conc if r["concurrent"]["step"] == s["step"]]
    check(s["devices"] == 2 and sorted(s["device_indexes"]) == devs and len(members) == 2 and
          all(r["concurrent"]["devices"] == 2 for r in members), f"step {s['step']}: both devices")
    agg = sum(r["bandwidth_gbs"]["best"] for r in members)
    ssum = sum(r["concurrent"]["solo_gbs"] for r in members)
    check(close(s["aggregate_gbs"], agg) and close(s["solo_sum_gbs"], ssum) and close(s["scaling"], agg / ssum),
          f"step {s['step']} {s['bench']}: aggregate {agg:.2f} GB/s, solo sum {ssum:.2f}, scaling {agg / ssum:.2f}")
    check(close(s["max_slowdown"], max(r["concurrent"]["slowdown"] for r in members)), f"step {s['step']}: worst slowdown")
    c = [r["concurrent"] for r in members]
    check(all(e["load_from_s"] <= d["start_s"] and e["load_until_s"] >= d["end_s"] for d in c for e in c),
          f"step {s['step']}: every timed iteration ran while every device was loaded "
          f"(starts {max(d['start_s'] for d in c) - min(d['start_s'] for d in c):.4f} s apart, "
          f"untimed before {[d['untimed_before'] for d in c]}, after {[d['untimed_after'] for d in c]})")
check("# concurrent step 1: copy" in table and "[concurrent step 2]" in table, "the table shows the steps")
ares = again["results"]
check(len(ares) == 4 and all("concurrent" in r and r["valid"] for r in ares), "--solo: no solo phase, all valid")
check(all(close(r["concurrent"]["solo_gbs"], solo_of[(r["device_index"], r["bench"])]) for r in ares),
      "--solo: the solo figures come from the file")
check(again["config"]["solo"] == "run.json", "--solo recorded in the config")
sys.exit(0 if ok else 1)
PY
set +e
"$hb" run --device "$devs" --solo "$tmp/run.json" "${small[@]}" --out "$tmp/bad.json" 2>"$tmp/bad.err"
rc=$?
set -e
[ "$rc" -eq 2 ] && grep -q "goes with --concurrent" "$tmp/bad.err" || { echo "FAIL --solo alone: exit $rc"; exit 1; }
echo "PASS --solo without --concurrent is bad usage (exit 2)"

# bad_solo NAME FILE PATTERN: exit 2, the message, no result file.
bad_solo() {
    set +e
    "$hb" run --device "$devs" --concurrent --solo "$2" "${small[@]}" --out "$tmp/bad.json" 2>"$tmp/bad.err"
    local rc=$?
    set -e
    if [ "$rc" -ne 2 ] || ! grep -qE -- "$3" "$tmp/bad.err" || [ -e "$tmp/bad.json" ]; then
        echo "FAIL --solo $1: exit $rc, or no /$3/, or a result file"; sed 's/^/  | /' "$tmp/bad.err"; exit 1
    fi
    echo "PASS --solo $1: bad usage (exit 2) before anything is measured, no result file"
}
bad_solo "a missing file" "$tmp/none.json" "^hbmbench run: --solo: .*none.json"
echo '{"not": "a result file"}' >"$tmp/foreign.json"
bad_solo "not a result file" "$tmp/foreign.json" "^hbmbench run: --solo: .*foreign.json"
second=${devs#*,}
second=${second%%,*}
"$py" - "$tmp/run.json" "$tmp/one.json" "$second" <<'PY'
import json, sys
d = json.load(open(sys.argv[1]))
d["results"] = [r for r in d["results"] if r["device_index"] != int(sys.argv[3])]
json.dump(d, open(sys.argv[2], "w"))
PY
bad_solo "without one device's solo results" "$tmp/one.json" "has no valid result of \\[$second\\] .* measured alone"
"$py" - "$tmp/run.json" "$tmp/elsewhere.json" <<'PY'
import json, sys
d = json.load(open(sys.argv[1]))
d["host"]["hostname"] = "another-machine"
json.dump(d, open(sys.argv[2], "w"))
PY
"$hb" run --device "$devs" --concurrent --solo "$tmp/elsewhere.json" "${small[@]}" --out "$tmp/else.json" \
    >/dev/null 2>"$tmp/else.err"
grep -q 'warning: --solo: .*elsewhere.json was written on host "another-machine"' "$tmp/else.err" ||
    { echo "FAIL --solo from another host: no warning"; exit 1; }
echo "PASS --solo from another host: measured, with a warning naming both hosts"

# --repeat 2: one concurrent record per repetition and step, each with its
# own devices and the solo figures of its own repetition's solo phase.
"$hb" run --device "$devs" --concurrent --repeat 2 "${small[@]}" --out "$tmp/rep.json" >"$tmp/rep.txt" 2>/dev/null
"$py" "$validate" "$tmp/rep.json" >/dev/null
"$py" - "$tmp/rep.json" "$tmp/rep.txt" <<'PY'
import json, math, sys
d = json.load(open(sys.argv[1]))
table = open(sys.argv[2]).read()
res, recs = d["results"], d["concurrent"]
n_dev = len({r["device_index"] for r in res})
ok = len(recs) == 2 * len({(r["bench"], r["dtype"]) for r in res}) and all(x["devices"] == n_dev for x in recs)
for x in recs:
    alone = {(r["device_index"], r["bench"]): r["bandwidth_gbs"]["best"] for r in res
             if "concurrent" not in r and r.get("repetition") == x["repetition"]}
    want = sum(alone[(i, x["bench"])] for i in x["device_indexes"])
    ok = ok and math.isclose(x["solo_sum_gbs"], want, rel_tol=1e-9)
ok = ok and table.count("(repetition 2)") == len(recs) // 2
print(("PASS" if ok else "FAIL") + " --repeat 2: a concurrent record per repetition and step, "
      "each against its own repetition's solo figures")
sys.exit(0 if ok else 1)
PY

# SIGTERM in the solo phase: no concurrent phase is announced. SIGTERM in the
# concurrent phase: the file keeps only steps whose devices all finished, so
# every result's device count and the summary agree (exit 143 both times).
"$py" - "$hb" "$devs" "$tmp" <<'PY'
import json, signal, subprocess, sys
hb, devs, tmp = sys.argv[1:4]
def run(name, trigger):
    out = f"{tmp}/{name}.json"
    p = subprocess.Popen([hb, "run", "--device", devs, "--concurrent", "--bench", "copy,scale,add,triad",
                          "--dtype", "f32", "--size", "16MiB", "--iters", "40", "--warmup", "1", "--tune", "off",
                          "--out", out], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    seen, count = [], 0
    for line in p.stderr:
        seen.append(line)
        count += bool(trigger(seen, line))
        if count:
            p.send_signal(signal.SIGTERM)
            break
    seen += p.stderr.readlines()
    return p.wait(), out, "".join(seen)
global_ok = True
rc, out, err = run("stop-solo", lambda seen, line: "measured [" in line)
announced = "devices at once" in err
good = rc == 143 and not announced
print(("PASS" if good else "FAIL") + f" SIGTERM in the solo phase: exit {rc}, concurrent phase announced: {announced}")
global_ok &= good
# the third measurement of the concurrent phase: a step has finished, the next one is under way
rc, out, err = run("stop-together", lambda seen, line: "measured [" in line and
                   sum("measured [" in x for x in seen[next(i for i, x in enumerate(seen) if "devices at once" in x):]) == 3
                   if any("devices at once" in x for x in seen) else False)
d = json.load(open(out))
conc = [r for r in d["results"] if "concurrent" in r]
steps = {}
for r in conc:
    steps.setdefault((r.get("repetition"), r["concurrent"]["step"]), []).append(r)
agree = all(len(v) == v[0]["concurrent"]["devices"] for v in steps.values())
summary = all(x["devices"] == len(steps[(x.get("repetition"), x["step"])]) for x in d.get("concurrent", []))
good = rc == 143 and d["complete"] is False and agree and summary
print(("PASS" if good else "FAIL") + f" SIGTERM in the concurrent phase: exit {rc}, {len(steps)} whole steps kept, "
      f"results and summary agree: {agree and summary}")
global_ok &= good
sys.exit(0 if global_ok else 1)
PY
