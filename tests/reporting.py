"""Helpers for the reporter tests: a deterministic run on the report fixture, and hostile input."""

from __future__ import annotations

import os
from contextlib import contextmanager
from pathlib import Path

from linter import __version__
from linter.diagnostics import Diagnostic, Severity
from linter.engine import RunResult, lint_paths
from linter.located import Location, Span
from linter.model.objects import ObjectRef
from linter.reporters import ReportOptions, render
from linter.reporters._common import rule_docs_base
from linter.settings import Settings
from linter.source import SourceFile
from tests.conftest import ROOT

REPORT_FIXTURES = "fixtures/reports"
# Explicit rules, so that rules added later do not change the goldens; together they
# give findings of every severity (HL001/HL403 error, HL405 warning, HL411 info).
GOLDEN_SELECT = ("HL001", "HL403", "HL405", "HL411")
GOLDEN_DIR = ROOT / "tests" / "golden"
VERSION_PLACEHOLDER = "<version>"


@contextmanager
def working_directory(path: Path):
    old = Path.cwd()
    os.chdir(path)
    try:
        yield
    finally:
        os.chdir(old)


def golden_result() -> RunResult:
    with working_directory(ROOT):
        return lint_paths([REPORT_FIXTURES], Settings(select=GOLDEN_SELECT))


def render_format(name: str, result: RunResult, fail_level: Severity = Severity.WARNING) -> str:
    return render(name, result, ReportOptions(color=False, fail_level=fail_level))


DOCS_PLACEHOLDER = "<docs>"


def normalise_version(text: str) -> str:
    """The report with where rule docs are linked and the version taken out: both depend on the copy."""
    return text.replace(rule_docs_base(), DOCS_PLACEHOLDER).replace(__version__, VERSION_PLACEHOLDER)


# Everything a hostile manifest could put into a message, a path or an object name.
EVIL = '<script>alert("x")</script> \'q\' %25 % ::error file=a,line=1::boom\r\n::warning::next \x1b[31mred\x1b[0m'
EVIL_PATH = 'deploy/<script>x</script> "q" %,::.yaml'


def hostile_result() -> RunResult:
    """A run result whose message, path, object and key carry ``EVIL``."""
    source = SourceFile.from_text(EVIL_PATH, f"apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: {EVIL!r}\n")
    obj = ObjectRef("ConfigMap", "ns<b>", EVIL)
    diagnostics = [
        Diagnostic("HL403", "privileged-container", Severity.ERROR, f"object {EVIL} is bad",
                   Location(EVIL_PATH, Span(4, 9, 4, 20)), obj, "metadata.name"),
        Diagnostic("HL405", "capabilities-not-dropped", Severity.WARNING, EVIL,
                   Location(EVIL_PATH, Span(2, 1, 2, 5)), obj, EVIL),
        Diagnostic("HL411", "host-users", Severity.INFO, EVIL, Location(EVIL_PATH, Span(1, 1, 3, 2)), None, ""),
    ]
    return RunResult(diagnostics, {EVIL_PATH: source}, [f"error {EVIL}"], [], 1)
