"""The human default: each finding with its source line and the blamed span underlined."""

from __future__ import annotations

from collections import Counter

from linter.diagnostics import Severity
from linter.reporters.text import clean

_COLORS = {Severity.ERROR: "31", Severity.WARNING: "33", Severity.INFO: "36"}


def _paint(text: str, code: str, enabled: bool) -> str:
    return f"\x1b[{code}m{text}\x1b[0m" if enabled else text


def render(result, options) -> str:
    out: list[str] = []
    color = options.color
    for d in result.diagnostics:
        sev = _paint(str(d.severity), _COLORS[d.severity], color)
        head = f"{_paint(d.path, '1', color)}:{d.line}:{d.column}: {sev}: {clean(d.message)} [{d.rule_id} {d.rule_name}]"
        out.append(head)
        source = result.sources.get(d.path)
        if options.show_source and source is not None:
            text = source.line(d.line)
            if text:
                number = str(d.line)
                pad = " " * len(number)
                span = d.location.span
                end = span.end_column if span.end_line == span.line else len(text) + 1
                width = max(1, min(end, len(text) + 1) - span.column)
                out.append(f" {pad} |")
                out.append(f" {number} | {clean(text)}")
                marker = " " * (span.column - 1) + "^" * width
                out.append(f" {pad} | {_paint(marker, _COLORS[d.severity], color)}")
        out.append("")
    counts = Counter(d.severity for d in result.diagnostics)
    if result.diagnostics:
        parts = [f"{counts[s]} {s}{'s' if counts[s] != 1 else ''}" for s in sorted(counts, reverse=True)]
        out.append(f"Found {len(result.diagnostics)} problem{'s' if len(result.diagnostics) != 1 else ''}"
                   f" ({', '.join(parts)}) in {result.files_checked} file{'s' if result.files_checked != 1 else ''}.")
    else:
        out.append(f"All checks passed ({result.files_checked} file{'s' if result.files_checked != 1 else ''}).")
    return "\n".join(out) + "\n"
