#!/usr/bin/python3
# SPDX-License-Identifier: Apache-2.0
"""Writes hbmbench's man page and its bash and zsh completions from the built
binary's own help texts (`hbmbench --help`, `hbmbench COMMAND --help`,
`hbmbench --version`), so that neither can drift from --help: every command,
option and placeholder comes from there. The build runs this after linking
hbmbench (cmake/install.cmake); docs/install.md says where the files go.

usage: gen_help_files.py HBMBENCH OUTDIR [--strict]
  writes OUTDIR/hbmbench.1 (roff), OUTDIR/hbmbench.bash and OUTDIR/_hbmbench
  (zsh), from the templates beside this file (completion/).
  --strict  exit 1 when VALUES below names a word that its option's help no
            longer mentions, or an option no command has (the install_tree
            test runs this; the build only warns).

Only the value words of a few options are written here (VALUES): --help says
them in prose ("quick (default), full (whole grid) or off"). FILE and DIR
placeholders complete file and folder names; other values are free.
"""
import os
import re
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))

# Value words of options, by "command option" or by option. kind: "one" (a
# single word) or "list" (comma-separated). words None: the first
# comma-separated list in the option's help text (--bench, --dtype, ...);
# extra: words added to it. "from": take another command's option's words.
VALUES = {
    "--bench": ("list", None, ["all"]),
    "--dtype": ("list", None, []),
    "--model": ("list", None, []),
    "--impl": ("list", None, []),
    "--transfer-host": ("list", None, []),
    "--transfer-api": ("list", ["rw", "map"], []),
    "--device": ("list", ["all", "host", "default"], []),
    "--tune": ("one", ["quick", "full", "off"], []),
    "--verify": ("one", ["device", "host", "both"], []),
    "--numa": ("one", ["local", "remote"], []),
    "--host-stores": ("one", ["nontemporal", "plain"], []),
    "--pin": ("one", ["device", "none"], []),
    "--match": ("one", ["pci", "name", "order"], []),
    "run --format": ("one", ["table", "json", "csv"], []),
    "compare --format": ("one", ["table", "markdown", "csv", "json"], []),
    "check --format": ("one", ["table", "json"], []),
    "export --format": ("one", ["openmetrics"], []),
    "compare --models": ("list", "from run --model", []),
}

# Options only some builds have: --pin is the MPI build's (-DHB_WITH_MPI=ON; the
# sanitizer build has none), so its absence from --help is no drift.
BUILD_DEPENDENT = {"--pin"}

OPTION = re.compile(r"^  (?:(-\w), )?(--[a-z][a-z0-9-]*)(?: ([A-Z][A-Z0-9_,]*))?(?:\s+(\S.*))?$")
COMMA_LIST = re.compile(r"\b[a-z][a-z0-9]*(?:,[a-z][a-z0-9]*)+\b")
problems = []


def helptext(exe, *args):
    p = subprocess.run([exe, *args], capture_output=True, text=True, timeout=60)
    if p.returncode != 0 or not p.stdout.strip():
        sys.exit(f"gen_help_files.py: `{exe} {' '.join(args)}` failed (exit {p.returncode}): {p.stderr.strip()}")
    return p.stdout


def parse_top(text):
    """(commands [(name, description)], exit-codes text) of `hbmbench --help`."""
    commands, exits, in_cmds = [], [], False
    for line in text.splitlines():
        if line.startswith("commands:"):
            in_cmds = True
        elif in_cmds and not line.strip():
            in_cmds = False
        elif in_cmds:
            m = re.match(r"^  ([a-z]+)\s{2,}(.*)$", line)
            if m:
                commands.append((m.group(1), m.group(2).strip()))
        elif line.startswith("exit codes:") or (exits and line.startswith(" ")):
            exits.append(line.strip())
    return commands, " ".join(exits).removeprefix("exit codes:").strip()


def parse_command(text):
    """A command's --help as {usage: [lines], blocks: [...]}: each block is
    ("prose", [lines]), ("option", dict) or ("exit", text)."""
    usage, blocks, cur = [], [], None
    for line in text.splitlines():
        if line.startswith("usage:") or (usage and not blocks and line.startswith("       hbmbench")):
            usage.append(line.removeprefix("usage:").strip())
            continue
        m = OPTION.match(line)
        indent = len(line) - len(line.lstrip())
        if m:
            col = m.start(4) if m.group(4) else None
            cur = {"short": m.group(1), "name": m.group(2), "arg": m.group(3), "col": col,
                   "lines": [(col or 0, m.group(4))] if m.group(4) else []}
            blocks.append(("option", cur))
        elif not line.strip():
            cur = None
        elif line.startswith("exit codes:"):
            cur = {"exit": [line.removeprefix("exit codes:").strip()]}
            blocks.append(("exit", cur))
        elif cur is not None and indent >= 4:
            if "exit" in cur:
                cur["exit"].append(line.strip())
            elif "prose" in cur:
                cur["prose"].append(line.strip())
            else:
                if cur["col"] is None:
                    cur["col"] = indent
                cur["lines"].append((indent, line.strip()))
        else:
            if cur is not None and "prose" in cur:
                cur["prose"].append(line.strip())
            else:
                cur = {"prose": [line.strip()]}
                blocks.append(("prose", cur))
    return {"usage": usage, "blocks": blocks}


def options(cmd):
    return [b for kind, b in cmd["blocks"] if kind == "option"]


def help_of(opt):
    return " ".join(t for _, t in opt["lines"])


def value_spec(cmds, name, opt):
    """How the value of option opt of command name completes:
    ("file"|"dir"|"free", []) or ("one"|"list", words)."""
    if not opt["arg"]:
        return None
    spec = VALUES.get(f"{name} {opt['name']}") or VALUES.get(opt["name"])
    if spec is None:
        return ("dir", []) if opt["arg"] == "DIR" else ("file", []) if opt["arg"] == "FILE" else ("free", [])
    kind, words, extra = spec
    text = help_of(opt)
    if isinstance(words, str):                       # "from CMD OPTION"
        _, ocmd, oopt = words.split()
        other = next((o for o in options(cmds.get(ocmd, {"blocks": []})) if o["name"] == oopt), None)
        return value_spec(cmds, ocmd, other) if other else ("free", [])
    if words is None:
        m = COMMA_LIST.search(text)
        if not m:
            problems.append(f"{name} {opt['name']}: no comma-separated list of values in its help")
            return ("free", [])
        words = m.group(0).split(",")
    else:
        for w in words:
            if not re.search(rf"\b{re.escape(w)}\b", text, re.I):
                problems.append(f"{name} {opt['name']}: '{w}' is not in its help any more")
    return (kind, words + extra)


# ---- the man page (groff man macros, man(7)) ----

def roff(text):
    """Plain help text as roff: backslashes, copy-paste-safe option dashes,
    quotes and backquotes (groff_char(7)); a line never starts with . or '."""
    text = text.replace("\\", "\\e")
    text = re.sub(r"(?<![\w-])--?[A-Za-z0-9][\w-]*", lambda m: m.group(0).replace("-", "\\-"), text)
    text = re.sub(r"(?<![\w\\])-(?![\w-])", r"\\-", text)
    return text.replace("'", "\\(aq").replace("`", "\\(ga")


def roff_lines(lines):
    """Text lines (already through roff()): one starting with a dot would be
    a request, so it is preceded by the zero-width \\&."""
    return "\n".join(("\\&" + line) if line.startswith(".") else line for line in lines)


def man_page(version, commands, exits, cmds):
    out = [".\\\" SPDX-License-Identifier: Apache-2.0",
           ".\\\" Generated by packaging/gen_help_files.py from hbmbench's --help texts: edit those.",
           f'.TH HBMBENCH 1 "" "{roff(version)}" "User Commands"',
           ".nh", ".ad l",  # no hyphenation, ragged right: options stay whole, copy-paste works
           ".SH NAME", "hbmbench \\- memory-bandwidth and GEMM benchmarks for GPUs, accelerators and CPUs",
           ".SH SYNOPSIS"]
    for name, _ in commands:
        out += [f".B hbmbench {name}", ".RI [ options ]", ".br"]
    out += [".B hbmbench \\-\\-help", ".br", ".B hbmbench \\-\\-version",
            ".SH DESCRIPTION",
            "hbmbench finds every device (OpenCL through the ICD loader, NVIDIA GPUs through the CUDA "
            "driver, the host's own cores), places each in the machine's topology with hwloc, runs "
            "STREAM-like and GEMM kernels that are verified after every timed run, and reports the "
            "achieved bandwidth against the device's theoretical peak with the source of that peak. "
            "Every run is written to a versioned JSON result file.",
            ".SH COMMANDS"]
    for name, desc in commands:
        out += [".TP", f".B {name}", roff(desc)]
    for name, _ in commands:
        cmd = cmds[name]
        out += [f'.SH "HBMBENCH {name.upper()}"', ".nf"]
        out += [roff_lines([roff(u) for u in cmd["usage"]]), ".fi"]
        for kind, b in cmd["blocks"]:
            if kind == "prose":
                out += [".PP", roff_lines([roff(line) for line in b["prose"]])]
            elif kind == "exit":
                out += [".PP", f"Exit status of {name}: " + roff(" ".join(b["exit"]))]
            else:
                head = (f"{b['short']}, " if b["short"] else "") + b["name"]
                out += [".TP", f"\\fB{roff(head)}\\fR" + (f" \\fI{b['arg']}\\fR" if b["arg"] else "")]
                body = []
                for indent, text in b["lines"]:
                    if body and b["col"] is not None and indent > b["col"]:
                        body.append(".br")         # a sub-item of the option's help
                    body.append(roff_lines([roff(text)]))
                out.append("\n".join(body))
    out += [".SH \"EXIT STATUS\"", roff(exits) + ".",
            "Signals: 128 plus the signal's number (129 SIGHUP, 130 SIGINT, 143 SIGTERM); the finished "
            "measurements are in the result file, marked incomplete.",
            ".SH FILES",
            ".TP", ".I share/hbmbench/results/schema.json",
            "the JSON schema of result files and of \\fBlist \\-\\-json\\fR, under the installation prefix",
            ".TP", ".I share/doc/hbmbench/",
            "README.md, LICENSE, the reference pages (docs/) and results/README.md (every field of a result file)",
            ".TP", ".I $XDG_CACHE_HOME/hbmbench/",
            "tuning winners kept between runs (default ~/.cache/hbmbench)",
            ".SH \"SEE ALSO\"",
            "\\fBhbmbench\\-plot \\-\\-help\\fR (charts) and \\fBhbmbench\\-report \\-\\-help\\fR "
            "(a self-contained HTML report), installed beside hbmbench; they need matplotlib "
            "(Debian: python3-matplotlib)."]
    return "\n".join(out) + "\n"


# ---- completions (templates in completion/) ----

def shell_words(words):
    return " ".join(words)


def bash_file(commands, cmds):
    arms, opt_arms = [], []
    for name, _ in commands:
        opts = options(cmds[name])
        names = [o["name"] for o in opts] + [o["short"] for o in opts if o["short"]]
        opt_arms.append(f'        {name}) echo "{shell_words(names)}" ;;')
        for o in opts:
            spec = value_spec(cmds, name, o)
            if spec:
                kind, words = spec
                arms.append(f'        "{name} {o["name"]}") echo "{" ".join([kind, *words])}" ;;')
    text = open(os.path.join(HERE, "completion", "hbmbench.bash.in"), encoding="utf-8").read()
    return (text.replace("@COMMANDS@", shell_words(n for n, _ in commands))
                .replace("@OPTION_ARMS@", "\n".join(opt_arms))
                .replace("@VALUE_ARMS@", "\n".join(arms)))


def zsh_quote(text):
    """Text inside a single-quoted _arguments spec: no quotes, brackets or colons."""
    text = re.sub(r"[\[\]]", "", text).replace("'", "").replace("`", "")
    return text.replace("\\", "")


def zsh_file(commands, cmds):
    cases = []
    for name, _ in commands:
        specs = []
        for o in options(cmds[name]):
            desc = o["lines"][0][1] if o["lines"] else ""
            if len(desc) > 66:
                desc = desc[:66].rsplit(" ", 1)[0] + " ..."
            desc = zsh_quote(desc.rstrip(";,:"))
            names = f"({o['short']} {o['name']})'{{{o['short']},{o['name']}}}'" if o["short"] else o["name"]
            spec = value_spec(cmds, name, o)
            action = ""
            if spec:
                kind, words = spec
                action = {"file": "_files", "dir": "_files -/", "free": " ",
                          "one": f"({shell_words(words)})",
                          "list": f"_sequence compadd - {shell_words(words)}"}[kind]
                action = f":{o['arg'].lower().replace(',', ' ')}:{action}"
            specs.append(f"'{names}[{desc}]{action}'")
        if name in ("compare", "check", "export"):
            specs.append("'*:result file:_files -g \"*.json\"'")
        body = " \\\n                ".join(specs)
        cases.append(f"            {name})\n                _arguments -s \\\n                {body}\n                ;;")
    described = "\n".join(f"        '{n}:{zsh_quote(d).replace(':', ',')}'" for n, d in commands)
    text = open(os.path.join(HERE, "completion", "_hbmbench.zsh.in"), encoding="utf-8").read()
    return text.replace("@COMMANDS@", described).replace("@CASES@", "\n".join(cases))


def main(argv):
    args = [a for a in argv if a != "--strict"]
    if len(args) != 2:
        print(__doc__.strip().split("\n\n")[1], file=sys.stderr)
        return 2
    exe, outdir = args
    version = helptext(exe, "--version").strip().split(" (")[0]
    commands, exits = parse_top(helptext(exe, "--help"))
    if not commands:
        sys.exit("gen_help_files.py: no commands in `hbmbench --help`")
    cmds = {name: parse_command(helptext(exe, name, "--help")) for name, _ in commands}
    known = {o["name"] for c in cmds.values() for o in options(c)}
    for key in VALUES:
        opt = key.split()[-1]
        if opt not in known and opt not in BUILD_DEPENDENT:
            problems.append(f"VALUES names {key}, which no command has")
    os.makedirs(outdir, exist_ok=True)
    files = {"hbmbench.1": man_page(version, commands, exits, cmds),
             "hbmbench.bash": bash_file(commands, cmds),
             "_hbmbench": zsh_file(commands, cmds)}
    for fname, text in files.items():
        with open(os.path.join(outdir, fname), "w", encoding="utf-8") as f:
            f.write(text)
    for p in sorted(set(problems)):
        print(f"gen_help_files.py: warning: {p} (update VALUES in packaging/gen_help_files.py)", file=sys.stderr)
    return 1 if problems and "--strict" in argv else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
