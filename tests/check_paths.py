#!/usr/bin/python3
# SPDX-License-Identifier: Apache-2.0
"""Every repository path that the documentation or a code comment names
exists, so no page or comment sends a reader to a file that moved (issue 17;
docs/ARCHITECTURE.md, "Conventions that span folders").

Scanned: README.md, docs/*.md and results/README.md (their whole text), the
comments (and Python docstrings) of the sources under runner/, benches/,
kernels/, scripts/ and tests/, and the text of the JSON data files under
runner/ (their "source" and "about" strings are documentation).

A path is a token that starts with a top-level folder (benches/ runner/
kernels/ results/ scripts/ tests/ docs/ .ci/) or is README.md,
CMakeLists.txt or LICENSE, and whose last part has an extension or which ends
with '/'. Skipped: globs and placeholders (a token with * [ < > { } or $ in
or right after it, or a part in capitals such as NAME or FILE), paths inside
another path (../shared/..., $tmp/results/...), the file a command writes (the
word after --out, -o or >), and a path of another repository: the docs name
that repository earlier in the same sentence, as owner/name followed by
the path in backquotes, a parenthesis or "at COMMIT" (e.g. "ROCm/ROCm
`docs/conceptual/...`"). Markdown links [x](target) resolve against the folder
of the page they are on.

usage: check_paths.py [SOURCE_DIR]; exits 1 naming each missing path.
"""
import glob
import os
import re
import sys

SRC = os.path.abspath(sys.argv[1] if len(sys.argv) > 1 else os.path.join(os.path.dirname(__file__), ".."))
TOP = r"(?:benches|runner|kernels|results|scripts|tests|docs|\.ci)/"
# Not preceded by a path or word character: "../results/x" and "$d/tests/x"
# are not repository paths; "](" starts a markdown link, resolved separately.
TOKEN = re.compile(r"(?<![\w./$}\-])(" + TOP + r"[\w./#*<>{}$\-]*|README\.md|CMakeLists\.txt|LICENSE)\b/?")
LINK = re.compile(r"\]\(([^)\s]+)\)")
OUTPUT = re.compile(r"(?:--out|-o|>)[ =]?$")
# A placeholder part: NAME, FILE, DIR (README and LICENSE are real names).
PLACEHOLDER = re.compile(r"(?:^|/)(?!README\b|LICENSE\b)[A-Z]{2,}(?:\.\w+)?(?:/|$)")
# Another repository as the docs cite it: owner/name (not one of our folders)
# followed by its path in backquotes, a parenthesis or "at COMMIT".
REPO = re.compile(r"(?<![\w./$-])(?!" + TOP + r")[A-Za-z][\w.-]*/[A-Za-z][\w.-]+(?=\s(?:`|\(|at\s))")
SOURCE_EXT = (".c", ".h", ".inc", ".cl", ".cu", ".py", ".sh", ".cmake", ".txt", ".supp")


def c_comments(text):
    """The comments of C-like text, outside string and character literals."""
    out, i, n = [], 0, len(text)
    while i < n:
        c = text[i]
        if text.startswith("/*", i):
            j = text.find("*/", i + 2)
            j = n if j < 0 else j
            out.append(text[i + 2:j])
            i = j + 2
        elif text.startswith("//", i):
            j = text.find("\n", i)
            j = n if j < 0 else j
            out.append(text[i + 2:j])
            i = j
        elif c in "\"'":
            i += 1
            while i < n and text[i] != c and text[i] != "\n":
                i += 2 if text[i] == "\\" else 1
            i += 1
        else:
            i += 1
    return out


def hash_comments(text, docstrings):
    """'#' comments of shell, CMake and Python text (a '#' that starts the
    line or follows a blank), and with docstrings the triple-quoted strings."""
    out = [m.group(1) for m in re.finditer(r"(?:^|(?<=\s))#(.*)$", text, re.M)]
    if docstrings:
        out += re.findall(r'"""(.*?)"""', text, re.S)
    return out


def foreign(text, start):
    """Whether the sentence before start names another repository."""
    before = text[max(0, start - 200):start]
    cut = max(before.rfind(". "), before.rfind(".\n"), before.rfind("\n\n"))
    return REPO.search(before[cut + 1:]) is not None


def candidates(text):
    """(path, position) for each path-like token of text."""
    for m in TOKEN.finditer(text):
        tok = m.group(0)
        if re.search(r"[*<>{}$\[]", tok + text[m.end():m.end() + 1]):
            continue                      # a glob or a placeholder
        if text[max(0, m.start() - 2):m.start()] == "](":
            continue                      # a link target: see links()
        if OUTPUT.search(text[max(0, m.start() - 6):m.start()]):
            continue                      # a file a command writes
        tok = tok.split("#", 1)[0].rstrip(".,:;")
        if PLACEHOLDER.search(tok) or foreign(text, m.start()):
            continue
        last = tok.rstrip("/").rsplit("/", 1)[-1]
        if tok.endswith("/") or "." in last or tok in ("LICENSE",):
            yield tok, m.start()


def links(text, folder):
    """Markdown link targets that are files of this repository, resolved
    against the page's folder."""
    for m in LINK.finditer(text):
        target = m.group(1).split("#", 1)[0]
        if not target or re.match(r"[a-z]+:", target) or re.search(r"[*<>{}$]", target):
            continue
        yield os.path.normpath(os.path.join(folder, target)), m.start()


def texts():
    """(file, text to scan, folder its links are relative to)."""
    pages = ["README.md", "results/README.md"] + sorted(glob.glob("docs/*.md", root_dir=SRC))
    for p in pages:
        yield p, open(os.path.join(SRC, p), encoding="utf-8").read(), os.path.dirname(p)
    for top in ("runner", "benches", "kernels", "scripts", "tests"):
        for root, dirs, files in os.walk(os.path.join(SRC, top)):
            dirs[:] = sorted(d for d in dirs if os.path.relpath(os.path.join(root, d), SRC) != "tests/fuzz/corpus")
            for name in sorted(files):
                path = os.path.join(root, name)
                rel = os.path.relpath(path, SRC)
                text = open(path, encoding="utf-8", errors="replace").read()
                if name.endswith((".c", ".h", ".inc", ".cl", ".cu")):
                    yield rel, "\n".join(c_comments(text)), None
                elif name.endswith(SOURCE_EXT) or name == "run":
                    yield rel, "\n".join(hash_comments(text, name.endswith(".py"))), None
                elif name.endswith(".json") and top == "runner":
                    yield rel, text, None


def main():
    missing = []
    for rel, text, folder in texts():
        found = list(candidates(text))
        if folder is not None:
            found += [(p, pos) for p, pos in links(text, folder) if not p.startswith("..")]
        for p, _ in found:
            if not os.path.exists(os.path.join(SRC, p)):
                missing.append(f"{rel}: {p}")
    for m in sorted(set(missing)):
        print("missing path:", m)
    if missing:
        print(f"FAIL: {len(set(missing))} cited path(s) do not exist")
        return 1
    print("PASS: every cited repository path exists")
    return 0


if __name__ == "__main__":
    sys.exit(main())
