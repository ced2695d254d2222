"""Reporters: one module per output format, each a function of the run result.

``REPORTERS`` maps a format name to the module that renders it; modules are
imported only when used, so the formats that need jinja2 cost nothing
otherwise.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Protocol

from linter.diagnostics import Severity
from linter.records import record

if TYPE_CHECKING:
    from linter.engine import RunResult
    from linter.rules.base import FixSpec


@record(frozen=True)
class ReportOptions:
    color: bool = False
    show_source: bool = True
    fail_level: Severity = Severity.WARNING  # formats that mark pass/fail (junit) use the run's level
    # The text formats (full, concise): the fixes --fix would apply by rule id, for the fixable marker
    # [*] (None: no markers); whether to say under each finding what its fix does (--show-fixes);
    # whether the full format closes with the one-line summary (not with --quiet), and the concise one
    # (on a terminal).
    fixes: "dict[str, FixSpec] | None" = None
    show_fixes: bool = False
    summary: bool = True
    concise_summary: bool = False


class Reporter(Protocol):
    def render(self, result: "RunResult", options: ReportOptions) -> str: ...


REPORTERS: dict[str, str] = {
    "full": "linter.reporters.full",
    "concise": "linter.reporters.concise",
    "json": "linter.reporters.json_format",
    "sarif": "linter.reporters.sarif",
    "github": "linter.reporters.github",
    "gitlab": "linter.reporters.gitlab",
    "junit": "linter.reporters.junit",
    "html": "linter.reporters.html",
    "markdown": "linter.reporters.markdown",
}


def render(name: str, result: "RunResult", options: ReportOptions) -> str:
    module = importlib.import_module(REPORTERS[name])
    return module.render(result, options)
