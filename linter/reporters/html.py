"""A single self-contained HTML report (jinja2, autoescaped).

No external assets and no JavaScript: a Content-Security-Policy in the page
forbids both, so the report opens the same from a CI artifact, an e-mail
attachment or a file share. It shows a summary by guide section and
severity (stacked bars with their numbers), every finding with its source
excerpt and the blamed span highlighted, and the docs of each rule that
fired, one link away from each finding. Every input-derived string goes
through jinja2's autoescape; rule docs are turned into HTML by
``markdown_to_html``, which escapes before it marks up.
"""

from __future__ import annotations

import html
import re
from collections import defaultdict

from markupsafe import Markup

from linter.diagnostics import secret_findings
from linter.reporters._common import (
    TOOL_NAME,
    count_by_section,
    count_by_severity,
    excerpt,
    help_uri,
    rules_by_id,
    tool_version,
)
from linter.reporters.templating import environment

_INLINE_CODE = re.compile(r"`([^`]+)`")
# A link ends where markdown ends an autolink: at whitespace, a quote or an angle bracket (escaped by now).
_LINK = re.compile(r"(https?://(?:(?!&lt;|&gt;|&quot;|&#x27;)[^\s<])+)")


def _inline(text: str) -> str:
    """Escape, then mark up inline code and bare links."""
    escaped = html.escape(text, quote=True)
    escaped = _INLINE_CODE.sub(lambda m: f"<code>{m.group(1)}</code>", escaped)
    return _LINK.sub(lambda m: f'<a href="{m.group(1)}">{m.group(1)}</a>', escaped)


def markdown_to_html(text: str) -> Markup:
    """The small markdown subset the rule docs use: headings, fenced code, lists, paragraphs."""
    out: list[str] = []
    paragraph: list[str] = []
    items: list[str] = []
    code: list[str] | None = None

    def flush() -> None:
        if paragraph:
            out.append(f"<p>{_inline(' '.join(paragraph))}</p>")
            paragraph.clear()
        if items:
            out.append("<ul>" + "".join(f"<li>{_inline(item)}</li>" for item in items) + "</ul>")
            items.clear()

    for line in text.splitlines():
        if code is not None:
            if line.startswith("```"):
                out.append(f"<pre><code>{html.escape(chr(10).join(code))}</code></pre>")
                code = None
            else:
                code.append(line)
        elif line.startswith("```"):
            flush()
            code = []
        elif line.startswith("#"):
            flush()
            level = min(6, len(line) - len(line.lstrip("#")) + 2)  # rule docs use ##: h4 inside the report
            out.append(f"<h{level}>{_inline(line.lstrip('#').strip())}</h{level}>")
        elif line.startswith(("- ", "* ")):
            if paragraph:
                flush()
            items.append(line[2:].strip())
        elif not line.strip():
            flush()
        elif items:
            items[-1] += " " + line.strip()
        else:
            paragraph.append(line.strip())
    if code is not None:
        out.append(f"<pre><code>{html.escape(chr(10).join(code))}</code></pre>")
    flush()
    return Markup("\n".join(out))


def _sections(result) -> list[dict]:
    """Rows of the summary chart: one stacked bar per section, scaled to the largest section."""
    sections = count_by_section(result.diagnostics)
    biggest = max((sum(c.values()) for _, c in sections), default=0)
    return [
        {
            "name": name,
            "total": sum(counts.values()),
            "bars": [
                {"severity": str(s), "count": n, "width": f"{100 * n / biggest:.1f}"} for s, n in counts.items() if n
            ],
        }
        for name, counts in sections
    ]


def context(result) -> dict:
    known = rules_by_id()
    files: dict[str, list[dict]] = defaultdict(list)
    secrets = secret_findings(result)
    for d in result.diagnostics:
        files[d.path].append({"d": d, "severity": str(d.severity), "excerpt": excerpt(result, d, secrets=secrets)})
    used = sorted({d.rule_id for d in result.diagnostics})
    totals = {str(s): n for s, n in count_by_severity(result.diagnostics).items()}
    return {
        "tool": TOOL_NAME,
        "version": tool_version(),
        "files_checked": result.files_checked,
        "total": len(result.diagnostics),
        "totals": totals,
        "sections": _sections(result),
        "files": sorted(files.items()),
        "rules": [
            {
                "meta": known[rule_id].meta,
                "doc": markdown_to_html(known[rule_id].doc),
                "help_uri": help_uri(known[rule_id]),
            }
            for rule_id in used
        ],
        "errors": list(result.errors),
        "notes": list(result.notes),
    }


def render(result, options) -> str:
    template = environment().get_template("report.html.j2")
    return template.render(**context(result))
