"""The linter's diagnostics as LSP diagnostics: code, severity, exact range, docs link, tags."""

from __future__ import annotations

from typing import TYPE_CHECKING

from lsprotocol import types

from linter.diagnostics import Diagnostic, Severity
from linter.lsp.positions import TextIndex
from linter.reporters._common import help_uri, rules_by_id

if TYPE_CHECKING:
    from linter.rules.base import Rule

SOURCE = "headlamp-lint"
SEVERITIES = {
    Severity.ERROR: types.DiagnosticSeverity.Error,
    Severity.WARNING: types.DiagnosticSeverity.Warning,
    Severity.INFO: types.DiagnosticSeverity.Information,
}
DEPRECATED_RULES = frozenset({"HL008"})  # deprecated-api-version: the client may strike the apiVersion through
UNUSED_RULE, UNUSED_PREFIX = "HL007", "unused suppression:"  # HL007's other messages are not about unneeded text


def lsp_range(index: TextIndex, d: Diagnostic) -> types.Range:
    span = d.location.span
    (line, character), (end_line, end_character) = index.span_range(span.line, span.column, span.end_line,
                                                                    span.end_column)
    return types.Range(types.Position(line, character), types.Position(end_line, end_character))


def tags(d: Diagnostic) -> list[types.DiagnosticTag] | None:
    """Unnecessary for a suppression that silences nothing (clients fade it), Deprecated for a removed API."""
    if d.rule_id == UNUSED_RULE and d.message.startswith(UNUSED_PREFIX):
        return [types.DiagnosticTag.Unnecessary]
    if d.rule_id in DEPRECATED_RULES:
        return [types.DiagnosticTag.Deprecated]
    return None


def to_lsp(index: TextIndex, diagnostics: list[Diagnostic]) -> list[types.Diagnostic]:
    """One file's diagnostics, in order; ``data`` carries each one's place in the list, for code actions."""
    rules = rules_by_id()
    return [_one(index, d, number, rules.get(d.rule_id)) for number, d in enumerate(diagnostics)]


def _one(index: TextIndex, d: Diagnostic, number: int, rule: "Rule | None") -> types.Diagnostic:
    return types.Diagnostic(
        range=lsp_range(index, d),
        message=d.message,
        severity=SEVERITIES[d.severity],
        code=d.rule_id,
        code_description=types.CodeDescription(href=help_uri(rule)) if rule is not None else None,
        source=SOURCE,
        tags=tags(d),
        data={"rule": d.rule_id, "name": d.rule_name, "number": number},
    )
