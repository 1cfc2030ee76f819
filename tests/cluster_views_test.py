#!/usr/bin/python3
# SPDX-License-Identifier: Apache-2.0
"""Files of MPI runs (docs/cluster.md) in compare, plot.py and report.py,
on fixtures: a gathered file is made from make_fixture.py files of single
nodes, marked and summarised as runner/cluster/ does (outliers by the rules
of docs/cluster.md), and checked against the schema. Needs no MPI.

  - compare pairs results by node when both files have nodes, whatever the
    rank order, and names the node;
  - plot.py draws the per-node chart (outliers first) and keeps the other
    charts readable (median over ranks; samples of the ranks with outliers);
  - report.py opens with the outliers and the per-node table.

usage: cluster_views_test.py SOURCE_DIR WORK_DIR HBMBENCH
"""
import json
import os
import shutil
import statistics
import subprocess
import sys
import xml.etree.ElementTree as ET

SRC, WORK, HB = (os.path.abspath(a) for a in sys.argv[1:4])
PY = sys.executable
failures = 0


def check(cond, what, detail=""):
    global failures
    print(("PASS " if cond else "FAIL ") + what + ("" if cond or not detail else "\n  | " + str(detail)[:2000]))
    failures += not cond


def node_file(node, speed, seed):
    path = os.path.join(WORK, f"{node}-{seed}.json")
    subprocess.run([PY, os.path.join(SRC, "tests", "make_fixture.py"), path, "--hostname", node, "--speed",
                    str(speed), "--seed", str(seed), "--benches", "copy,triad"], check=True)
    with open(path, encoding="utf-8") as f:
        return json.load(f)


def judge(doc, fraction=0.9, factor=3.0):
    """cluster.aggregates and cluster.outliers by the rules of docs/cluster.md."""
    groups = {}
    for r in doc["results"]:
        r["outlier"] = []
        if r["valid"]:
            key = (r["device"], r["bench"], r["dtype"], r.get("implementation", "hbmbench"), r["elements"],
                   r.get("m"), r.get("n"), r.get("k"))
            groups.setdefault(key, []).append(r)
    c = doc["cluster"]
    slow, noisy = [], []
    for key, rs in groups.items():
        figs = [r["bandwidth_gbs"]["median"] for r in rs]
        cvs = [r["stats"]["cv"] for r in rs]
        med, mcv = statistics.median(figs), statistics.median(cvs)
        base = dict(zip(("device", "bench", "dtype", "implementation", "elements", "m", "n", "k"), key))
        c["aggregates"].append({**base, "unit": "GB/s", "ranks": len(rs), "nodes": len({r["node"] for r in rs}),
                                "total": sum(figs), "min": min(figs), "median": med, "max": max(figs),
                                "best_total": sum(r["bandwidth_gbs"]["best"] for r in rs), "median_cv": mcv})
        for r, fig, cv in zip(rs, figs, cvs):
            where = {"rank": r["rank"], "node": r["node"], "device_index": r["device_index"], **base, "unit": "GB/s",
                     "group_size": len(rs)}
            if len(rs) >= 2 and fig < fraction * med:
                slow.append({**where, "kind": "slow", "value": fig, "group_median": med, "ratio": fig / med,
                             "threshold": fraction})
                r["outlier"].append("slow")
            if len(rs) >= 3 and cv > factor * mcv and cv > 0.02:
                noisy.append({**where, "kind": "noisy", "value": cv, "group_median": mcv, "ratio": cv / mcv,
                              "threshold": factor})
                r["outlier"].append("noisy")
    c["outliers"] = sorted(slow, key=lambda o: o["ratio"]) + sorted(noisy, key=lambda o: -o["ratio"])


def gathered(path, nodes, failed_node=None):
    """A gathered file of one GPU per node: nodes is [(node, speed)] in rank order."""
    per = [node_file(n, sp, i + 1) for i, (n, sp) in enumerate(nodes)]
    doc = json.loads(json.dumps(per[0]))
    doc["devices"], doc["results"] = [], []
    ranks = []
    for rank, ((node, _sp), d) in enumerate(zip(nodes, per)):
        for key in ("devices", "results"):
            doc[key] += [{**x, "rank": rank, "node": node} for x in d[key]]
        ranks.append({"rank": rank, "node": node, "local_rank": 0, "local_size": 1, "status": "ok", "exit_code": 0,
                      "message": "", "device_index": 0, "device": d["devices"][0]["name"], "device_shared_by": 1,
                      "cpuset": "0-7", "wall_s": 12.5, "results": len(d["results"]), "test_injection": "",
                      "host": d["host"]})
    if failed_node:
        ranks.append({"rank": len(nodes), "node": failed_node, "local_rank": 0, "local_size": 1, "status": "timeout",
                      "exit_code": None, "message": "no report within --rank-timeout 600 s after rank 0 finished: "
                      "the rank hung or died", "device_index": None, "device": None, "device_shared_by": 1,
                      "cpuset": None, "wall_s": None, "results": 0, "test_injection": "", "host": None})
    doc["config"]["command_line"] = f"hbmbench run --out {os.path.basename(path)}"
    doc["cluster"] = {"launcher": "open-mpi", "size": len(ranks), "nodes": len(ranks), "rank_timeout_s": 600,
                      "pin": "device", "outlier_rules": {"figure": "median", "slow_below_fraction": 0.9,
                                                         "slow_min_devices": 2, "noisy_cv_factor": 3,
                                                         "noisy_cv_min": 0.02, "noisy_min_devices": 3},
                      "ranks": ranks, "aggregates": [], "outliers": []}
    judge(doc)
    with open(path, "w", encoding="utf-8") as f:
        json.dump(doc, f, indent=2)
    return path


def svg_text(path):
    return " ".join(el.text or "" for el in ET.parse(path).getroot().iter())


def main():
    shutil.rmtree(WORK, ignore_errors=True)
    os.makedirs(WORK)
    # A: node-c is slow. B: the same nodes in another rank order, node-b slow instead.
    a = gathered(os.path.join(WORK, "cluster-a.json"),
                 [("node-a", 1.0), ("node-b", 1.0), ("node-c", 0.8), ("node-d", 1.0)], failed_node="node-e")
    b = gathered(os.path.join(WORK, "cluster-b.json"),
                 [("node-c", 1.0), ("node-d", 1.0), ("node-a", 1.0), ("node-b", 0.8)])
    plain = os.path.join(WORK, "plain.json")
    subprocess.run([PY, os.path.join(SRC, "tests", "make_fixture.py"), plain, "--benches", "copy,triad"], check=True)
    v = subprocess.run([PY, os.path.join(SRC, "tests", "validate_schema.py"), a, b], capture_output=True, text=True)
    check(v.returncode == 0, "gathered fixtures validate against the schema", v.stdout)
    doc_a = json.load(open(a))
    check([o["node"] for o in doc_a["cluster"]["outliers"]] == ["node-c"] * 2, "fixture: node-c's two kernels are slow",
          doc_a["cluster"]["outliers"])

    p = subprocess.run([HB, "compare", a, b, "--format", "json"], capture_output=True, text=True)
    check(p.returncode == 0, "compare A B: exit 0", p.stderr)
    pairs = json.loads(p.stdout)["comparisons"][0]["pairs"] if p.returncode == 0 else []
    check(len(pairs) == 8 and all(x["base"]["node"] == x["other"]["node"] for x in pairs),
          "compare pairs each node's result with the same node's, across rank orders", [
              (x["base"].get("node"), x["other"].get("node")) for x in pairs])
    verdict = {x["base"]["node"]: x["verdict"] for x in pairs}
    check(verdict.get("node-b") == "slower" and verdict.get("node-c") == "faster" and verdict.get("node-a") == "same",
          "node-b slower, node-c faster, node-a the same", verdict)
    p = subprocess.run([HB, "compare", a, b], capture_output=True, text=True)
    check("node-c:Fixture GPU" in p.stdout, "the text table names the node", p.stdout[-1500:])
    p = subprocess.run([HB, "compare", a, plain], capture_output=True, text=True)
    check(p.returncode == 0, "an MPI file against a plain one still compares (no node matching)", p.stderr)

    out = os.path.join(WORK, "plots")
    p = subprocess.run([PY, os.path.join(SRC, "scripts", "plot.py"), "--out-dir", out, "--formats", "svg", a, b],
                       capture_output=True, text=True)
    check(p.returncode == 0, "plot.py on MPI files: exit 0", p.stderr)
    names = sorted(os.listdir(out)) if os.path.isdir(out) else []
    check(names[:2] == ["kernels.svg", "nodes-0.svg"] and "nodes-1.svg" in names, "a per-node chart per file", names)
    nodes = svg_text(os.path.join(out, "nodes-0.svg")) if "nodes-0.svg" in names else ""
    check("node-c r2" in nodes and "node-e r4" in nodes and "TIMEOUT" in nodes and " S" in nodes,
          "per-node chart: every rank, the failed one named, slow cells marked", nodes[:500])
    check(nodes.find("node-c r2") < nodes.find("node-a r0"), "per-node chart: outliers first")
    kern = svg_text(os.path.join(out, "kernels.svg")) if "kernels.svg" in names else ""
    check("(4 ranks)" in kern and "median over the ranks" in kern, "kernels chart: one series per device model",
          kern[:400])
    check([n for n in names if n.startswith("samples-0")] == ["samples-0-r2-fixture-gpu.svg"],
          "samples charts only for the ranks with outliers", names)

    html_path = os.path.join(WORK, "report.html")
    p = subprocess.run([PY, os.path.join(SRC, "scripts", "report.py"), "--out", html_path, "--hbmbench", HB, a, b],
                       capture_output=True, text=True)
    check(p.returncode == 0, "report.py on MPI files: exit 0", p.stderr)
    text = open(html_path, encoding="utf-8").read() if p.returncode == 0 else ""
    check(0 < text.find('id="cluster"') < text.find('id="machines"'), "the MPI section comes first")
    section = text.split('id="cluster"')[1].split('id="machines"')[0] if 'id="cluster"' in text else ""
    first_row = section.split("<tbody>")[1].split("</tr>")[0] if "<tbody>" in section else ""
    check("slow" in first_row and "node-c" in first_row, "the outliers table leads, node-c first", first_row)
    nodes_table = section.split("<tbody>")[2].split("</tbody>")[0] if section.count("<tbody>") > 2 else ""
    rows = nodes_table.split("</tr>")
    check(len(rows) > 2 and "node-e" in rows[0] and "timeout" in rows[0] and "node-c" in rows[1],
          "per-node table: the silent rank, then the slow node, first", nodes_table[:800])
    check("node-e" not in text.split('id="machines"')[1].split('id="devices"')[0] and
          all(n in text.split('id="machines"')[1].split('id="devices"')[0] for n in ("node-a", "node-b", "node-d")),
          "machines: every node that reported")
    print(f"{failures} failed")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
