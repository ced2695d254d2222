"""JSON output: a versioned document, described by ``schemas/output.schema.json``."""

from __future__ import annotations

from linter import __version__
from linter.reporters.text import json_dumps

SCHEMA_VERSION = 1


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
        "suppressed": result.suppressed,
        "installations": [
            {
                "object": {"kind": r.obj.kind, "namespace": r.obj.namespace, "name": r.obj.name},
                "container": r.container,
                "path": r.location.path,
                "line": r.location.span.line,
                "recognised_by": r.reason,
            }
            for r in result.recognised
        ],
    }
    if result.baseline_hidden is not None:
        document["baseline"] = {"hidden": result.baseline_hidden, "stale": result.baseline_stale}
    return json_dumps(document)
