"""GitLab Code Quality: the Code Climate JSON subset GitLab reads.

Each issue has a ``description``, ``check_name``, a ``fingerprint`` unique
in the report (GitLab compares fingerprints between the source and target
branch to tell new findings from fixed ones, so they must not depend on
line numbers), a ``severity`` from GitLab's scale and a
``location.path`` with ``lines.begin``.
"""

from __future__ import annotations


from linter.diagnostics import Severity
from linter.reporters._common import fingerprints
from linter.reporters.text import json_dumps

SEVERITIES = {Severity.ERROR: "critical", Severity.WARNING: "major", Severity.INFO: "info"}


def issue(d, fingerprint: str) -> dict:
    span = d.location.span
    return {
        "type": "issue",
        "check_name": f"{d.rule_id} {d.rule_name}",
        "description": f"{d.message} [{d.rule_id}]",
        "categories": ["Security"],
        "severity": SEVERITIES[d.severity],
        "fingerprint": fingerprint,
        "location": {"path": d.path, "lines": {"begin": span.line, "end": max(span.line, span.end_line)}},
        "engine_name": "headlamp-lint",
    }


def render(result, options) -> str:
    issues = [issue(d, f) for d, f in zip(result.diagnostics, fingerprints(result))]
    return json_dumps(issues)
