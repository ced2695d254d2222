"""GitHub Actions workflow commands: one ``::error``/``::warning``/``::notice`` line per finding.

GitHub turns these lines into annotations on the pull request. Escaping
follows the runner's rules: in the message ``%``, ``\\r`` and ``\\n``
become ``%25``, ``%0D`` and ``%0A``; in properties ``:`` and ``,`` are
escaped as well (``%3A``, ``%2C``), so input-derived text can neither end a
property nor start a new command. Other control characters (ANSI escapes)
are shown as ``\\xNN``. ``col``/``endColumn`` are only meaningful on a
single-line span, so a multi-line span gives lines only.
"""

from __future__ import annotations

from linter.diagnostics import Severity
from linter.reporters.text import clean

COMMANDS = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "notice"}


def escape_data(text: str) -> str:
    escaped = text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")
    return clean(escaped)


def escape_property(text: str) -> str:
    return escape_data(text).replace(":", "%3A").replace(",", "%2C")


def command(d) -> str:
    span = d.location.span
    props = [("file", d.path), ("line", str(span.line))]
    if span.end_line <= span.line:
        props += [("col", str(span.column)), ("endLine", str(span.line)), ("endColumn", str(span.end_column))]
    else:
        props += [("endLine", str(span.end_line))]
    props.append(("title", f"{d.rule_id} {d.rule_name}"))
    joined = ",".join(f"{name}={escape_property(value)}" for name, value in props)
    return f"::{COMMANDS[d.severity]} {joined}::{escape_data(d.message)}"


def render(result, options) -> str:
    return "".join(command(d) + "\n" for d in result.diagnostics)
