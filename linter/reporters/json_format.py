"""JSON output: a versioned document, described by ``schemas/output.schema.json``."""

from __future__ import annotations

import json
import re

from linter import __version__

SCHEMA_VERSION = 1

# json.dumps escapes C0 controls; these others (C1, DEL, bidi overrides) are
# valid raw in JSON but act on a terminal that shows the report, so they are
# written as \u escapes too (they occur only inside strings: same JSON value).
_UNSAFE = re.compile(r"[\x7f-\x9f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069\ud800-\udfff]")


def diagnostic_dict(d) -> dict:
    span = d.location.span
    return {
        "rule": d.rule_id,
        "name": d.rule_name,
        "severity": str(d.severity),
        "message": d.message,
        "path": d.path,
        "line": span.line,
        "column": span.column,
        "end_line": span.end_line,
        "end_column": span.end_column,
        "object": None
        if d.obj is None
        else {"kind": d.obj.kind, "namespace": d.obj.namespace, "name": d.obj.name},
        "key": d.key,
    }


def render(result, options) -> str:
    document = {
        "version": SCHEMA_VERSION,
        "tool": {"name": "headlamp-lint", "version": __version__},
        "files_checked": result.files_checked,
        "diagnostics": [diagnostic_dict(d) for d in result.diagnostics],
        "errors": list(result.errors),
    }
    return _UNSAFE.sub(lambda m: f"\\u{ord(m.group(0)):04x}", json.dumps(document, indent=2, ensure_ascii=False)) + "\n"
