"""SARIF 2.1.0 for GitHub code scanning and other SARIF consumers.

Follows what GitHub's upload-sarif accepts: every result's ``ruleId`` is
described in ``tool.driver.rules`` (with ``ruleIndex``), artifact URIs are
relative to ``%SRCROOT%``, regions are 1-based and exact, columns count
Unicode code points (``columnKind``), ``security-severity`` is a string,
and ``partialFingerprints`` do not depend on line numbers so alerts survive
unrelated edits. Only the rules that produced a result are listed, which
keeps the file small; GitHub closes alerts whose results disappear.
"""

from __future__ import annotations

from linter.diagnostics import Severity
from linter.reporters._common import (
    TOOL_NAME,
    artifact_uri,
    fingerprints,
    help_uri,
    is_relative,
    rule_summary,
    rules_by_id,
    tool_version,
)
from linter.reporters.text import json_dumps

SARIF_SCHEMA = "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json"
FINGERPRINT_KEY = "headlamp-lint/v1"
LEVELS = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "note"}
# GitHub truncates or rejects longer rule descriptions.
MAX_DESCRIPTION = 1000


def _shorten(text: str, limit: int = MAX_DESCRIPTION) -> str:
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def rule_descriptor(rule) -> dict:
    meta = rule.meta
    return {
        "id": meta.id,
        "name": meta.name,
        "shortDescription": {"text": _shorten(meta.title)},
        "fullDescription": {"text": _shorten(rule_summary(rule))},
        "help": {"text": rule.doc, "markdown": rule.doc},
        "helpUri": help_uri(rule),
        "defaultConfiguration": {"level": LEVELS[meta.severity]},
        "properties": {
            # GitHub reads security-severity as a string holding a number.
            "security-severity": f"{meta.security_severity:.1f}",
            "tags": ["security", meta.section.lower().replace(" ", "-"), *meta.tags],
            "precision": "high",
            "problem.severity": {"error": "error", "warning": "warning", "note": "recommendation"}[
                LEVELS[meta.severity]
            ],
        },
    }


def _location(d) -> dict:
    span = d.location.span
    artifact: dict = {"uri": artifact_uri(d.path)}
    if is_relative(d.path):
        artifact["uriBaseId"] = "%SRCROOT%"
    end_line = max(span.end_line, span.line)
    end_column = span.end_column if end_line > span.line else max(span.end_column, span.column + 1)
    return {
        "physicalLocation": {
            "artifactLocation": artifact,
            "region": {
                "startLine": max(1, span.line),
                "startColumn": max(1, span.column),
                "endLine": max(1, end_line),
                "endColumn": max(1, end_column),
            },
        }
    }


def _fixes(d, specs: dict, planned: dict) -> list[dict]:
    """The rule's fix for this one result, as SARIF ``fixes`` (review tools offer it as a suggestion)."""
    spec = specs.get(d.rule_id)
    replacements = planned.get(id(d))
    if spec is None or not replacements:
        return []
    artifact = dict(_location(d)["physicalLocation"]["artifactLocation"])
    safety = "safe: applied by --fix" if spec.applicability == "safe" else "unsafe: applied by --fix --unsafe-fixes"
    return [{
        "description": {"text": f"{spec.description} ({safety})"},
        "artifactChanges": [{
            "artifactLocation": artifact,
            "replacements": [
                {
                    "deletedRegion": {"startLine": r.start_line, "startColumn": r.start_column,
                                      "endLine": r.end_line, "endColumn": r.end_column},
                    "insertedContent": {"text": r.text},
                }
                for r in replacements
            ],
        }],
    }]


def document(result) -> dict:
    from linter.fix import diagnostic_fixes, fix_specs

    specs = fix_specs(unsafe=True)
    planned = diagnostic_fixes(result, specs)  # every file's fixes from one parse of it
    known = rules_by_id()
    used = sorted({d.rule_id for d in result.diagnostics})
    index = {rule_id: i for i, rule_id in enumerate(used)}
    results = []
    for d, fingerprint in zip(result.diagnostics, fingerprints(result)):
        item: dict = {
            "ruleId": d.rule_id,
            "ruleIndex": index[d.rule_id],
            "level": LEVELS[d.severity],
            "message": {"text": d.message},
            "locations": [_location(d)],
            "partialFingerprints": {FINGERPRINT_KEY: fingerprint},
        }
        fixes = _fixes(d, specs, planned)
        if fixes:
            item["fixes"] = fixes
        if d.obj is not None or d.key:
            item["properties"] = {
                "object": None if d.obj is None else str(d.obj),
                "key": d.key,
            }
        results.append(item)
    notifications = [
        {"level": "error", "message": {"text": error}, "descriptor": {"id": "input-error"}} for error in result.errors
    ]
    run: dict = {
        "tool": {
            "driver": {
                "name": TOOL_NAME,
                "version": tool_version(),
                "semanticVersion": tool_version(),
                "rules": [rule_descriptor(known[rule_id]) for rule_id in used],
            }
        },
        "originalUriBaseIds": {
            "%SRCROOT%": {"description": {"text": "The directory headlamp-lint was run from."}}
        },
        "invocations": [
            {
                "executionSuccessful": not result.errors,
                "toolExecutionNotifications": notifications,
            }
        ],
        "columnKind": "unicodeCodePoints",
        "results": results,
    }
    return {"$schema": SARIF_SCHEMA, "version": "2.1.0", "runs": [run]}


def render(result, options) -> str:
    return json_dumps(document(result))
