"""``path:line:col: severity: message [HLnnn]``, one line per finding: for problem matchers and grep.

A fixable finding's message starts with ``[*]`` (as ruff puts it before its
message), so the problem matchers' pattern still reads every line.
"""

from __future__ import annotations

from linter.reporters.summary import MARKER, is_fixable, summary_line
from linter.reporters.text import clean


def line(d, fixes=None) -> str:
    marker = f"{MARKER} " if is_fixable(d, fixes) else ""
    return f"{clean(d.path)}:{d.line}:{d.column}: {d.severity}: {marker}{clean(d.message)} [{d.rule_id}]"


def render(result, options) -> str:
    text = "".join(line(d, options.fixes) + "\n" for d in result.diagnostics)
    if options.concise_summary:
        text += summary_line(result, options.fixes) + "\n"
    return text
