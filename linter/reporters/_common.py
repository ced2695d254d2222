"""Helpers shared by the integration formats: fingerprints, rule docs, paths, excerpts.

Kept free of jinja2 and jsonschema so that every reporter may import it.
"""

from __future__ import annotations

import hashlib
import re
from collections import Counter
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Iterable
from urllib.parse import quote

from linter import __version__
from linter.diagnostics import SECRET_RULES, Severity, mask_line
from linter.records import record

if TYPE_CHECKING:
    from linter.diagnostics import Diagnostic
    from linter.engine import RunResult
    from linter.rules.base import Rule

TOOL_NAME = "headlamp-lint"


def tool_version() -> str:
    return __version__


def rules_by_id() -> dict[str, "Rule"]:
    from linter.rules import all_rules

    return {rule.id: rule for rule in all_rules()}


def doc_section(doc: str, heading: str) -> str:
    """The text under ``## heading`` of a rule's docs ('' when absent)."""
    match = re.search(rf"^## {re.escape(heading)}\n(.*?)(?=^## |\Z)", doc, re.S | re.M)
    return match.group(1).strip() if match else ""


def rule_summary(rule: "Rule") -> str:
    """The "What it does" paragraph as one line of prose."""
    text = doc_section(rule.doc, "What it does") or rule.meta.title
    return " ".join(text.split())


@lru_cache(maxsize=1)
def repository_url() -> str | None:
    """The repository this copy was published from: its package's ``Project-URL: Repository``
    (``[project.urls]`` in pyproject.toml); None when the package does not name one."""
    from importlib.metadata import PackageNotFoundError, metadata

    try:
        entries = metadata(TOOL_NAME).get_all("Project-URL") or []
    except PackageNotFoundError:
        return None
    for entry in entries:
        label, _, url = entry.partition(",")
        if label.strip().lower() == "repository" and url.strip().startswith("https://"):
            return url.strip().rstrip("/")
    return None


def rule_docs_base() -> str:
    """Where rule modules are linked. A rule's documentation is its module's docstring (what
    ``explain`` prints): in the published repository at this version's release tag, or, for a copy
    whose package names no repository, the module installed beside this one (a link that resolves
    on this machine, rather than a guessed address that may not)."""
    repository = repository_url()
    if repository is not None:
        return f"{repository}/blob/v{__version__}/linter/rules"
    return Path(__file__).resolve().parent.parent.joinpath("rules").as_uri()


def help_uri(rule: "Rule") -> str:
    """This project's documentation of the rule. (The guide pages and other tools' docs a rule cites
    are in its References, never its link.)"""
    return f"{rule_docs_base()}/{rule.module.rpartition('.')[2]}.py"


def is_relative(path: str) -> bool:
    return not (path.startswith("/") or re.match(r"^[A-Za-z]:[\\/]", path) or path.startswith("\\\\"))


def artifact_uri(path: str) -> str:
    """A display path as a URI reference: percent-encoded, POSIX separators."""
    # A Windows separator becomes "/"; a "\\xNN" escape of a byte that was not UTF-8 (discover.shown_name) stays.
    posix = re.sub(r"\\(?!x[0-9a-f]{2})", "/", path)
    if is_relative(posix):
        return quote(posix, safe="/")
    if re.match(r"^[A-Za-z]:/", posix):
        return "file:///" + quote(posix, safe="/:")
    return "file://" + quote(posix, safe="/")


def _location_independent_identity(d: "Diagnostic", source_line: str) -> tuple[str, ...]:
    """What identifies a finding without its line number.

    The object and the blamed key are what a user would call "the same
    problem" after unrelated edits move it; findings without an object
    (syntax errors, input problems) use the blamed line's text instead.
    """
    obj = d.obj
    if obj is not None:
        return (d.rule_id, d.path, obj.kind, obj.namespace or "", obj.name, d.key)
    return (d.rule_id, d.path, d.key, " ".join(source_line.split()))


def fingerprints(result: "RunResult") -> list[str]:
    """One stable fingerprint per diagnostic, in the order of ``result.diagnostics``.

    Identical identities (two findings on the same key of the same object)
    are told apart by their rank in the sorted output, so fingerprints are
    unique within a run and survive edits elsewhere in the file.
    """
    seen: Counter[tuple[str, ...]] = Counter()
    out: list[str] = []
    for d in result.diagnostics:
        source = result.sources.get(d.path)
        identity = _location_independent_identity(d, source.line(d.line) if source else "")
        occurrence = seen[identity]
        seen[identity] += 1
        digest = hashlib.sha256("\x1f".join(identity + (str(occurrence),)).encode("utf-8")).hexdigest()
        out.append(digest[:32])
    return out


def file_paths(result: "RunResult") -> list[str]:
    """Every file the run read or reported on, sorted."""
    return sorted(set(result.sources) | {d.path for d in result.diagnostics})


def count_by_severity(diagnostics: Iterable["Diagnostic"]) -> dict[Severity, int]:
    """Findings per severity, most severe first (zeros included)."""
    counts = Counter(d.severity for d in diagnostics)
    return {s: counts.get(s, 0) for s in sorted(Severity, reverse=True)}


def count_by_section(diagnostics: Iterable["Diagnostic"]) -> list[tuple[str, dict[Severity, int]]]:
    """Findings per guide section (in the guide's order) and severity; sections without findings are left out."""
    from linter.rules.base import SECTIONS

    grouped: dict[str, list["Diagnostic"]] = {}
    for d in diagnostics:
        grouped.setdefault(SECTIONS.get(d.rule_id[:3], "Other"), []).append(d)
    order = list(SECTIONS.values()) + ["Other"]
    return [(name, count_by_severity(grouped[name])) for name in order if name in grouped]


@record(frozen=True)
class ExcerptLine:
    number: int
    before: str  # text before the blamed span on this line
    span: str  # the blamed text on this line ('' when the span is elsewhere)
    after: str
    eof: bool = False  # the blamed position is the end of the file (a syntax error at EOF)


def excerpt(result: "RunResult", d: "Diagnostic", context: int = 2,
            secrets: "dict[str, list[Diagnostic]] | None" = None) -> list[ExcerptLine]:
    """The blamed lines with ``context`` lines around, split at the span for highlighting; secrets masked
    (``secrets``: from ``secret_findings``, computed once per report)."""
    source = result.sources.get(d.path)
    if source is None or not source.line_count:
        return []
    span = d.location.span
    first = max(1, span.line - context)
    last = min(source.line_count, max(span.end_line, span.line) + context)
    out: list[ExcerptLine] = []
    mine = (secrets or {}).get(d.path, [])
    for number in range(first, last + 1):
        original = source.line(number)
        text, shifted = mask_line(number, original, mine + [d] if d.rule_id in SECRET_RULES else mine)
        if span.line <= number <= span.end_line:
            start = shifted(span.column - 1) if number == span.line else 0
            end = shifted(span.end_column - 1) if number == span.end_line else len(text)
            start = max(0, min(start, len(text)))
            end = max(start, min(end, len(text)))
            if start == end and number == span.line and start < len(text):
                end = start + 1  # a point span still marks one character
            out.append(ExcerptLine(number, text[:start], text[start:end], text[end:]))
        else:
            out.append(ExcerptLine(number, text, "", ""))
    if span.line > source.line_count:
        out.append(ExcerptLine(span.line, "", "", "", eof=True))
    return out
