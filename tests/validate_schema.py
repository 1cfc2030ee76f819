#!/usr/bin/python3
# SPDX-License-Identifier: Apache-2.0
"""Validates hbmbench result files against results/schema.json.

Usage: validate_schema.py FILE...
Prints "PASS FILE" for each valid file, or the path inside the document and
the message of every error; exits 1 if any file (or the schema itself) fails.

Run it with Debian's /usr/bin/python3, which has python3-jsonschema
(4.10 on Debian 12, the first Debian release with draft 2020-12 support).
"""
import json
import pathlib
import sys

from jsonschema import Draft202012Validator

SCHEMA = pathlib.Path(__file__).resolve().parent.parent / "results" / "schema.json"


def undocumented(node, where="#"):
    """Yields the schema paths of properties that have no description: the
    schema is the field reference, so every field must say what it means."""
    if isinstance(node, dict):
        for name, sub in node.get("properties", {}).items():
            if not isinstance(sub, dict) or "description" not in sub:
                yield f"{where}/properties/{name}"
        for key, sub in node.items():
            yield from undocumented(sub, f"{where}/{key}")
    elif isinstance(node, list):
        for i, sub in enumerate(node):
            yield from undocumented(sub, f"{where}/{i}")


def load_schema():
    with open(SCHEMA, encoding="utf-8") as f:
        schema = json.load(f)
    Draft202012Validator.check_schema(schema)
    missing = sorted(set(undocumented(schema)))
    if missing:
        raise ValueError("properties without a description: " + ", ".join(missing))
    return Draft202012Validator(schema)


def doc_path(error):
    """results[3].stats.min_s, the way hbmbench names fields in its messages."""
    out = ""
    for part in error.absolute_path:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else part)
    return out or "(top level)"


def validate(validator, path):
    try:
        with open(path, encoding="utf-8") as f:
            doc = json.load(f)
    except (OSError, ValueError) as e:
        print(f"FAIL {path}: {e}")
        return False
    errors = sorted(validator.iter_errors(doc), key=lambda e: list(e.absolute_path))
    for e in errors:
        print(f"FAIL {path}: {doc_path(e)}: {e.message}")
    if not errors:
        print(f"PASS {path}")
    return not errors


def main(argv):
    if len(argv) < 2:
        print(f"usage: {argv[0]} FILE...", file=sys.stderr)
        return 2
    try:
        validator = load_schema()
    except (OSError, ValueError) as e:
        print(f"FAIL {SCHEMA}: {e}")
        return 1
    results = [validate(validator, p) for p in argv[1:]]
    return 0 if all(results) else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv))
