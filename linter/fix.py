"""Fixes: small text edits that keep every other byte of the file as the user wrote it.

Planning is done from ONE parse of the file, whatever the number of
findings (SARIF, ``--fix`` and ``--diff`` stay linear in the file's size):

1. each diagnostic's fix is *resolved* against that parse into logical
   operations on its nodes, found by object and key path (never by line
   number): set a key path under a mapping (``_Set``), append an item to a
   list (``_Append``), remove a list item (``_Remove``);
2. the operations of all diagnostics are *rendered* together into text
   edits: keys added to the same mapping are merged into one block (two
   fixes under a missing ``securityContext:`` add one ``securityContext:``,
   not two), the same operation asked twice (through an alias, or for two
   containers sharing an anchor) is one edit at the anchor, and an edit
   that overlaps another one is dropped (its diagnostic stays unfixed);
3. the result is *verified*: the fixed text is parsed again and must parse
   as well as the original, have no new duplicate key, and read (as data)
   exactly as the original with the planned operations applied. Otherwise
   the whole file is left as it was and ``FilePlan.error`` says why, with
   the line of the first edit.

Edits keep the file's bytes: the text is planned as read (CRLF, a lone CR
and Unicode line separators kept), new lines take the line end of the line
they are inserted at, and the file is written back in its own encoding with
its byte order mark. Lines are those of ``linter.source`` (LF only), the
same ``yamlpos`` reports positions in. UTF-16 files are never fixed (their
``--diff`` could not be applied by ``patch``); they are reported.

In Helm values files the diagnostic's key is the values key (under an
umbrella chart's ``headlamp:`` key or alias, never above it); a chart
default gets the smallest override, merged into the user's existing block
or appended as a new block with a comment naming the rule.

Public API (also used by the editor integration): ``plan_file`` /
``fix_text`` for any text in memory (e.g. standard input), ``plan_fixes`` and
``write_fixes`` for the files of a run, ``diagnostic_fix`` /
``diagnostic_fixes`` for one diagnostic's own edit (SARIF ``fixes``, code
actions).
"""

from __future__ import annotations

import copy
import difflib
import errno
import hashlib
import os
import re
import stat
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Callable, Iterable, Union

from linter.errors import LintError
from linter.records import field, record
from linter.source import YAML_ONLY_BREAK, LineIndex
from linter.yamlpos import LoadResult, MapNode, Node, ScalarNode, SeqNode, load

if TYPE_CHECKING:
    from linter.diagnostics import Diagnostic
    from linter.rules.base import FixSpec

_SEGMENT = re.compile(r"([^.\[\]]+)(?:\[([^\]]*)\])?")
TMP_VOLUME = "headlamp-tmp"
_COLON = re.compile(r"[ \t]*:")


@record(frozen=True)
class TextEdit:
    start: int  # offsets into the text
    end: int
    replacement: str


def apply(text: str, edit: TextEdit) -> str:
    return text[: edit.start] + edit.replacement + text[edit.end:]


def apply_all(text: str, edits: Iterable[TextEdit]) -> str:
    """Apply non-overlapping edits (any order) in one pass."""
    out, position = [], 0
    for edit in sorted(edits, key=lambda e: e.start):  # stable: insertions at one offset keep their order
        out.append(text[position:edit.start])
        out.append(edit.replacement)
        position = edit.end
    out.append(text[position:])
    return "".join(out)


def digest(data: bytes) -> str:
    """The same digest ``read_source`` records."""
    return hashlib.sha256(data).hexdigest()


def split_lines(text: str) -> list[str]:
    """Lines as the project counts them (ending at LF, which each keeps; see ``linter.source``)."""
    lines = text.split("\n")
    out = [line + "\n" for line in lines[:-1]]
    if lines[-1]:
        out.append(lines[-1])
    return out


def unified_diff(before: str, after: str, fromfile: str, tofile: str) -> str:
    """A unified diff that ``patch`` applies: lines end at LF only, every byte is shown (CR, U+2028
    included), and a last line without a line end is followed by ``\\ No newline at end of file``."""
    out = []
    for line in difflib.unified_diff(split_lines(before), split_lines(after), fromfile=fromfile, tofile=tofile):
        out.append(line)
        if not line.endswith("\n"):
            out.append("\n\\ No newline at end of file\n")
    return "".join(out)


# --- the one parse -------------------------------------------------------------


class Parsed:
    """One parse of a text and what planning needs from it, each computed once."""

    def __init__(self, text: str):
        self.text = text
        self.loaded: LoadResult = load(text)
        self.lines = LineIndex(text)
        self._unit: int | None = None
        self._objects: dict[tuple[str, str], list[MapNode]] | None = None

    def offset(self, line: int, column: int) -> int:
        return self.lines.offset(line, column)

    def start(self, node: Node) -> int:
        return self.offset(node.span.line, node.span.column)

    def end(self, node: Node) -> int:
        return self.offset(node.span.end_line, node.span.end_column)

    def line_end(self, offset: int) -> int:
        """The offset of the LF ending the line of ``offset`` (len(text) on a last line without one)."""
        found = self.text.find("\n", offset)
        return len(self.text) if found < 0 else found

    def after_line(self, offset: int) -> int:
        """The start of the line after the one holding ``offset`` (len(text) at the end)."""
        return min(self.line_end(offset) + 1, len(self.text))

    def eol(self, offset: int) -> str:
        """The line end to give new lines inserted at ``offset``: that of the line there, or the one before."""
        end = self.text.find("\n", offset)
        if end < 0:
            end = self.text.rfind("\n", 0, offset)
        if end < 0:
            return "\n"
        return "\r\n" if end > 0 and self.text[end - 1] == "\r" else "\n"

    @property
    def unit(self) -> int:
        """The indentation step the file uses (2 if it cannot tell)."""
        if self._unit is None:
            widths = sorted({len(line) - len(line.lstrip(" ")) for line in self.text.split("\n") if line.strip()})
            steps = [b - a for a, b in zip(widths, widths[1:]) if b > a]
            self._unit = min(steps) if steps else 2
        return self._unit

    def find_object(self, kind: str, name: str, line: int | None = None) -> MapNode | None:
        """The object of that kind and name; with several, the one holding ``line`` (the finding's)."""
        if self._objects is None:
            self._objects = {}
            for doc in self.loaded.documents:
                root = doc.root
                candidates: list = []
                if isinstance(root, MapNode):
                    items = root.get("items")
                    candidates = [i for i in items.items if isinstance(i, MapNode)] if isinstance(items, SeqNode) \
                        else [root]
                for node in candidates:
                    meta = node.get("metadata")
                    kind_node, name_node = node.get("kind"), meta.get("name") if isinstance(meta, MapNode) else None
                    if isinstance(kind_node, ScalarNode) and isinstance(name_node, ScalarNode):
                        self._objects.setdefault((kind_node.text, name_node.text), []).append(node)
        found = self._objects.get((kind, name), [])
        if len(found) > 1 and line is not None:
            holding = [n for n in found if n.span.line <= line <= n.span.end_line]
            return holding[-1] if holding else None
        return found[0] if found else None


def split_key(key: str) -> list[tuple[str, str | None]]:
    """``containers[headlamp].securityContext.runAsUser`` → [(containers, headlamp), (securityContext, None), …]."""
    return [(m.group(1), m.group(2)) for m in _SEGMENT.finditer(key)]


def _pod_spec(obj: MapNode, kind: str) -> MapNode | None:
    from linter.model.from_manifests import pod_spec_path
    from linter.model.objects import api_group

    version = obj.get("apiVersion")
    path = pod_spec_path(kind, api_group(version.text if isinstance(version, ScalarNode) else ""), obj)
    if path is None:
        return None
    node: Node | None = obj
    for step in path:
        node = node.get(step) if isinstance(node, MapNode) else None
    return node if isinstance(node, MapNode) else None


def _container(spec: MapNode, list_key: str, name: str) -> MapNode | None:
    items = spec.get(list_key)
    if not isinstance(items, SeqNode):
        return None
    for item in items.items:
        if isinstance(item, MapNode):
            name_node = item.get("name")
            if isinstance(name_node, ScalarNode) and name_node.text == name:
                return item
    return None


def _diagnostic_object(parsed: Parsed, diagnostic: "Diagnostic") -> MapNode | None:
    if diagnostic.obj is None:
        return None
    return parsed.find_object(diagnostic.obj.kind, diagnostic.obj.name, diagnostic.line)


def target_mapping(parsed: Parsed, diagnostic: "Diagnostic") -> tuple[MapNode, list[str]] | None:
    """The manifest mapping to edit and the key path below it, for a diagnostic's key."""
    obj = _diagnostic_object(parsed, diagnostic)
    if obj is None or diagnostic.obj is None:
        return None
    segments = split_key(diagnostic.key)
    spec = _pod_spec(obj, diagnostic.obj.kind)
    if segments and segments[0][1] is not None and segments[0][0] in ("containers", "initContainers"):
        container = _container(spec, segments[0][0], segments[0][1]) if spec is not None else None
        if container is None:
            return None
        return container, [s for s, _ in segments[1:]]
    if spec is not None and segments and segments[0][1] is None:
        return spec, [s for s, _ in segments]
    return None


# --- operations ------------------------------------------------------------------


@record(frozen=True, eq=False)
class _Set:
    """Set ``path`` under ``node`` to ``value`` (YAML text); ``node`` None: the (empty) document itself."""

    node: MapNode | None
    path: tuple[str, ...]
    value: str
    comment: str | None = None  # values files: a new top-level block names the rule that added it


@record(frozen=True, eq=False)
class _Append:
    node: SeqNode
    item: str


@record(frozen=True, eq=False)
class _Remove:
    node: SeqNode
    index: int


Op = Union[_Set, _Append, _Remove]


def resolve_set(mapping: MapNode, path: list[str], value: str, list_item: str | None,
                comment: str | None = None, helm: bool = False) -> Op | None:
    """The operation setting ``path`` under ``mapping`` to ``value``; None if already so or not editable.

    ``helm``: a values file, where a null (``key:``) deletes the chart's default for the key: the
    user's choice, so nothing is set through it (a map there would bring the defaults back)."""
    node: MapNode = mapping
    for index, key in enumerate(path):
        child = node.get(key)
        last = index == len(path) - 1
        if child is None or (isinstance(child, ScalarNode) and child.value is None and not child.quoted):
            if node.source is not None or (helm and child is not None):
                return None
            return _Set(node, tuple(path[index:]), value, comment if node is mapping else None)
        if last:
            if isinstance(child, SeqNode) and list_item is not None:
                if child.source is not None or any(
                        isinstance(i, ScalarNode) and i.text.upper() == list_item.upper() for i in child.items):
                    return None
                return _Append(child, list_item)
            if isinstance(child, ScalarNode):
                return None if child.raw == value else _Set(node, (key,), value)
            return None
        if not isinstance(child, MapNode) or child.source is not None:
            return None
        node = child
    return None


def resolve_removals(mapping: MapNode, path: list[str], pattern: str) -> list[_Remove]:
    """Remove every scalar item of the list at ``path`` whose whole text matches ``pattern``."""
    node: Node | None = mapping
    for key in path:
        node = node.get(key) if isinstance(node, MapNode) and node.source is None else None
    if not isinstance(node, SeqNode) or node.source is not None:
        return []
    matcher = re.compile(pattern)
    return [_Remove(node, i) for i, item in enumerate(node.items)
            if isinstance(item, ScalarNode) and matcher.fullmatch(item.text)]


# --- rendering operations into edits -------------------------------------------------


@record
class _Edit:
    edit: TextEdit
    ops: list[int]  # the operations this edit carries out
    # Among insertions at one offset, the deeper block goes first (it ends before its parent's next key).
    rank: int = 0


def _block_lines(tree: dict, indent: int, unit: int) -> list[str]:
    lines = []
    for key, value in tree.items():
        pad = " " * indent
        if isinstance(value, dict):
            lines.append(f"{pad}{key}:")
            lines.extend(_block_lines(value, indent + unit, unit))
        else:
            lines.append(f"{pad}{key}: {value}")
    return lines


def _flow(tree: dict) -> str:
    return ", ".join(f"{k}: {{{_flow(v)}}}" if isinstance(v, dict) else f"{k}: {v}" for k, v in tree.items())


def _add(tree: dict, path: tuple[str, ...], value: str) -> bool:
    """Add ``path: value`` to a tree of new keys; False when it conflicts with what is there."""
    for key in path[:-1]:
        child = tree.setdefault(key, {})
        if not isinstance(child, dict):
            return False
        tree = child
    existing = tree.get(path[-1])
    if existing is None:
        tree[path[-1]] = value
        return True
    return existing == value


def _block_end(parsed: Parsed, node: MapNode | SeqNode) -> int:
    """Where lines are inserted after a block collection's last entry (the start of the next line)."""
    end = parsed.end(node)  # where its last entry ends (an alias: where the `*name` ends)
    if end > 0 and parsed.lines.position(end)[1] == 1 and parsed.text[end - 1] == "\n":
        return end  # the last value ended with its line (a block scalar)
    return parsed.after_line(end)


def _lines_at(parsed: Parsed, offset: int, lines: list[str]) -> str:
    eol = parsed.eol(offset)
    return "".join(line + eol for line in lines)


def _text_edits(parsed: Parsed, edits: list[_Edit]) -> list[TextEdit]:
    """The edits to apply, in order; lines added after a last line without a line end get one first."""
    out = [e.edit for e in edits]
    text = parsed.text
    if text and not text.endswith("\n") and any(e.start == len(text) and e.replacement.endswith("\n") for e in out):
        out.insert(0, TextEdit(len(text), len(text), parsed.eol(len(text))))
    return out


class _Renderer:
    def __init__(self, parsed: Parsed, values_file: bool):
        self.parsed = parsed
        self.values_file = values_file
        self.edits: list[_Edit] = []

    def render(self, ops: list[Op]) -> list[_Edit]:
        new_keys: dict[int, tuple[MapNode | None, dict, dict, list[int]]] = {}
        null_keys: dict[tuple[int, str], tuple[MapNode, dict, list[int]]] = {}
        scalars: dict[int, tuple[MapNode, str, str, list[int]]] = {}
        appends: dict[int, tuple[SeqNode, list[str], list[int]]] = {}
        removals: dict[int, tuple[SeqNode, dict[int, int]]] = {}
        for number, op in enumerate(ops):
            if isinstance(op, _Append):
                seq, items, numbers = appends.setdefault(id(op.node), (op.node, [], []))
                if op.item not in items:
                    items.append(op.item)
                numbers.append(number)
            elif isinstance(op, _Remove):
                removals.setdefault(id(op.node), (op.node, {}))[1].setdefault(op.index, number)
            elif op.node is not None and op.path[0] in op.node:
                child = op.node.get(op.path[0])
                if isinstance(child, ScalarNode) and child.value is not None:
                    entry = scalars.setdefault(id(child), (op.node, op.path[0], op.value, []))
                    if entry[2] == op.value:
                        entry[3].append(number)
                else:
                    _, tree, numbers = null_keys.setdefault((id(op.node), op.path[0]), (op.node, {}, []))
                    if _add(tree, op.path[1:] or ("",), op.value):
                        numbers.append(number)
            else:
                _, tree, comments, numbers = new_keys.setdefault(id(op.node), (op.node, {}, {}, []))
                if _add(tree, op.path, op.value):
                    numbers.append(number)
                    if op.comment is not None:
                        comments.setdefault(op.path[0], op.comment)
        for node, tree, comments, numbers in new_keys.values():
            self._new_keys(node, tree, comments, numbers)
        for node, tree, numbers in null_keys.values():
            self._null_key(node, tree, numbers, ops)
        for node, key, value, numbers in scalars.values():
            child = node.get(key)
            assert child is not None
            self._emit(self.parsed.start(child), self.parsed.end(child), value, numbers)
        for seq, items, numbers in appends.values():
            self._append(seq, items, numbers)
        for seq, indexes in removals.values():
            self._remove(seq, indexes)
        return self.edits

    def _emit(self, start: int, end: int, replacement: str, numbers: list[int], indent: int = 0) -> None:
        if numbers:
            self.edits.append(_Edit(TextEdit(start, end, replacement), list(numbers), -indent))

    def _new_keys(self, node: MapNode | None, tree: dict, comments: dict, numbers: list[int]) -> None:
        parsed, unit = self.parsed, self.parsed.unit
        if node is None:  # an empty (or comment-only) values file: the override is the whole content
            self._emit(len(parsed.text), len(parsed.text), self._commented(len(parsed.text), tree, comments, 0),
                       numbers)
            return
        if node.flow:
            end = parsed.end(node) - 1  # the closing brace
            if end < 0 or parsed.text[end] != "}":
                return
            self._emit(end, end, (", " if node.entries else "") + _flow(tree), numbers)
            return
        if not node.entries:
            return
        offset = _block_end(parsed, node)
        indent = node.entries[0][0].span.column - 1
        if comments:
            self._emit(offset, offset, self._commented(offset, tree, comments, indent), numbers, indent)
        else:
            self._emit(offset, offset, _lines_at(parsed, offset, _block_lines(tree, indent, unit)), numbers, indent)

    def _commented(self, offset: int, tree: dict, comments: dict, indent: int) -> str:
        """New top-level values blocks, each set off by a blank line and a comment naming its rule."""
        parsed = self.parsed
        eol = parsed.eol(offset)
        before = parsed.text[:offset]
        out = ""
        for key, value in tree.items():
            text_before = before + (eol if before and not before.endswith("\n") else "") + out
            if text_before.strip() and not text_before.endswith(("\n\n", "\r\n\r\n")):
                out += eol
            comment = comments.get(key)
            if comment is not None:
                out += comment + eol
            out += "".join(line + eol for line in _block_lines({key: value}, indent, parsed.unit))
        return out

    def _null_key(self, node: MapNode, tree: dict, numbers: list[int], ops: list[Op]) -> None:
        """``key:`` (or ``key: null``) with nothing under it gets the value or the block of new keys."""
        parsed = self.parsed
        if not numbers or node.flow:
            return
        key_text = ops[numbers[0]].path[0]
        key_node, value = node.key(key_text), node.get(key_text)
        assert key_node is not None and isinstance(value, ScalarNode)
        key_end = parsed.end(key_node)
        colon = _COLON.match(parsed.text, key_end)
        if colon is None or parsed.line_end(key_end) < colon.end():
            return
        colon_end = colon.end()
        value_start, value_end = parsed.start(value), parsed.end(value)
        if value.raw and parsed.line_end(colon_end) < value_end:
            return
        if "" in tree:  # the key itself gets a value
            if len(tree) > 1:
                return
            if value.raw:
                self._emit(value_start, value_end, tree[""], numbers)
            else:
                self._emit(colon_end, colon_end, " " + tree[""], numbers)
            return
        offset = parsed.after_line(colon_end)
        indent = key_node.span.column - 1 + parsed.unit
        block = _lines_at(parsed, offset, _block_lines(tree, indent, parsed.unit))
        if value.raw:  # `key: null  # why` → `key:  # why` and the block below it, as one edit
            self._emit(colon_end, offset, parsed.text[value_end:offset] + block, numbers, indent)
        else:
            self._emit(offset, offset, block, numbers, indent)

    def _append(self, seq: SeqNode, items: list[str], numbers: list[int]) -> None:
        parsed = self.parsed
        if seq.flow:
            end = parsed.end(seq) - 1
            if end < 0 or parsed.text[end] != "]":
                return
            self._emit(end, end, (", " if seq.items else "") + ", ".join(items), numbers)
            return
        if not seq.items:
            return
        last = seq.items[-1]
        line_start = parsed.offset(last.span.line, 1)
        dash = parsed.text.rfind("-", line_start, parsed.start(last))
        if dash < 0:
            return
        offset = _block_end(parsed, seq)
        indent = dash - line_start
        self._emit(offset, offset, _lines_at(parsed, offset, [f"{' ' * indent}- {i}" for i in items]), numbers,
                   indent)

    def _remove(self, seq: SeqNode, indexes: dict[int, int]) -> None:
        """A block item loses its whole line (its own trailing comment with it); a flow item loses itself
        and one separating comma. Removing every item leaves ``[]`` (never null: a values schema may
        require a list), keeping any comment on the key's line."""
        parsed, items = self.parsed, seq.items
        if seq.flow:
            kept = [i for i in range(len(items)) if i not in indexes]
            if not kept:
                self._emit(parsed.start(items[0]), parsed.end(items[-1]), "", list(indexes.values()))
                return
            trailing = [i for i in indexes if i > kept[-1]]
            for i in sorted(indexes):
                if i < kept[-1]:
                    self._emit(parsed.start(items[i]), parsed.start(items[i + 1]), "", [indexes[i]])
            if trailing:
                self._emit(parsed.end(items[kept[-1]]), parsed.end(items[-1]), "", [indexes[i] for i in trailing])
            return
        lines: dict[int, tuple[int, int]] = {}
        for i in sorted(indexes):
            item = items[i]
            start, end = parsed.start(item), parsed.end(item)
            line_start = parsed.offset(item.span.line, 1)
            if not re.fullmatch(r"[ \t]*-[ \t]+", parsed.text[line_start:start]):
                continue  # e.g. `- - x` or an item sharing its line: not removed by line
            line_end = parsed.after_line(end) if parsed.line_end(end) < len(parsed.text) else len(parsed.text)
            rest = parsed.text[end:line_end].strip()
            if rest and not rest.startswith("#"):
                continue
            lines[i] = (line_start, line_end)
        if len(lines) < len(items):
            for i, (start, end) in lines.items():
                self._emit(start, end, "", [indexes[i]])
            return
        # Every item goes: `key:  # comment` + the item lines → `key: []  # comment` (the lines between stay).
        parent_key = self._key_of(seq)
        if parent_key is None:
            return
        colon = _COLON.match(parsed.text, parsed.end(parent_key))
        if colon is None:
            return
        first_start, first_end = lines[0]
        self._emit(colon.end() - 1, first_end, ": []" + parsed.text[colon.end():first_start], [indexes[0]])
        for i in sorted(lines)[1:]:
            self._emit(*lines[i], "", [indexes[i]])

    def _key_of(self, seq: SeqNode) -> ScalarNode | None:
        for doc in self.parsed.loaded.documents:
            stack = [doc.root]
            while stack:
                node = stack.pop()
                if isinstance(node, MapNode):
                    for key, value in node.entries:
                        if value is seq:
                            return key
                        stack.append(value)
                elif isinstance(node, SeqNode):
                    stack.extend(node.items)
        return None


def _without_overlaps(edits: list[_Edit]) -> list[_Edit]:
    """Edits in order; one that overlaps an earlier one is dropped (its operations are not carried out)."""
    kept: list[_Edit] = []
    reach = -1
    for item in sorted(edits, key=lambda e: (e.edit.start, e.edit.end, e.rank)):
        if item.edit.start < reach:
            continue
        kept.append(item)
        reach = max(reach, item.edit.end)
    return kept


# --- verification --------------------------------------------------------------


def _plain(node: Node | None, memo: dict[int, object]) -> object:
    """A node as data (aliases shared, merges applied), for comparing what two texts mean."""
    if node is None:
        return ("scalar", "NoneType", "None")
    found = memo.get(id(node))
    if found is not None:
        return found
    if isinstance(node, ScalarNode):
        out: object = ("scalar", type(node.value).__name__, repr(node.value))
        memo[id(node)] = out
        return out
    if isinstance(node, SeqNode):
        items: list = []
        memo[id(node)] = items
        items.extend(_plain(item, memo) for item in node.items)
        return items
    mapping: dict = {}
    memo[id(node)] = mapping
    for key, value in node.entries:
        mapping[key.value] = _plain(value, memo)
    return mapping


@lru_cache(maxsize=256)
def _value_plain(value: str) -> object:
    loaded = load(value)
    return _plain(loaded.documents[0].root if loaded.documents else None, {})


def _expected(parsed: Parsed, ops: list[Op]) -> list:
    memo: dict[int, object] = {}
    documents = [_plain(doc.root, memo) for doc in parsed.loaded.documents]
    removals: dict[int, list[int]] = {}
    appended: set[tuple[int, str]] = set()
    for op in ops:
        if isinstance(op, _Remove):
            removals.setdefault(id(op.node), []).append(op.index)
            continue
        if isinstance(op, _Append):
            if (id(op.node), op.item) in appended:
                continue  # asked twice (two containers, one pod's volumes): added once
            appended.add((id(op.node), op.item))
            target = memo[id(op.node)]
            assert isinstance(target, list)
            target.append(copy.deepcopy(_value_plain(op.item)))
            continue
        if op.node is None:
            if not documents:
                documents.append(("scalar", "NoneType", "None"))
            if not isinstance(documents[0], dict):
                documents[0] = {}
            obj = documents[0]
        else:
            obj = memo[id(op.node)]
        for key in op.path[:-1]:
            child = obj.get(key)
            if not isinstance(child, dict):
                child = obj[key] = {}
            obj = child
        obj[op.path[-1]] = copy.deepcopy(_value_plain(op.value))
    for seq_id, indexes in removals.items():
        target = memo[seq_id]
        for index in sorted(set(indexes), reverse=True):
            del target[index]
    return documents


def _counts(loaded: LoadResult) -> tuple[int, int, list]:
    problems = loaded.problems + [p for d in loaded.documents for p in d.problems]
    return (sum(p.rule == "HL001" for p in problems), sum(p.rule == "HL004" for p in problems), problems)


def verify(parsed: Parsed, ops: list[Op], fixed: str) -> str | None:
    """Why the fixed text is not the original with ``ops`` applied (None: it is exactly that)."""
    after = load(fixed)
    syntax, duplicates, _ = _counts(parsed.loaded)
    new_syntax, new_duplicates, problems = _counts(after)
    if new_syntax > syntax:
        problem = next(p for p in problems if p.rule == "HL001")
        return f"the fixed text would not parse ({problem.message}, at line {problem.span.line})"
    if new_duplicates > duplicates:
        problem = next(p for p in reversed(problems) if p.rule == "HL004")
        return f"the fixed text would have a {problem.message.split(' (')[0]} at line {problem.span.line}"
    if len(after.documents) != len(parsed.loaded.documents) and parsed.loaded.documents:
        return "the fixed text would have a different number of YAML documents"
    actual = [_plain(doc.root, {}) for doc in after.documents]
    expected = _expected(parsed, ops)
    if actual != expected:
        where = _difference(expected, actual, "")
        return (f"the fixed text would read differently from the planned changes: {where or 'a value'} would"
                " change too (e.g. through a << merge of an edited mapping)")
    return None


def _difference(expected: object, actual: object, path: str) -> str | None:
    """The first key path where two plain values differ (documents are numbered)."""
    if isinstance(expected, list) and isinstance(actual, list) and len(expected) == len(actual):
        for index, (a, b) in enumerate(zip(expected, actual)):
            if a != b:
                return _difference(a, b, f"{path}[{index}]" if path else f"document {index + 1}:")
    if isinstance(expected, dict) and isinstance(actual, dict):
        for key in list(expected) + [k for k in actual if k not in expected]:
            if expected.get(key) != actual.get(key):
                return _difference(expected.get(key), actual.get(key), f"{path} {key}" if path.endswith(":")
                                   else f"{path}.{key}")
    return path or None


# --- planning a file ------------------------------------------------------------


@record(frozen=True)
class FilePlan:
    """The fixes of one text, planned from one parse.

    ``fixed`` is the text with every fix (the text itself when nothing
    applies or the plan failed verification); ``applied`` the rule ids, one
    per fixed diagnostic; ``edits`` the text edits; ``error`` why no fix is
    made (with ``error_line``, 1-based), or None.
    """

    text: str
    fixed: str
    applied: tuple[str, ...]
    edits: tuple[TextEdit, ...] = ()
    error: str | None = None
    error_line: int = 1


def _specs_for(diagnostic: "Diagnostic", specs: dict[str, "FixSpec"]) -> "FixSpec | None":
    spec = specs.get(diagnostic.rule_id)
    return spec if spec is not None and spec.applies(diagnostic) else None


def _manifest_ops(parsed: Parsed, diagnostic: "Diagnostic", spec: "FixSpec") -> list[Op]:
    ops: list[Op] = []
    for edit in spec.edits:
        if edit.relative_to == "values":
            continue  # a values-file edit
        if edit.relative_to == "object":
            obj = _diagnostic_object(parsed, diagnostic)
            op = resolve_set(obj, edit.path.split("."), edit.value, edit.list_item) if obj is not None else None
            if op is not None:
                ops.append(op)
            continue
        target = target_mapping(parsed, diagnostic)
        if target is None:
            break
        mapping, path = target
        if edit.relative_to == "container":
            full = edit.path.split(".")
        else:
            full = path[:-1] + (edit.path.split(".") if edit.path else [path[-1]]) if path else []
        if edit.remove_item is not None:
            ops.extend(resolve_removals(mapping, full, edit.remove_item))
            continue
        op = resolve_set(mapping, full, edit.value, edit.list_item) if full else None
        if op is not None:
            ops.append(op)
    if spec.tmp_volume and ops:
        ops.extend(_tmp_volume_ops(parsed, diagnostic))
    return ops


def plan_file(text: str, diagnostics: Iterable["Diagnostic"], specs: dict[str, "FixSpec"], values_file: bool,
              values: "ValuesContext | None" = None) -> FilePlan:
    """Plan every applicable fix of ``text`` (a file's text or standard input's) from one parse, and verify it.

    Never raises for the text's content: a plan that would not give back
    the original with exactly the planned changes has ``error`` set and
    ``fixed == text``.
    """
    parsed = Parsed(text)
    diagnostics = list(diagnostics)
    ops: list[Op] = []
    owners: list[int] = []  # the diagnostic of each operation
    for number, diagnostic in enumerate(diagnostics):
        spec = _specs_for(diagnostic, specs)
        if spec is None:
            continue
        found = _values_ops(parsed, diagnostic, spec, values or ValuesContext()) if values_file \
            else _manifest_ops(parsed, diagnostic, spec)
        ops.extend(found)
        owners.extend([number] * len(found))
    if not ops:
        return FilePlan(text, text, ())
    if "\r" in text and "\n" not in text.rstrip("\r"):
        return FilePlan(text, text, (), error="the file ends its lines with CR only (classic Mac OS), which git and"
                        " grep read as one line; headlamp-lint fixes files with LF or CRLF line ends; not fixed")
    edits = _without_overlaps(_Renderer(parsed, values_file).render(ops))
    done = sorted({n for e in edits for n in e.ops})
    fixed = apply_all(text, _text_edits(parsed, edits))
    if fixed == text:
        return FilePlan(text, text, ())
    first_line = parsed.lines.position(min(e.edit.start for e in edits))[0]
    problem = verify(parsed, [ops[n] for n in done], fixed)
    if problem is not None:
        hint = ""
        match = YAML_ONLY_BREAK.search(text)
        if match is not None:
            line = parsed.lines.position(match.start())[0]
            hint = (f"; the file has a line break YAML counts and git does not ({_char_name(match.group())}"
                    f" at line {line})")
        return FilePlan(text, text, (), error=f"fixes not applied: {problem}{hint}; the file is left as it was",
                        error_line=first_line)
    applied = sorted({owners[n] for n in done})
    return FilePlan(text, fixed, tuple(diagnostics[n].rule_id for n in applied), tuple(_text_edits(parsed, edits)))


def _char_name(char: str) -> str:
    return {"\x85": "NEL U+0085", "\u2028": "U+2028", "\u2029": "U+2029"}.get(char, "a lone CR")


def fix_text(text: str, diagnostics: Iterable["Diagnostic"], specs: dict[str, "FixSpec"], values_file: bool,
             values: "ValuesContext | None" = None) -> tuple[str, tuple[str, ...]]:
    """Every applicable fix applied to ``text``: (the fixed text, the rule ids applied); see ``plan_file``."""
    plan = plan_file(text, diagnostics, specs, values_file, values)
    return plan.fixed, plan.applied


# --- values files -------------------------------------------------------------

# A container finding's key is "<role>s[<name>]." + the values key (see rules/_containers.finding).
_CONTAINER_PREFIX = re.compile(r"^(?:containers|initContainers|ephemeralContainers)\[[^\]]*\]\.")
# Top-level values keys whose settings land on the Headlamp container (or its pod) only.
_HEADLAMP_VALUES_KEYS = frozenset({"securityContext", "podSecurityContext", "image"})
# From this chart version on the chart mounts an emptyDir at /tmp when the root filesystem is read-only.
CHART_TMP_VOLUME = "0.42.0"


@record(frozen=True)
class ValuesContext:
    """What the fixer must know about a values file beyond its text."""

    prefix: tuple[str, ...] = ()  # umbrella chart: the key (alias) holding Headlamp's values
    chart_version: str | None = None  # the chart version the file was linted against
    # Values embedded in another object (linter.gitops.fixes): ``route`` is the key prefix the findings carry
    # (spec.values…); ``locate`` finds the mapping holding the values in the parsed text and the keys still
    # to add above it (None: not editable). Without ``locate`` the text is edited as a whole values file.
    route: tuple[str, ...] = ()
    locate: "Callable[[Parsed], tuple[MapNode, list[str]] | None] | None" = None


def values_key(diagnostic: "Diagnostic", ctx: ValuesContext, strip_index: bool = False) -> list[str] | None:
    """The values key a diagnostic blames, below the Headlamp prefix; None when it is not one we can edit.

    The model reports values findings with the values key (a chart default:
    the key to set). Keys into lists (``extraContainers[0]…``) and keys
    outside the Headlamp prefix of an umbrella chart are never edited.
    """
    key = _CONTAINER_PREFIX.sub("", diagnostic.key, count=1)
    if strip_index:
        key = re.sub(r"\[[^\]]*\]$", "", key)  # `config.extraArgs[2]`: the list holding the blamed item
    parts = key.split(".") if key else []
    above = list(ctx.route) + list(ctx.prefix)
    if not parts or parts[: len(above)] != above:
        return None
    rest = parts[len(above):]
    if not rest or any("[" in p or not p for p in rest):
        return None
    if rest[0] not in _chart_top_level_keys(ctx.chart_version):
        return None  # a rendered object's field path (e.g. spec.…), not a values key: no guessing where it goes
    return rest


@lru_cache(maxsize=None)
def _chart_top_level_keys(version: str | None) -> frozenset[str]:
    from linter.values import chart

    root = load(chart.defaults_text(version or chart.newest().version)).documents[0].root
    return frozenset(k.text for k, _ in root.entries) if isinstance(root, MapNode) else frozenset()


def _values_root(parsed: Parsed) -> tuple[bool, MapNode | None]:
    """(editable, root): a values file Helm would read differently (or not at all) is never guessed at."""
    loaded = parsed.loaded
    if loaded.problems or any(d.problems for d in loaded.documents) or len(loaded.documents) > 1:
        return False, None
    root = loaded.documents[0].root if loaded.documents else None
    if root is None or (isinstance(root, ScalarNode) and root.value is None and not root.raw):
        return True, None  # an empty (or comment-only) values file
    return isinstance(root, MapNode), root if isinstance(root, MapNode) else None


def _values_ops(parsed: Parsed, diagnostic: "Diagnostic", spec: "FixSpec", ctx: ValuesContext) -> list[Op]:
    """One rule's fix for a values file: edit the key the user wrote, or add the smallest override.

    Helm merges maps key by key, so adding ``allowPrivilegeEscalation`` under
    ``securityContext`` keeps the chart's other defaults there.
    """
    from linter.values.chart import version_key

    key = values_key(diagnostic, ctx, strip_index=any(e.remove_item is not None for e in spec.edits))
    if key is None and not any(e.relative_to == "values" for e in spec.edits):
        return []
    if spec.headlamp_only and (key is None or key[0] not in _HEADLAMP_VALUES_KEYS):
        return []  # e.g. a sidecar from extraContainers: its image's user is not Headlamp's
    if spec.tmp_volume and (ctx.chart_version is None or version_key(ctx.chart_version) < version_key(CHART_TMP_VOLUME)):
        return []  # older charts mount nothing at /tmp: a read-only root filesystem could break Headlamp
    located = ctx.locate(parsed) if ctx.locate is not None else None
    if ctx.locate is not None and located is None:
        return []
    editable, root = (True, located[0]) if located is not None else _values_root(parsed)
    if not editable:
        return []
    # A new top-level block of a values file names the rule that added it (not inside another object).
    comment = None if located is not None else (
        f"# {diagnostic.rule_id} ({diagnostic.rule_name}): added by headlamp-lint --fix")
    ops: list[Op] = []
    for edit in spec.edits:
        if edit.relative_to == "object":
            continue  # a manifest edit
        if edit.relative_to == "container" and edit.path.split(".")[0] not in _HEADLAMP_VALUES_KEYS:
            continue  # e.g. a manifest's `args`: in values the container's settings live under other keys
        if edit.relative_to in ("container", "values"):
            path = edit.path.split(".")
        elif key is None:
            continue
        else:
            path = key[:-1] + (edit.path.split(".") if edit.path else [key[-1]])
        full = (located[1] if located is not None else []) + list(ctx.prefix) + path
        if edit.remove_item is not None:
            if root is not None:
                ops.extend(resolve_removals(root, full, edit.remove_item))
            continue
        if root is None:
            ops.append(_Set(None, tuple(full), edit.value, comment))
            continue
        op = resolve_set(root, full, edit.value, edit.list_item, None if root.flow else comment, helm=True)
        if op is not None:
            ops.append(op)
    return ops


def _tmp_volume_ops(parsed: Parsed, diagnostic: "Diagnostic") -> list[Op]:
    """Mount an emptyDir at /tmp in the container unless something is mounted there already."""
    target = target_mapping(parsed, diagnostic)
    if target is None or diagnostic.obj is None:
        return []
    container, _ = target
    mounts = container.get("volumeMounts")
    if isinstance(mounts, SeqNode):
        for mount in mounts.items:
            path = mount.get("mountPath") if isinstance(mount, MapNode) else None
            if isinstance(path, ScalarNode) and path.text.rstrip("/") == "/tmp":
                return []
    mount_item = f"{{name: {TMP_VOLUME}, mountPath: /tmp}}"
    mount = resolve_set(container, ["volumeMounts"], f"[{mount_item}]", mount_item)
    if mount is None:
        return []
    ops: list[Op] = [mount]
    obj = _diagnostic_object(parsed, diagnostic)
    spec = _pod_spec(obj, diagnostic.obj.kind) if obj is not None else None
    if spec is not None:
        volumes = spec.get("volumes")
        exists = isinstance(volumes, SeqNode) and any(
            isinstance(v, MapNode) and isinstance(v.get("name"), ScalarNode) and v.get("name").text == TMP_VOLUME
            for v in volumes.items
        )
        if not exists:
            item = f"{{name: {TMP_VOLUME}, emptyDir: {{}}}}"
            volume = resolve_set(spec, ["volumes"], f"[{item}]", item)
            if volume is not None:
                ops.append(volume)
    return ops


# --- the files of a run ---------------------------------------------------------


class ConcurrentModification(LintError):
    """The file changed on disk after it was linted: no fix is written."""


@record(frozen=True)
class FileFix:
    """One file's planned fixes: ``original`` and ``fixed`` are its text exactly as on disk (line ends
    kept, without the byte order mark, which ``bom`` holds); ``error`` (located at ``error_line``) says why
    the file is not fixed, and then ``fixed == original``."""

    display: str
    path: Path | None  # None for standard input (plan_stdin): printed, never written
    original: str
    fixed: str
    applied: tuple[str, ...]  # rule ids, one per applied fix
    bom: str = ""
    digest: str = ""  # of the bytes the plan was made from
    error: str | None = None
    error_line: int = 1

    def diff(self) -> str:
        name = self.display.lstrip("/")
        return unified_diff(self.bom + self.original, self.bom + self.fixed, f"a/{name}", f"b/{name}")

    def data(self) -> bytes:
        return (self.bom + self.fixed).encode("utf-8")

    def message(self) -> str:
        return f"{self.display}:{self.error_line}: {self.error}"


def _exact_text(data: bytes) -> tuple[str, str] | str:
    """(text as on disk, BOM) for UTF-8, or why the file is not fixed."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return ("the file is UTF-16: headlamp-lint fixes only UTF-8 files (a diff of a UTF-16 file cannot be"
                " applied by patch); convert it to UTF-8 to fix it")
    bom = "\ufeff" if data.startswith(b"\xef\xbb\xbf") else ""
    try:
        return data[len(bom.encode()):].decode("utf-8"), bom
    except UnicodeDecodeError as exc:
        return f"invalid UTF-8 at byte {exc.start}; not fixed"


def plan_fixes(result, specs: dict[str, "FixSpec"]) -> list[FileFix]:
    """The fixes for every file of a run with a fixable diagnostic (``specs``: the fixes allowed).

    Each file read with a digest (``Settings.digests``, as ``--fix`` and
    ``--diff`` read them) is planned from its bytes on disk as they are now
    (line ends and BOM kept exactly), checked against that digest; any other
    source (an editor's buffer) from its text as linted.
    Files with nothing to change are left out; files that cannot be fixed
    safely are included with ``error`` set.
    """
    by_file: dict[str, list] = {}
    for diagnostic in result.diagnostics:
        if diagnostic.rule_id in specs:
            by_file.setdefault(diagnostic.path, []).append(diagnostic)
    out = []
    for display, diagnostics in sorted(by_file.items()):
        source = result.sources.get(display)
        if source is None or source.path is None:
            continue  # stdin (fixed through plan_file by the command line), or a file outside the run
        fix = _plan_source(source, diagnostics, specs, result)
        if fix is not None:
            out.append(fix)
    return out


def plan_stdin(result, specs: dict[str, "FixSpec"]) -> FileFix | None:
    """Standard input's fixes, planned on its text as read (LF line ends): a FileFix without a path,
    which the command line prints and never writes. None when there is nothing to change."""
    source = next((s for s in result.sources.values() if s.path is None), None)
    if source is None:
        return None
    diagnostics = [d for d in result.diagnostics if d.path == source.display and d.rule_id in specs]
    values_file = source.display in result.values_files
    values = ValuesContext((), result.chart_versions.get(source.display)) if values_file else None
    plan = plan_file(source.text, diagnostics, specs, values_file, values)
    if plan.error is None and plan.fixed == source.text:
        return None
    return FileFix(source.display, None, source.text, plan.fixed, plan.applied, error=plan.error,
                   error_line=plan.error_line)


def _plan_source(source, diagnostics: list, specs: dict[str, "FixSpec"], result) -> FileFix | None:
    path: Path = source.path
    values_file = source.display in result.values_files
    values = _values_context(source, result) if values_file else None
    if not source.digest:
        # Not read from disk with a digest (an editor's unsaved buffer): planned on the text as linted.
        plan = _plan_text(source.text, diagnostics, specs, values_file, values, result, source.display)
        if plan.error is None and plan.fixed == source.text:
            return None
        return FileFix(source.display, path, source.text, plan.fixed, plan.applied, error=plan.error,
                       error_line=plan.error_line)
    try:
        with open(path, "rb") as handle:
            data = handle.read(len(source.text.encode("utf-8", "surrogatepass")) * 2 + 1024)
    except OSError as exc:
        return FileFix(source.display, path, "", "", (), error=f"cannot read to fix: {exc.strerror or exc}")
    current = digest(data)
    if source.digest and current != source.digest:
        return FileFix(source.display, path, "", "", (), digest=current,
                       error="changed on disk since it was linted; fix not written")
    exact = _exact_text(data)
    if isinstance(exact, str):
        return FileFix(source.display, path, "", "", (), digest=current, error=exact)
    text, bom = exact
    plan = _plan_text(text, diagnostics, specs, values_file, values, result, source.display)
    if plan.error is not None:
        return FileFix(source.display, path, text, text, (), bom, current, plan.error, plan.error_line)
    if plan.fixed == text:
        return None
    return FileFix(source.display, path, text, plan.fixed, plan.applied, bom, current)


def _plan_text(text: str, diagnostics: list, specs: dict[str, "FixSpec"], values_file: bool,
               values: ValuesContext | None, result, display: str) -> FilePlan:
    """``plan_file``, after the fixes of the values embedded in the file's Flux/Argo CD/kustomize objects."""
    embedded = getattr(result, "embedded_values", {}).get(display)
    if not embedded or values_file:
        return plan_file(text, diagnostics, specs, values_file, values)
    from linter.gitops.fixes import fix_embedded

    fixed, applied, rest = fix_embedded(text, diagnostics, specs, embedded)
    plan = plan_file(fixed, rest, specs, values_file, values)
    if plan.error is not None:
        return FilePlan(text, text, (), error=plan.error, error_line=plan.error_line)
    return FilePlan(text, plan.fixed, applied + plan.applied)


def _values_context(source, result) -> ValuesContext:
    from linter.values.detect import chart_context

    ctx = chart_context(source.path, source.display)
    prefix = (ctx.subchart_key,) if ctx.subchart_key else ()
    return ValuesContext(prefix, result.chart_versions.get(source.display))


def fix_specs(unsafe: bool = True) -> dict[str, "FixSpec"]:
    """Every rule's fix spec (see ``linter.rules.fix_specs``, which the reporters use without this module)."""
    from linter.rules import fix_specs as specs

    return specs(unsafe)


# --- SARIF fixes: one diagnostic's own edit --------------------------------------


@record(frozen=True)
class Replacement:
    """One diagnostic's fix as a region of the original file and the text to put there (SARIF ``replacements``).

    Lines and columns are 1-based, the end exclusive; whole lines are
    replaced (an insertion is an empty region at the start of a line), so
    review tools show a readable suggestion.
    """

    start_line: int
    start_column: int
    end_line: int
    end_column: int
    text: str


def _replacements(parsed: Parsed, edits: list[TextEdit], newline: str) -> tuple[Replacement, ...]:
    text, lines = parsed.text, parsed.lines
    regions: list[tuple[int, int, list[TextEdit]]] = []
    for edit in sorted(edits, key=lambda e: (e.start, e.end)):
        start = lines.offset(lines.position(edit.start)[0], 1)
        at_line_start = edit.end == 0 or text[edit.end - 1] == "\n"
        end = edit.end if at_line_start and (edit.end > edit.start or edit.start == start) \
            else parsed.after_line(edit.end)
        if regions and start <= regions[-1][1]:  # touching regions are one (insertions at one point keep their order)
            regions[-1] = (regions[-1][0], max(end, regions[-1][1]), regions[-1][2] + [edit])
        else:
            regions.append((start, end, [edit]))
    out = []
    for start, end, group in regions:
        body = apply_all(text[start:end], [TextEdit(e.start - start, e.end - start, e.replacement) for e in group])
        first, end_position = lines.position(start), lines.position(end)
        out.append(Replacement(first[0], 1, end_position[0], end_position[1], body.replace("\n", newline)))
    return tuple(out)


def diagnostic_fixes(result, specs: dict[str, "FixSpec"]) -> dict[int, tuple[Replacement, ...]]:
    """Each fixable diagnostic's own fix, keyed by ``id(diagnostic)``, every file planned from one parse.

    A file whose combined plan fails verification offers no fixes at all."""
    by_file: dict[str, list] = {}
    for diagnostic in result.diagnostics:
        if diagnostic.rule_id in specs:
            by_file.setdefault(diagnostic.path, []).append(diagnostic)
    out: dict[int, tuple[Replacement, ...]] = {}
    for display, diagnostics in by_file.items():
        source = result.sources.get(display)
        if source is None:
            continue
        values_file = display in result.values_files
        values = (_values_context(source, result) if source.path is not None else ValuesContext()) \
            if values_file else None
        newline = "\r\n" if source.crlf else "\n"
        embedded = getattr(result, "embedded_values", {}).get(display)
        if embedded and not values_file:
            from linter.gitops.fixes import embedded_replacements

            done = embedded_replacements(source.text, diagnostics, specs, embedded, newline)
            out.update(done)
            diagnostics = [d for d in diagnostics if id(d) not in done]
        for diagnostic, replacements in zip(diagnostics, _each(source.text, diagnostics, specs, values_file, values,
                                                               newline)):
            if replacements:
                out[id(diagnostic)] = replacements
    return out


def _each(text: str, diagnostics: list, specs: dict[str, "FixSpec"], values_file: bool,
          values: ValuesContext | None, newline: str) -> list[tuple[Replacement, ...]]:
    parsed = Parsed(text)
    ctx = values or ValuesContext()
    per: list[list[Op]] = []
    for diagnostic in diagnostics:
        spec = _specs_for(diagnostic, specs)
        per.append([] if spec is None else
                   _values_ops(parsed, diagnostic, spec, ctx) if values_file else _manifest_ops(parsed, diagnostic, spec))
    every = [op for ops in per for op in ops]
    if not every:
        return [() for _ in diagnostics]
    combined = _without_overlaps(_Renderer(parsed, values_file).render(every))
    fixed = apply_all(text, _text_edits(parsed, combined))
    if fixed == text or verify(parsed, [every[n] for n in sorted({n for e in combined for n in e.ops})], fixed):
        return [() for _ in diagnostics]
    out = []
    for ops in per:
        edits = _text_edits(parsed, _without_overlaps(_Renderer(parsed, values_file).render(ops))) if ops else []
        out.append(_replacements(parsed, edits, newline) if edits else ())
    return out


def diagnostic_fix(result, diagnostic: "Diagnostic", spec: "FixSpec") -> tuple[Replacement, ...]:
    """The edits ``spec`` makes for this one diagnostic against the file as linted (none: it changes nothing)."""
    return diagnostic_fixes(_OneResult(result, diagnostic), {diagnostic.rule_id: spec}).get(id(diagnostic), ())


@record(frozen=True)
class _OneResult:
    """A run's result seen with one diagnostic only."""

    result: object
    diagnostic: "Diagnostic"

    @property
    def diagnostics(self) -> list:
        return [self.diagnostic]

    def __getattr__(self, name: str):
        return getattr(self.result, name)


# --- writing ------------------------------------------------------------------


def _roots(paths: list[Path]) -> list[Path]:
    """Where fixes may write: each path given, its folders resolved but not a link it is itself (a link
    named on the command line does not bring its target in), and a folder also as the folder it leads to."""
    out = []
    for path in paths:
        absolute = Path(os.path.abspath(path))
        out.append(Path(os.path.realpath(absolute.parent)) / absolute.name)
        if absolute.is_dir():
            out.append(Path(os.path.realpath(absolute)))
    return out


def _inside(path: Path, roots: list[Path]) -> bool:
    return any(path == root or root in path.parents for root in roots)


def write_in_place(fix: FileFix, roots: list[Path] | None = None) -> None:
    """Write ``fix`` into its file, in place: the same inode keeps its owner, mode, hard links, ACLs and
    extended attributes (a rename would replace them). Raises ``LintError`` (its message located) when
    the file is not written: it changed since it was planned, is read-only, is not a regular file, or
    is a symbolic link whose target lies outside ``roots`` (the linted paths). A failed write restores
    the original bytes."""
    path = fix.path
    try:
        if os.path.islink(path):
            real = Path(os.path.realpath(path))
            if roots is None or not _inside(real, roots):
                raise LintError(f"{fix.display}: a symbolic link to {real}, outside the linted paths; not fixed")
            path = real
        info = os.stat(path, follow_symlinks=False)
        if not stat.S_ISREG(info.st_mode):
            raise LintError(f"{fix.display}: not a regular file; not fixed")
        if not info.st_mode & 0o222:
            raise LintError(f"{fix.display}: the file is read-only; not fixed")
        fd = os.open(path, os.O_RDWR | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_CLOEXEC", 0))
    except LintError:
        raise
    except OSError as exc:
        raise LintError(f"{fix.display}: cannot open for writing ({exc.strerror or exc}); not fixed") from None
    try:
        size = os.fstat(fd).st_size
        current = _read_all(fd, size)
        if not fix.digest or digest(current) != fix.digest:  # a plan not made from these bytes is never written
            raise ConcurrentModification(f"{fix.display}: changed on disk since it was linted; fix not written")
        data = fix.data()
        if len(data) > size and hasattr(os, "posix_fallocate"):
            try:
                os.posix_fallocate(fd, 0, len(data))  # ENOSPC here leaves the file as it was
            except OSError as exc:
                if exc.errno not in (errno.EOPNOTSUPP, errno.EINVAL, errno.ENOSYS):
                    raise LintError(f"{fix.display}: cannot write ({exc.strerror}); not fixed") from None
        try:
            _write_all(fd, data)
            os.ftruncate(fd, len(data))
            os.fsync(fd)
        except OSError as exc:
            try:
                _write_all(fd, current)
                os.ftruncate(fd, len(current))
            except OSError:
                raise LintError(f"{fix.display}: writing failed ({exc.strerror}) and the original could not be"
                                " restored") from None
            raise LintError(f"{fix.display}: cannot write ({exc.strerror}); the file is as it was") from None
    finally:
        os.close(fd)


def _read_all(fd: int, size: int) -> bytes:
    chunks, offset = [], 0
    while True:
        chunk = os.pread(fd, max(size - offset, 0) + 65536, offset)
        if not chunk:
            return b"".join(chunks)
        chunks.append(chunk)
        offset += len(chunk)


def _write_all(fd: int, data: bytes) -> None:
    offset = 0
    while offset < len(data):
        offset += os.pwrite(fd, data[offset:], offset)


def write_all(fixes: list[FileFix], roots: list[Path] | None = None) -> tuple[list[FileFix], list[str]]:
    """Write every fix that has no error: (the fixes written, the errors). One file that cannot be
    written is one error; the others are still written. A file reached twice (a hard link, a symbolic
    link to a linted file) is written once."""
    written, errors = [], []
    seen: dict[tuple[int, int], str] = {}
    resolved = _roots(roots) if roots is not None else None
    for fix in fixes:
        if fix.error is not None:
            errors.append(fix.message())
            continue
        try:
            info = os.stat(fix.path)
            identity = (info.st_dev, info.st_ino)
            if identity in seen:
                continue  # the same file under another name: fixed once, under the first
            write_in_place(fix, resolved)
            seen[identity] = fix.display
            written.append(fix)
        except OSError as exc:
            errors.append(f"{fix.display}: cannot write ({exc.strerror or exc}); not fixed")
        except LintError as exc:
            errors.append(str(exc))
    return written, errors


def write_fixes(fixes: list[FileFix], result=None, roots: list[Path] | None = None) -> list[str]:
    """Write each fixed file; returns the errors (see ``write_all``)."""
    return write_all(fixes, roots)[1]
