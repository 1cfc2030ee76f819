#!/usr/bin/python3
# SPDX-License-Identifier: Apache-2.0
"""The docs' option tables say what each command's --help says: --help is
generated from each command's one option table (runner/cli/options.h), and
every option it lists has a row in the docs' table for that command, and
every option a docs table names exists. README.md's table of essential
`run` options is a subset. README.md's "Environment variables" table names
exactly the variables `run --help` lists (runner/core/env.c).

usage: options_doc.py HBMBENCH REPO
"""
import re
import subprocess
import sys

OPTION = re.compile(r"--[a-z0-9][a-z0-9-]*")
CELL = re.compile(r"(?<!\\)\|")   # a cell border, not an escaped "\|" inside a cell


def help_options(hb, command):
    """The options --help lists: its lines that start with two spaces and an option."""
    out = subprocess.run([hb, command, "--help"], capture_output=True, text=True, check=True).stdout
    names = set()
    for line in out.splitlines():
        m = re.match(r"^  (?:-h, )?(--[a-z0-9][a-z0-9-]*)", line)
        if m:
            names.add(m.group(1))
    return names - {"--help"}, out


def table_after(path, marker):
    """The option names in the first column of the first Markdown table
    from the line holding marker on (a table row, or a line before one)."""
    with open(path, encoding="utf-8") as f:
        lines = f.read().splitlines()
    start = next((i for i, line in enumerate(lines) if marker in line), None)
    if start is None:
        raise SystemExit(f"FAIL {path}: no line with {marker!r}")
    names, in_table = set(), False
    for line in lines[start:]:
        if line.startswith("|"):
            in_table = True
            first = CELL.split(line)[1]
            names |= set(OPTION.findall(first))
        elif in_table:
            break
    return names


def same(what, documented, helped):
    bad = 0
    for name in sorted(helped - documented):
        print(f"FAIL {what}: {name} is in --help but has no row in the docs' table")
        bad = 1
    for name in sorted(documented - helped):
        print(f"FAIL {what}: the docs' table names {name}, which --help does not list")
        bad = 1
    if not bad:
        print(f"PASS {what}: {len(helped)} options, each in --help and in the docs' table")
    return bad


def main():
    hb, repo = sys.argv[1], sys.argv[2]
    bad = 0
    run, text = help_options(hb, "run")
    mpi = table_after(f"{repo}/docs/cluster.md", "--rank-timeout") if "MPI runs" in text else set()
    run_doc = table_after(f"{repo}/docs/usage.md", "`hbmbench run` options")
    bad |= same("run", run_doc | mpi, run)
    essential = table_after(f"{repo}/README.md", "Essential `run` options")
    for name in sorted(essential - run):
        print(f"FAIL README.md: its run table names {name}, which run --help does not list")
        bad = 1
    compare, _ = help_options(hb, "compare")
    bad |= same("compare", table_after(f"{repo}/docs/compare-check.md", "`--match pci"), compare)
    check, _ = help_options(hb, "check")
    bad |= same("check", table_after(f"{repo}/docs/compare-check.md", "| `--rules FILE` | a rules file"), check)
    bad |= same_env(text, f"{repo}/README.md")
    export, _ = help_options(hb, "export")
    bad |= same("export", table_after(f"{repo}/docs/export.md", "| `--format FMT` | `openmetrics`"), export)
    if "MPI runs" in text:   # `merge` exists in the MPI build only
        merged, _ = help_options(hb, "merge")
        bad |= same("merge", table_after(f"{repo}/docs/cluster.md", "`hbmbench merge` option"), merged)
    listed, _ = help_options(hb, "list")
    bad |= same("list", option_row(f"{repo}/docs/usage.md", "| `hbmbench list"), listed)
    sys.exit(bad)


def same_env(help_text, readme):
    """The variables of --help's environment table and of README's."""
    section = help_text[help_text.find("\nEnvironment variables"):]
    helped = set(re.findall(r"^  ([A-Z][A-Z0-9_]*)=", section, re.M))
    with open(readme, encoding="utf-8") as f:
        lines = f.read().splitlines()
    start = lines.index("## Environment variables")
    documented = set()
    for line in lines[start + 1:]:
        if line.startswith("## "):
            break
        if line.startswith("| `"):
            documented |= set(re.findall(r"`([A-Z][A-Z0-9_]*)", CELL.split(line)[1]))
    bad = 0
    for name in sorted(helped ^ documented):
        where = "run --help" if name in helped else "README.md's table"
        print(f"FAIL environment: {name} is only in {where}")
        bad = 1
    if not helped:
        print("FAIL environment: run --help lists no environment variables")
        bad = 1
    if not bad:
        print(f"PASS environment: {len(helped)} variables, each in run --help and in README.md")
    return bad


def option_row(path, marker):
    """The options named in the first cell of the table row that starts with marker."""
    with open(path, encoding="utf-8") as f:
        for line in f:
            if line.startswith(marker):
                return set(OPTION.findall(CELL.split(line)[1]))
    raise SystemExit(f"FAIL {path}: no row starting {marker!r}")


main()
