"""The text formats' extra lines: the run's summary, ``--statistics``, ``--show-fixes`` and ``--show-files``.

The fixable marker ``[*]`` means: the finding's rule has a fix that ``--fix``
(or, for an unsafe fix, ``--fix --unsafe-fixes``) applies to this kind of
finding; ``--fix`` then edits the file where it can do so safely.
"""

from __future__ import annotations

from collections import Counter
from typing import TYPE_CHECKING

from linter.reporters.text import clean

if TYPE_CHECKING:
    from linter.diagnostics import Diagnostic
    from linter.engine import RunResult
    from linter.rules.base import FixSpec

MARKER = "[*]"


def plural(count: int, word: str) -> str:
    return f"{count} {word}{'' if count == 1 else 's'}"


def is_fixable(d: "Diagnostic", fixes: "dict[str, FixSpec] | None") -> bool:
    spec = fixes.get(d.rule_id) if fixes else None
    return spec is not None and spec.applies(d)


def summary_line(result: "RunResult", fixes: "dict[str, FixSpec] | None" = None) -> str:
    """One line: the findings by severity, the files checked and how many have findings, and whether the
    run failed (its errors go to standard error). Never a success line for a failed run."""
    checked = plural(result.files_checked, "file") + " checked"
    errors = f"the run failed with {plural(len(result.errors), 'error')} (on standard error)" if result.errors else ""
    diagnostics = result.diagnostics
    if not diagnostics:
        if not errors:
            return f"All checks passed ({checked})."
        return f"{checked}, none with problems; {errors}."
    counts = Counter(d.severity for d in diagnostics)
    by_severity = ", ".join(plural(counts[s], str(s)) for s in sorted(counts, reverse=True))
    with_problems = len({d.path for d in diagnostics})
    line = f"Found {plural(len(diagnostics), 'problem')} ({by_severity}); {checked}, {with_problems} with problems"
    fixable = sum(1 for d in diagnostics if is_fixable(d, fixes))
    if fixable:
        line += f"; {MARKER} {fixable} fixable with --fix"
    return f"{line}; {errors}." if errors else f"{line}."


def statistics(result: "RunResult", fixes: "dict[str, FixSpec] | None") -> list[dict]:
    """Findings per rule, most first (then by id): id, name, count and whether --fix would fix them."""
    per_rule: dict[str, list] = {}
    for d in result.diagnostics:
        per_rule.setdefault(d.rule_id, []).append(d)
    rows = [
        {
            "rule": rule_id,
            "name": found[0].rule_name,
            "count": len(found),
            "fixable": sum(1 for d in found if is_fixable(d, fixes)),
        }
        for rule_id, found in per_rule.items()
    ]
    return sorted(rows, key=lambda row: (-row["count"], row["rule"]))


def render_statistics(result: "RunResult", fixes: "dict[str, FixSpec] | None", summary: bool) -> str:
    rows = statistics(result, fixes)
    width = max((len(str(row["count"])) for row in rows), default=1)
    lines = [
        f"{row['count']:>{width}}  {row['rule']}  {MARKER if row['fixable'] else '[ ]'} {row['name']}" for row in rows
    ]
    if summary:
        lines.append(summary_line(result, fixes))
    return "".join(line + "\n" for line in lines)


def fixed_listing(fixed: list[tuple[str, tuple[str, ...]]], names: dict[str, str], verb: str = "Fixed") -> str:
    """``--show-fixes``: per file (display path, rule ids applied), how many findings of each rule were fixed."""
    total = sum(len(applied) for _, applied in fixed)
    lines = [f"{verb} {plural(total, 'problem')}" + (":" if total else ".")]
    for display, applied in fixed:
        if not applied:
            continue
        lines.append(f"- {clean(display)}:")
        for rule_id, count in sorted(Counter(applied).items()):
            lines.append(f"    {count} × {rule_id} ({names.get(rule_id, '')})")
    return "".join(line + "\n" for line in lines)


def files_listing(result: "RunResult") -> str:
    """``--show-files``: every file the run read and what it was read as, then what was skipped and why."""
    lines = []
    for display, kind in sorted(result.files.items()):
        lines.append(f"{clean(display)}: {kind}")
    for display, why in sorted(result.skipped):
        lines.append(f"{clean(display)}: skipped: {why}")
    read = sum(1 for kind in result.files.values() if not kind.startswith("not read"))
    lines.append(f"{plural(read, 'file')} read, {plural(len(result.skipped), 'path')} skipped.")
    return "".join(line + "\n" for line in lines)
