"""A markdown summary for a pull-request comment or ``$GITHUB_STEP_SUMMARY``.

Totals by severity, a table by guide section, then the findings (at most
``MAX_FINDINGS``, so the summary stays under GitHub's 1 MiB step-summary
and 65 536-character comment limits). Every template expression goes
through ``escape_markdown`` (the environment's ``finalize``), the markdown
counterpart of HTML autoescape: input-derived text cannot open a table
cell, a link, an HTML tag or a code span.
"""

from __future__ import annotations

import re
from collections import defaultdict

from linter.diagnostics import Severity
from linter.reporters._common import TOOL_NAME, help_uri, rules_by_id, tool_version
from linter.rules.base import SECTIONS

MAX_FINDINGS = 100
_SPECIAL = re.compile(r"([\\`*_{}\[\]()<>#+!|~&$])")
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f]")


class Raw(str):
    """Template text that is already markdown (built here, never from input)."""


def escape_markdown(value) -> str:
    if isinstance(value, Raw):
        return value
    text = "" if value is None else str(value)
    text = _CONTROL.sub(" ", text)  # line breaks and ANSI escapes would break a table row
    return _SPECIAL.sub(r"\\\1", text)


def context(result) -> dict:
    known = rules_by_id()
    severities = sorted(Severity, reverse=True)
    sections: dict[str, dict[Severity, int]] = defaultdict(lambda: {s: 0 for s in Severity})
    for d in result.diagnostics:
        sections[SECTIONS.get(d.rule_id[:3], "Other")][d.severity] += 1
    rows = [
        {"name": name, "counts": [sections[name][s] for s in severities], "total": sum(sections[name].values())}
        for name in list(SECTIONS.values()) + ["Other"]
        if name in sections
    ]
    shown = result.diagnostics[:MAX_FINDINGS]
    return {
        "tool": TOOL_NAME,
        "version": tool_version(),
        "files_checked": result.files_checked,
        "total": len(result.diagnostics),
        "severities": [str(s) for s in severities],
        "totals": [sum(1 for d in result.diagnostics if d.severity is s) for s in severities],
        "icons": {"error": Raw("🔴"), "warning": Raw("🟠"), "info": Raw("🔵")},
        "sections": rows,
        "findings": shown,
        "hidden": len(result.diagnostics) - len(shown),
        "links": {d.rule_id: Raw(help_uri(known[d.rule_id]).replace(")", "%29")) for d in shown},
        "errors": list(result.errors),
    }


def render(result, options) -> str:
    from linter.reporters.templating import environment

    return environment(markdown=True).get_template("summary.md.j2").render(**context(result))
