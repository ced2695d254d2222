"""``path:line:col: severity: message [HLnnn]``, one line per finding: for problem matchers and grep.

A file name cannot forge a location: besides control characters (``clean``), a ``:`` followed by a
digit in the path is written ``\\x3a``, so the first ``:<digits>:<digits>: `` of a line is always the
real position; the shipped problem matchers (``linter/data/problem-matcher-*.json``) match only such
paths (``(?:[^:]|:(?!\\d))+``).
"""

from __future__ import annotations

import re

from linter.reporters.text import clean

_COLON_DIGIT = re.compile(r":(?=\d)")


def path(display: str) -> str:
    """A file name as the concise line shows it (see the module docstring)."""
    return _COLON_DIGIT.sub(r"\\x3a", clean(display))


def line(d) -> str:
    return f"{path(d.path)}:{d.line}:{d.column}: {d.severity}: {clean(d.message)} [{d.rule_id}]"


def render(result, options) -> str:
    return "".join(line(d) + "\n" for d in result.diagnostics)
