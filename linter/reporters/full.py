"""The human default: each finding with its source line and the blamed span underlined."""

from __future__ import annotations

import re
from collections import Counter

from linter.diagnostics import Severity, mask_line, secret_findings
from linter.reporters.text import clean

MAX_SHOWN = 200  # characters of a long source line shown around the blamed span
CONTEXT = 40  # of them before the span

_NOT_TAB = re.compile(r"[^\t]")

_COLORS = {Severity.ERROR: "31", Severity.WARNING: "33", Severity.INFO: "36"}


def _paint(text: str, code: str, enabled: bool) -> str:
    return f"\x1b[{code}m{text}\x1b[0m" if enabled else text


def _excerpt(text: str, column: int, width: int) -> tuple[str, str, int]:
    """The source line as shown (cleaned, cut around the span when long), the marker indent and width.

    A minified JSON manifest is one line of megabytes; each finding on it
    shows only a window of it, so the report stays proportional to the findings.
    """
    start = column - 1
    if len(text) > MAX_SHOWN:
        first = max(0, start - CONTEXT)
        last = min(len(text), first + MAX_SHOWN)
        width = max(1, min(width, last - start))
        prefix = "…" if first > 0 else ""
        suffix = "…" if last < len(text) else ""
        text, start = text[first:last], start - first
    else:
        prefix = suffix = ""
    # The marker lines up with the cleaned text: escapes are wider than the
    # characters they replace, and tabs stay tabs.
    before = (prefix and " ") + _blank(clean(text[:start]))
    width = len(clean(text[start:start + width])) or 1
    return prefix + clean(text) + suffix, before, width


def _blank(shown: str) -> str:
    """Spaces as wide as ``shown``, keeping its tabs so the marker lines up."""
    return _NOT_TAB.sub(" ", shown)


def render(result, options) -> str:
    out: list[str] = []
    color = options.color
    secrets = secret_findings(result)
    for d in result.diagnostics:
        sev = _paint(str(d.severity), _COLORS[d.severity], color)
        head = (
            f"{_paint(clean(d.path), '1', color)}:{d.line}:{d.column}: {sev}: {clean(d.message)}"
            f" [{d.rule_id} {d.rule_name}]"
        )
        out.append(head)
        source = result.sources.get(d.path)
        if options.show_source and source is not None:
            # A secret's text (HL103) is never shown, on its own finding's line or another's.
            text, shifted = mask_line(d.line, source.line(d.line), secrets.get(d.path, ()))
            if text:
                number = str(d.line)
                pad = " " * len(number)
                span = d.location.span
                column = shifted(span.column - 1) + 1
                end = shifted(span.end_column - 1) + 1 if span.end_line == span.line else len(text) + 1
                shown, before, width = _excerpt(text, column, max(1, min(end, len(text) + 1) - column))
                out.append(f" {pad} |")
                out.append(f" {number} | {shown}")
                marker = before + "^" * width
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
