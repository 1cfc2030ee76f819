#!/usr/bin/python3
# SPDX-License-Identifier: Apache-2.0
"""Reads a valgrind memcheck log and fails on what is hbmbench's own:

  - a leak record, definitely or indirectly lost, whose allocating frame
    (the first frame below malloc, calloc, strdup, ...) is in hbmbench;
  - an error (invalid read or write, use of uninitialised memory, bad
    free, ...) with a frame of hbmbench among its first four.

OpenCL runtimes and their compilers (PoCL, LLVM) keep caches and thread
state for the life of the process and report such records of their own;
they are counted, not failed. A frame is hbmbench's when it is in the
binary (the "(in BINARY)" of a build without debug information) or in one
of the source files under SOURCE_DIR.

Usage: valgrind_ours.py LOG BINARY SOURCE_DIR
"""
import pathlib
import re
import sys

ALLOCATORS = ("malloc", "calloc", "realloc", "strdup", "strndup", "operator new", "memalign",
              "posix_memalign", "aligned_alloc", "vasprintf", "asprintf", "__vasprintf")
ERRORS = ("Invalid read", "Invalid write", "Conditional jump", "Use of uninitialised", "Syscall param",
          "Invalid free", "Mismatched free", "Source and destination overlap", "Argument 'size'")


def records(text):
    """Yields each record: its lines, without the ==PID== prefix."""
    block = []
    for line in text.splitlines():
        m = re.match(r"==\d+== ?(.*)$", line)
        if not m:
            continue
        body = m.group(1)
        if body.strip():
            block.append(body)
        elif block:
            yield block
            block = []
    if block:
        yield block


def main(argv):
    if len(argv) != 4:
        print(__doc__)
        return 2
    log, binary, src = argv[1], argv[2], pathlib.Path(argv[3])
    ours_files = {p.name for d in ("runner", "benches", "kernels") for p in (src / d).rglob("*.c")}

    def ours(frame):
        m = re.search(r"\(([^():]+\.c):\d+\)", frame)
        return f"(in {binary})" in frame or (m is not None and m.group(1) in ours_files)

    text = open(log, encoding="utf-8", errors="replace").read()
    if "HEAP SUMMARY" not in text:
        print(f"FAIL {log}: no heap summary (did the run finish under valgrind?)")
        return 1
    bad, foreign = [], 0
    for rec in records(text):
        frames = [line for line in rec if re.match(r"\s*(at|by) 0x", line)]
        head = rec[0]
        if re.search(r"are (definitely|indirectly) lost", head):
            first = next((f for f in frames if not any(a in f for a in ALLOCATORS)), "")
            (bad.append(rec) if ours(first) else None)
            foreign += not ours(first)
        elif head.startswith(ERRORS):
            hit = any(ours(f) for f in frames[:4])
            (bad.append(rec) if hit else None)
            foreign += not hit
    for rec in bad:
        print("FAIL hbmbench's own:\n  " + "\n  ".join(rec[:14]))
    print(f"{'FAIL' if bad else 'PASS'} {log}: {len(bad)} records of hbmbench's own, "
          f"{foreign} of the libraries it loads (not counted)")
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
