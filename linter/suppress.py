"""The suppress stage: drop the findings a user silenced on purpose, and report suppressions that silence nothing.

Three forms, each naming rules by id or name and giving a reason after ``--``:

- comments, found by scanning the source lines (the YAML loader keeps no
  comments): ``# headlamp-lint: disable=HL401,run-as-root -- reason`` at the
  end of the offending line, or alone on a line, where it covers that line
  and the next line holding YAML (a comment alone on line 1 of a values file
  therefore covers the chart-default findings reported at line 1);
  ``disable-next-line=`` covers the next line holding YAML;
  ``disable-file=`` in the file's first comment block covers the whole file.
- the annotation ``headlamp-lint.io/ignore: "HL405,HL407 -- reason"`` on an
  object (it survives ``helm template``) covers the findings about that
  object. On objects built from a values file it would come from the chart's
  ``podAnnotations`` / ``deploymentAnnotations``, a silent escape hatch, so
  there it counts only when ``suppressions.values-annotations`` is set.
- ``per-file-ignores`` from the configuration (glob -> rules).

Unknown rules, malformed or misplaced comments, suppressions without a
reason (unless ``suppressions.require-reason: false``) and suppressions that
matched no finding are reported as HL007. A suppression of a rule that is not
selected (or ignored for that file) is not "unused": it may be needed by
another configuration.
"""

from __future__ import annotations

import re
from typing import Callable, Iterable

from linter.config import glob_matches
from linter.diagnostics import Diagnostic
from linter.located import Location, Origin, Span
from linter.model.objects import SUPPRESSION_ANNOTATION, K8sObject, ObjectRef
from linter.records import field, record
from linter.settings import Settings, _matches, is_selected
from linter.source import SourceFile

ANNOTATION = SUPPRESSION_ANNOTATION
UNUSED = "HL007"
ACTIONS = ("disable", "disable-next-line", "disable-file")

# A comment that means to talk to headlamp-lint: '#' at the start of a line or after a blank.
_MARK = re.compile(r"(?:^|(?<=\s))#\s*headlamp-lint\s*:")
_DIRECTIVE = re.compile(
    r"#\s*headlamp-lint\s*:\s*(?P<action>[A-Za-z-]+)\s*=\s*"
    r"(?P<codes>[A-Za-z0-9]+(?:-[A-Za-z0-9]+)*(?:\s*,\s*[A-Za-z0-9]+(?:-[A-Za-z0-9]+)*)*)"
    r"(?P<rest>.*)$"
)
_CODE = re.compile(r"[A-Za-z0-9]+(?:-[A-Za-z0-9]+)*")
_REASON = re.compile(r"\s*--\s*(?P<reason>.*)$")

# Makes an HL007 diagnostic (or None when HL007 is not selected).
Report = Callable[[str, Location, str], "Diagnostic | None"]


@record
class Code:
    """One rule named in a suppression."""

    text: str
    rule_id: str | None  # None: no such rule
    location: Location
    used: bool = False


@record
class Suppression:
    path: str
    codes: list[Code]
    location: Location  # the comment's '#' or the annotation key
    scope: str  # "line", "file" or "object"
    lines: frozenset[int] = frozenset()
    obj: ObjectRef | None = None
    any_path: bool = False  # an object from values: its findings may sit in any values file
    problems: list[tuple[Location, str]] = field(default_factory=list)

    def covers(self, d: Diagnostic) -> bool:
        if self.scope == "object":
            return d.obj == self.obj and (self.any_path or d.path == self.path)
        if d.path != self.path:
            return False
        return self.scope == "file" or d.line in self.lines

    def where(self) -> str:
        if self.scope == "object":
            return f"in {self.obj}"
        if self.scope == "file":
            return "in this file"
        return "on line " + ", ".join(str(n) for n in sorted(self.lines))


def _rule_id(text: str) -> str | None:
    from linter.rules import find_rule

    rule = find_rule(text)
    return rule.id if rule else None


def _codes(text: str, path: str, line: int, column: int) -> list[Code]:
    """The rules in ``text`` (starting at ``column`` of ``line``), each located for HL007."""
    return [
        Code(m.group(0), _rule_id(m.group(0)), Location(path, Span(line, column + m.start(), line, column + m.end())))
        for m in _CODE.finditer(text)
    ]


def _is_content(line: str) -> bool:
    stripped = line.strip()
    return bool(stripped) and not stripped.startswith("#")


def _next_content_line(lines: tuple[str, ...], number: int) -> int:
    for index in range(number, len(lines)):  # lines[number] is line number + 1
        if _is_content(lines[index]):
            return index + 1
    return number + 1


def comment_suppressions(source: SourceFile, require_reason: bool) -> list[Suppression]:
    """Every ``# headlamp-lint:`` comment of one file."""
    out: list[Suppression] = []
    if "headlamp-lint" not in source.text:
        return out  # the common case: one substring search per file
    lines = source.all_lines()
    in_header = True  # still in the first comment block (blank lines, comments, '---')
    for number, line in enumerate(lines, start=1):
        mark = _MARK.search(line) if "headlamp-lint" in line else None
        alone = not line[: mark.start()].strip() if mark else False
        if mark is None:
            if _is_content(line) and line.strip() != "---":
                in_header = False
            continue
        start = Location(source.display, Span(number, mark.start() + 1, number, len(line) + 1))
        match = _DIRECTIVE.match(line, mark.start())
        if match is None or match.group("action") not in ACTIONS:
            message = (
                f"unknown suppression directive {match.group('action')!r}; use disable, disable-next-line or"
                " disable-file"
                if match
                else "malformed suppression comment; write '# headlamp-lint: disable=HL401 -- reason'"
            )
            out.append(Suppression(source.display, [], start, "line", problems=[(start, message)]))
            if not alone:
                in_header = False
            continue
        action = match.group("action")
        codes = _codes(match.group("codes"), source.display, number, match.start("codes") + 1)
        suppression = Suppression(source.display, codes, start, "line")
        if action == "disable-file":
            suppression.scope = "file"
            if not (alone and in_header):
                suppression.scope = "misplaced"
                suppression.problems.append(
                    (start, "disable-file works only in the file's first comment block; this one is ignored")
                )
        elif action == "disable-next-line":
            suppression.lines = frozenset({_next_content_line(lines, number)})
        elif alone:
            suppression.lines = frozenset({number, _next_content_line(lines, number)})
        else:
            suppression.lines = frozenset({number})
        reason = _REASON.match(match.group("rest"))
        if require_reason and (reason is None or not reason.group("reason").strip()):
            suppression.problems.append((start, "suppression without a reason; add one after ' -- '"))
        out.append(suppression)
        if not alone:
            in_header = False
    return out


def annotation_suppressions(objects: Iterable[K8sObject], settings: Settings) -> list[Suppression]:
    out: list[Suppression] = []
    for obj in objects:
        text = obj.annotations.get(ANNOTATION)
        if text is None:
            continue
        from_values = obj.origin is not Origin.MANIFEST
        if from_values and not settings.values_annotation_suppressions:
            continue
        location = obj.suppression_location or obj.location
        span = location.span
        codes_text, _, reason = text.partition("--")
        # Column of the first character inside the (possibly quoted) single-line scalar.
        node_quoted = span.end_column - span.column == len(text) + 2
        first = span.column + (1 if node_quoted else 0)
        if span.line == span.end_line:
            codes = _codes(codes_text, location.path, span.line, first)
        else:
            codes = [Code(c, _rule_id(c), location) for c in _CODE.findall(codes_text)]
        suppression = Suppression(location.path, codes, location, "object", obj=obj.ref, any_path=from_values)
        if settings.require_suppression_reason and not reason.strip():
            suppression.problems.append((location, "suppression without a reason; add one after ' -- '"))
        out.append(suppression)
    return out


def _ignored_for_file(d: Diagnostic, settings: Settings) -> bool:
    return any(
        glob_matches(d.path, (glob,), settings.config_root) and any(_matches(d.rule_id, d.rule_name, s) for s in sel)
        for glob, sel in settings.per_file_ignores
    )


def _unused_matters(code: Code, path: str, settings: Settings) -> bool:
    """An unused suppression is worth reporting only if its rule ran on that file."""
    from linter.rules import rule_by_id

    assert code.rule_id is not None
    rule = rule_by_id(code.rule_id)
    if not is_selected(rule.id, rule.name, settings):
        return False
    probe = Diagnostic(rule.id, rule.name, rule.meta.severity, "", Location(path, code.location.span))
    return not _ignored_for_file(probe, settings)


def _unused(suppressions: list[Suppression], settings: Settings, report: Report, hl007: bool) -> list:
    out = []
    for suppression in suppressions:
        if suppression.scope == "misplaced":
            continue
        for code in suppression.codes:
            if code.used or code.rule_id is None or (code.rule_id == UNUSED) != hl007:
                continue
            if not _unused_matters(code, suppression.path, settings):
                continue
            out.append(
                report(
                    UNUSED,
                    code.location,
                    f"unused suppression: no {code.rule_id} finding {suppression.where()}; remove {code.text!r}",
                )
            )
    return out


@record
class SuppressResult:
    diagnostics: list[Diagnostic]
    suppressed: int


def apply(
    diagnostics: list[Diagnostic],
    sources: Iterable[SourceFile],
    objects: Iterable[K8sObject],
    settings: Settings,
    report: Report,
    not_linted: frozenset[str] | set[str] = frozenset(),
) -> SuppressResult:
    """Drop suppressed findings and add HL007s. ``not_linted``: files skipped (templates), where
    suppressions are meant for the rendered output and so are never "unused"."""
    suppressions = [s for src in sources for s in comment_suppressions(src, settings.require_suppression_reason)]
    suppressions += annotation_suppressions(objects, settings)
    # Indexed so that each finding looks only at the suppressions of its file and its object.
    by_path: dict[str, list[Suppression]] = {}
    by_object: dict[ObjectRef, list[Suppression]] = {}
    for suppression in suppressions:
        if suppression.scope == "object" and suppression.obj is not None:
            by_object.setdefault(suppression.obj, []).append(suppression)
        elif suppression.scope != "misplaced":
            by_path.setdefault(suppression.path, []).append(suppression)

    def silenced(d: Diagnostic) -> bool:
        hit = False
        candidates = by_path.get(d.path, []) + (by_object.get(d.obj, []) if d.obj is not None else [])
        for suppression in candidates:
            if not suppression.covers(d):
                continue
            for code in suppression.codes:
                if code.rule_id == d.rule_id:
                    code.used = True
                    hit = True
        return hit

    kept: list[Diagnostic] = []
    suppressed = 0
    for d in diagnostics:
        if _ignored_for_file(d, settings):
            continue
        if silenced(d):
            suppressed += 1
        else:
            kept.append(d)

    # Problems with the suppressions themselves, then unused suppressions of other rules: these
    # may be silenced too (disable=HL007). Unused suppressions of HL007 come last, so that one
    # counts as used when it silenced anything before.
    from linter.rules import suggest_rule

    problems: list[Diagnostic | None] = []
    for suppression in suppressions:
        for location, message in suppression.problems:
            problems.append(report(UNUSED, location, message))
        for code in suppression.codes:
            if code.rule_id is None:
                hint = suggest_rule(code.text)
                message = f"suppression names unknown rule {code.text!r}" + (f"; did you mean {hint}?" if hint else "")
                problems.append(report(UNUSED, code.location, message))
    suppressions_checked = [s for s in suppressions if s.path not in not_linted]
    problems += _unused(suppressions_checked, settings, report, hl007=False)
    for d in problems:
        if d is None or _ignored_for_file(d, settings):
            continue
        if silenced(d):
            suppressed += 1
        else:
            kept.append(d)
    kept += [
        d
        for d in _unused(suppressions_checked, settings, report, hl007=True)
        if d is not None and not _ignored_for_file(d, settings)
    ]
    return SuppressResult(kept, suppressed)

