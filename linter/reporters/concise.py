"""``path:line:col: severity: message [HLnnn]``, one line per finding: for problem matchers and grep."""

from __future__ import annotations

from linter.reporters.text import clean


def line(d) -> str:
    return f"{clean(d.path)}:{d.line}:{d.column}: {d.severity}: {clean(d.message)} [{d.rule_id}]"


def render(result, options) -> str:
    return "".join(line(d) + "\n" for d in result.diagnostics)
