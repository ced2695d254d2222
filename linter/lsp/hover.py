"""Hover: a rule's documentation over a suppression that names it, or over one of its findings."""

from __future__ import annotations

from typing import TYPE_CHECKING

from linter.located import Span
from linter.source import SourceFile
from linter.suppress import comment_suppressions

if TYPE_CHECKING:
    from linter.diagnostics import Diagnostic
    from linter.rules.base import Rule

def rule_markdown(rule: "Rule") -> str:
    """What ``explain`` prints, as Markdown (the docs are Markdown already)."""
    from linter.reporters._common import help_uri

    meta = rule.meta
    return (
        f"### {meta.id} {meta.name}: {meta.title}\n\n"
        f"Default severity: {meta.severity}. Section: {meta.section}. Fix: {meta.fix or 'none'}."
        f" [Reference]({help_uri(rule)})\n\n{rule.doc}"
    )


def _inside(span: Span, line: int, column: int) -> bool:
    return (span.line, span.column) <= (line, column) < (span.end_line, span.end_column) or (
        span.line == line == span.end_line and span.column == span.end_column == column
    )


def suppression_rules(display: str, text: str, line: int, column: int) -> list["Rule"]:
    """The rules a suppression at this position names: the one under the cursor, else all of them."""
    from linter.rules import find_rule

    source = SourceFile.from_text(display, text)
    for suppression in comment_suppressions(source, False):
        comment = suppression.location.span
        if comment.line != line or column < comment.column:
            continue
        hit = [code for code in suppression.codes if _inside(code.location.span, line, column)]
        named = [find_rule(code.text) for code in (hit or suppression.codes)]
        return _unique(rule for rule in named if rule is not None)
    return []


def finding_rules(diagnostics: list["Diagnostic"], line: int, column: int) -> list[tuple["Rule", list[str]]]:
    """The rules of the findings whose span holds this position, each with its messages there."""
    from linter.rules import rule_by_id

    found: dict[str, list[str]] = {}
    for d in diagnostics:
        if _inside(d.location.span, line, column):
            found.setdefault(d.rule_id, []).append(d.message)
    return [(rule_by_id(rule_id), messages) for rule_id, messages in found.items()]


def hover_text(display: str, text: str, diagnostics: list["Diagnostic"], line: int, column: int) -> str | None:
    """Markdown for a hover at 1-based ``line``/``column``, or None when nothing there has docs."""
    rules = suppression_rules(display, text, line, column)
    if rules:
        return "\n\n---\n\n".join(rule_markdown(rule) for rule in rules)
    findings = finding_rules(diagnostics, line, column)
    if not findings:
        return None
    parts = []
    for rule, messages in findings:
        said = "\n".join(f"- {message}" for message in messages)
        parts.append(f"{said}\n\n{rule_markdown(rule)}")
    return "\n\n---\n\n".join(parts)


def _unique(rules) -> list["Rule"]:
    out: list["Rule"] = []
    for rule in rules:
        if rule not in out:
            out.append(rule)
    return out
