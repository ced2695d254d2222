"""Code actions: a finding's fix, and suppressions of it on its line or for its file.

Fixes come from the fix planner (``linter.fix.diagnostic_fix``, the edits
``check --fix`` would make for that one finding); safe ones are quick fixes
the client may apply on its own (preferred), unsafe ones say so in their
title. Suppressions are the comments of ``linter.suppress``: ``disable=`` at
the end of the finding's line (or alone on the line above it where a comment
at the end would change the YAML, as inside a multi-line string), and
``disable-file=`` at the top of the file. A comment that already names rules
there gets the rule added to its list.

Every edit is checked before it is offered: the edited text must hold the
same YAML data as before (comments change nothing else) and its suppression
must be found and cover the finding. An edit that fails the check is not
offered.
"""

from __future__ import annotations

from dataclasses import replace
from typing import TYPE_CHECKING

from lsprotocol import types

from linter.lsp.positions import TextIndex
from linter.records import record
from linter.source import SourceFile
from linter.suppress import comment_suppressions
from linter.yamlpos import MapNode, Node, ScalarNode, SeqNode, load

if TYPE_CHECKING:
    from linter.diagnostics import Diagnostic
    from linter.engine import RunResult

FIX_ALL = "source.fixAll.headlamp-lint"
REASON_HINT = "write the reason after --"


@record(frozen=True)
class Document:
    """What an action needs to know of the document it edits."""

    uri: str
    display: str
    text: str  # as linted: line ends normalised
    index: TextIndex
    crlf: bool = False  # the editor's buffer ends lines with CRLF


def text_edit(doc: Document, new: str) -> types.TextEdit:
    """The smallest edit that turns ``doc.text`` into ``new``."""
    old = doc.text
    start = 0
    limit = min(len(old), len(new))
    while start < limit and old[start] == new[start]:
        start += 1
    end_old, end_new = len(old), len(new)
    while end_old > start and end_new > start and old[end_old - 1] == new[end_new - 1]:
        end_old, end_new = end_old - 1, end_new - 1
    inserted = new[start:end_new]
    if doc.crlf:
        inserted = inserted.replace("\n", "\r\n")
    (line, character), (end_line, end_character) = doc.index.position(start), doc.index.position(end_old)
    return types.TextEdit(
        range=types.Range(types.Position(line, character), types.Position(end_line, end_character)),
        new_text=inserted,
    )


def _edit(doc: Document, new: str) -> types.WorkspaceEdit:
    return types.WorkspaceEdit(changes={doc.uri: [text_edit(doc, new)]})


# --- fixes -------------------------------------------------------------------------


def fixed_text(result: "RunResult", d: "Diagnostic", spec) -> str | None:
    """The document's text with this one finding fixed (None: the fix changes nothing here)."""
    from linter.fix import diagnostic_fix, split_lines

    source = result.sources.get(d.path)
    replacements = diagnostic_fix(result, d, spec)
    if source is None or not replacements:
        return None
    # Replacements are whole lines of the text, split as the planner splits it (at LF only).
    lines = split_lines(source.text)
    for r in sorted(replacements, key=lambda r: r.start_line, reverse=True):
        lines[r.start_line - 1 : r.end_line - 1] = [r.text.replace("\r\n", "\n")]
    return "".join(lines)


def fix_action(result: "RunResult", doc: Document, d: "Diagnostic", lsp: types.Diagnostic) -> types.CodeAction | None:
    from linter.rules import rule_by_id

    spec = rule_by_id(d.rule_id).fix
    if spec is None:
        return None
    new = fixed_text(result, d, spec)
    if new is None or new == doc.text:
        return None
    safe = spec.applicability == "safe"
    title = f"Fix {d.rule_id}: {spec.description}" if safe else (
        f"Fix {d.rule_id} (unsafe: may change behaviour): {spec.description}")
    return types.CodeAction(
        title=title,
        kind=types.CodeActionKind.QuickFix,
        diagnostics=[lsp],
        is_preferred=safe,
        edit=_edit(doc, new),
    )


def fix_all_action(result: "RunResult", doc: Document) -> types.CodeAction | None:
    """Every safe fix of the document at once, as ``check --fix`` would apply them."""
    from linter.fix import plan_fixes
    from linter.rules import fix_specs

    mine = replace(result, diagnostics=[d for d in result.diagnostics if d.path == doc.display])
    planned = [f for f in plan_fixes(mine, fix_specs(unsafe=False)) if f.display == doc.display]
    if not planned or planned[0].fixed == doc.text:
        return None
    count = len(planned[0].applied)
    return types.CodeAction(
        title=f"Fix all safe headlamp-lint problems ({count})",
        kind=FIX_ALL,
        edit=_edit(doc, planned[0].fixed),
    )


# --- suppressions ---------------------------------------------------------------------


def _data(node: Node | None) -> object:
    """A node's data without positions: what a comment must never change."""
    if isinstance(node, ScalarNode):
        return ("scalar", node.value, node.tag)
    if isinstance(node, SeqNode):
        return ("seq", node.tag, tuple(_data(item) for item in node.items))
    if isinstance(node, MapNode):
        return ("map", node.tag, tuple((_data(key), _data(value)) for key, value in node.entries))
    return None


def _same_yaml(old: str, new: str) -> bool:
    before, after = load(old), load(new)
    if len(before.problems) != len(after.problems):
        return False
    return [(_data(d.root), len(d.problems)) for d in before.documents] == [
        (_data(d.root), len(d.problems)) for d in after.documents
    ]


def _covers(doc: Document, new: str, rule_id: str, line: int, scope: str) -> bool:
    """Does a suppression in ``new`` silence ``rule_id`` on ``line`` (with ``scope`` "line" or "file")?"""
    for suppression in comment_suppressions(SourceFile.from_text(doc.display, new), False):
        if suppression.scope != scope or not any(code.rule_id == rule_id for code in suppression.codes):
            continue
        if scope == "file" or line in suppression.lines:
            return True
    return False


def _extended(doc: Document, rule_id: str, line: int, scope: str) -> str | None | bool:
    """The text with ``rule_id`` added to a suppression already covering ``line`` (or the file); None when
    there is none; False when it names the rule already (another problem, its reason say, is HL007's)."""
    for suppression in comment_suppressions(SourceFile.from_text(doc.display, doc.text), False):
        if suppression.scope != scope or not suppression.codes or (scope == "line" and line not in suppression.lines):
            continue
        if any(code.rule_id == rule_id for code in suppression.codes):
            return False
        last = suppression.codes[-1].location.span
        at = doc.index.offset(last.end_line, last.end_column)
        return doc.text[:at] + "," + rule_id + doc.text[at:]
    return None


def line_suppression(doc: Document, rule_id: str, line: int) -> tuple[str, int] | None:
    """The text with ``rule_id`` disabled on ``line``, and the line the finding is on then."""
    extended = _extended(doc, rule_id, line, "line")
    if extended is False:
        return None
    if isinstance(extended, str):
        return extended, line
    comment = f"# headlamp-lint: disable={rule_id} -- "
    end = doc.index.line_end(line)
    start = doc.index.offset(line, 1)
    current = doc.text[start:end]
    candidates = []
    if current.strip():
        candidates.append((doc.text[:end] + ("" if current.endswith(" ") else "  ") + comment + doc.text[end:], line))
    indent = current[: len(current) - len(current.lstrip(" "))]
    candidates.append((doc.text[:start] + indent + comment + "\n" + doc.text[start:], line + 1))
    for new, moved in candidates:
        if _same_yaml(doc.text, new) and _covers(doc, new, rule_id, moved, "line"):
            return new, moved
    return None


def file_suppression(doc: Document, rule_id: str) -> str | None:
    """The text with ``rule_id`` disabled for the whole file (a first line of its own, or added to one)."""
    extended = _extended(doc, rule_id, 1, "file")
    if extended is False:
        return None
    new = extended if isinstance(extended, str) else f"# headlamp-lint: disable-file={rule_id} -- \n" + doc.text
    if _same_yaml(doc.text, new) and _covers(doc, new, rule_id, 1, "file"):
        return new
    return None


def suppression_actions(doc: Document, d: "Diagnostic", lsp: types.Diagnostic) -> list[types.CodeAction]:
    out = []
    on_line = line_suppression(doc, d.rule_id, d.line)
    if on_line is not None:
        out.append(types.CodeAction(
            title=f"Disable {d.rule_id} on this line ({REASON_HINT})",
            kind=types.CodeActionKind.QuickFix,
            diagnostics=[lsp],
            edit=_edit(doc, on_line[0]),
        ))
    in_file = file_suppression(doc, d.rule_id)
    if in_file is not None:
        out.append(types.CodeAction(
            title=f"Disable {d.rule_id} for this file ({REASON_HINT})",
            kind=types.CodeActionKind.QuickFix,
            diagnostics=[lsp],
            edit=_edit(doc, in_file),
        ))
    return out
