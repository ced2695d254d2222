"""``path:line:col: severity: message [HLnnn]``, one line per finding: for problem matchers and grep.

A file name cannot forge a location: besides control characters (``clean``), a ``:`` followed by a
digit in the path is written ``\\x3a``, so the first ``:<digits>:<digits>: `` of a line is always the
real position; the shipped problem matchers (``linter/data/problem-matcher-*.json``) match only such
paths (``(?:[^:]|:(?!\\d))+``).

A fixable finding's message starts with ``[*]`` (as ruff puts it before its
message), so the problem matchers' pattern still reads every line.
"""

from __future__ import annotations

import re

from linter.reporters.summary import MARKER, is_fixable, summary_line
from linter.reporters.text import clean

_COLON_DIGIT = re.compile(r":(?=\d)")


def path(display: str) -> str:
    """A file name as the concise line shows it (see the module docstring)."""
    return _COLON_DIGIT.sub(r"\\x3a", clean(display))


def line(d, fixes=None) -> str:
    marker = f"{MARKER} " if is_fixable(d, fixes) else ""
    return f"{path(d.path)}:{d.line}:{d.column}: {d.severity}: {marker}{clean(d.message)} [{d.rule_id}]"


def render(result, options) -> str:
    text = "".join(line(d, options.fixes) + "\n" for d in result.diagnostics)
    if options.concise_summary:
        text += summary_line(result, options.fixes) + "\n"
    return text
