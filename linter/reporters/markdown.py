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
from linter.reporters._common import TOOL_NAME, count_by_section, count_by_severity, help_uri, rules_by_id, tool_version

MAX_FINDINGS = 100
_SPECIAL = re.compile(r"([\\`*_{}\[\]()<>#+!|~&$])")
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069\ud800-\udfff]")


_MENTION = re.compile(r"@(?=[A-Za-z0-9])")
_AUTOLINK = re.compile(r"(?i)\b(https?|ftp|mailto|www)(:|\.)")


class Raw(str):
    """Template text that is already markdown (built here, never from input)."""


def escape_markdown(value) -> str:
    if isinstance(value, Raw):
        return value
    text = "" if value is None else str(value)
    text = _CONTROL.sub(" ", text)  # line breaks and ANSI escapes would break a table row
    text = _SPECIAL.sub(r"\\\1", text)
    # No notification and no link from input: a zero-width space (as an entity) after `@` and inside
    # `scheme://` / `www.` keeps GitHub and GitLab from turning them into a mention or an autolink.
    text = _MENTION.sub("@&#8203;", text)
    return _AUTOLINK.sub(lambda m: m.group(1) + "&#8203;" + m.group(2), text)


def context(result) -> dict:
    known = rules_by_id()
    totals = count_by_severity(result.diagnostics)
    rows = [
        {"name": name, "counts": list(counts.values()), "total": sum(counts.values())}
        for name, counts in count_by_section(result.diagnostics)
    ]
    shown = result.diagnostics[:MAX_FINDINGS]
    return {
        "tool": TOOL_NAME,
        "version": tool_version(),
        "files_checked": result.files_checked,
        "total": len(result.diagnostics),
        "severities": [str(s) for s in totals],
        "totals": list(totals.values()),
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
