"""Baselines: record today's findings, then report only new ones.

A finding's fingerprint is made of its rule, its file, the object it is
about (kind, namespace, name) and the path of the blamed key inside that
object, never its line or column, so edits elsewhere in the file and
reordered documents keep it. Findings outside any object (a syntax error)
use the message instead, with numbers removed (they are usually positions).
Paths are stored relative to the baseline file's directory, so the baseline
works from any working directory. Equal fingerprints are counted: a
baseline with one ``HL401`` entry hides one such finding, not two.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
from collections import Counter
from pathlib import Path

from linter.diagnostics import Diagnostic
from linter.errors import UsageError
from linter.records import record

BASELINE_VERSION = 1


def _path_for(display: str, base: Path) -> str:
    relative = os.path.relpath(os.path.abspath(display), os.path.abspath(base)).replace(os.sep, "/")
    return relative


def fingerprint_fields(d: Diagnostic, base: Path) -> dict[str, str]:
    obj = d.obj
    fields = {
        "rule": d.rule_id,
        "path": _path_for(d.path, base),
        "object": "" if obj is None else f"{obj.kind}/{obj.namespace or ''}/{obj.name}",
        "key": d.key,
    }
    if obj is None and not d.key:
        fields["message"] = re.sub(r"\d+", "#", d.message)
    return fields


def fingerprint(d: Diagnostic, base: Path) -> str:
    fields = fingerprint_fields(d, base)
    text = "\x1f".join(f"{k}={v}" for k, v in sorted(fields.items()))
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:32]


def write_baseline(path: Path, diagnostics: list[Diagnostic]) -> int:
    base = path.resolve().parent
    entries = []
    for d in diagnostics:
        entry = {"fingerprint": fingerprint(d, base), **fingerprint_fields(d, base)}
        entry["message"] = d.message  # for people reading the file; only the fingerprint is matched
        entries.append(entry)
    entries.sort(key=lambda e: (e["path"], e["rule"], e["object"], e["key"], e["fingerprint"]))
    document = {"version": BASELINE_VERSION, "tool": "headlamp-lint", "findings": entries}
    try:
        path.write_text(json.dumps(document, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    except OSError as exc:
        raise UsageError(f"--write-baseline {path}: cannot write: {exc.strerror or exc}") from None
    return len(entries)


@record(frozen=True)
class BaselineEntry:
    fingerprint: str
    rule: str
    path: str


@record
class BaselineResult:
    diagnostics: list[Diagnostic]  # what is left to report
    hidden: int
    stale: int  # entries that match no current finding (fixed, or changed)


def read_baseline(path: Path) -> list[BaselineEntry]:
    try:
        document = json.loads(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise UsageError(f"--baseline {path}: cannot read: {exc.strerror or exc}") from None
    except (ValueError, UnicodeDecodeError) as exc:
        raise UsageError(f"--baseline {path}: not a headlamp-lint baseline (invalid JSON: {exc})") from None
    findings = document.get("findings") if isinstance(document, dict) else None
    if not isinstance(findings, list) or document.get("version") != BASELINE_VERSION:
        raise UsageError(f"--baseline {path}: not a headlamp-lint baseline (version {BASELINE_VERSION})")
    out = []
    for item in findings:
        if not isinstance(item, dict) or not all(isinstance(item.get(k), str) for k in ("fingerprint", "rule", "path")):
            raise UsageError(f"--baseline {path}: malformed entry {item!r}")
        out.append(BaselineEntry(item["fingerprint"], item["rule"], item["path"]))
    return out


def apply_baseline(
    path: Path, diagnostics: list[Diagnostic], checked_paths: set[str], selected_rules: set[str]
) -> BaselineResult:
    """Hide recorded findings. An entry counts as stale only if its file was checked and its rule ran."""
    base = path.resolve().parent
    entries = read_baseline(path)
    budget = Counter(e.fingerprint for e in entries)
    kept: list[Diagnostic] = []
    hidden = 0
    for d in diagnostics:
        key = fingerprint(d, base)
        if budget[key] > 0:
            budget[key] -= 1
            hidden += 1
        else:
            kept.append(d)
    checked = {_path_for(p, base) for p in checked_paths}
    stale = 0
    for entry in entries:
        if budget[entry.fingerprint] > 0 and entry.path in checked and entry.rule in selected_rules:
            budget[entry.fingerprint] -= 1
            stale += 1
    return BaselineResult(kept, hidden, stale)
