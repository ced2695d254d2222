"""Positioned YAML: documents of nodes that know their exact line and column.

The event stream comes from ruamel.yaml's C parser (libyaml), with the
pure-Python parser as a fallback where the C extension is missing. This
module composes the events into its own small node types, iteratively (no
recursion, so deep nesting is a located error rather than a RecursionError),
and never constructs Python objects from tags: a ``!!python/...`` tag is
reported, not executed.

While composing it also enforces the limits that keep hostile input cheap:
aliases are shared, not expanded, and a document whose expanded size would
pass ``MAX_EXPANDED_NODES`` is rejected; nesting is limited to
``MAX_DEPTH``; a file stops being read after ``MAX_FILE_NODES`` nodes. Scalars resolve the way Kubernetes and Helm read YAML
(go-yaml v2, YAML 1.1: ``yes``/``on`` are booleans).
"""

from __future__ import annotations

import re
from typing import Iterator, Union

from linter.located import NodeSource, Span
from linter.records import field, record
from linter.source import YAML_ONLY_BREAK, LineIndex

MAX_DEPTH = 200
MAX_EXPANDED_NODES = 1_000_000
# Nodes composed from one file (aliases not counted: they are shared). Each
# costs ~400 bytes and some microseconds downstream; this keeps a dense file
# (``- a`` lines, ``[[[…``) in the memory bound. Real manifests run ~30 bytes
# a node: Argo CD's 2 MB install.yaml is 65,000 nodes.
MAX_FILE_NODES = 200_000

STANDARD_TAGS = frozenset(
    "tag:yaml.org,2002:" + name
    for name in ("str", "int", "float", "bool", "null", "map", "seq", "binary", "timestamp", "merge", "set", "omap")
)


@record(eq=False, slots=True)
class ScalarNode:
    value: "str | int | float | bool | None"
    span: Span
    raw: str
    tag: str | None = None
    quoted: bool = False
    source: NodeSource | None = None

    @property
    def text(self) -> str:
        """The scalar as a string, the way Kubernetes would read a string field."""
        if isinstance(self.value, str):
            return self.value
        return self.raw


@record(eq=False, slots=True)
class SeqNode:
    items: list["Node"]
    span: Span
    tag: str | None = None
    flow: bool = False
    source: NodeSource | None = None


@record(eq=False, slots=True)
class MapNode:
    """A mapping; ``entries`` keeps every key in order, ``index`` the last one by key."""

    entries: list[tuple[ScalarNode, "Node"]]
    span: Span
    tag: str | None = None
    flow: bool = False
    index: dict[object, tuple[ScalarNode, "Node"]] = field(default_factory=dict, repr=False)
    source: NodeSource | None = None

    def get(self, key: str) -> "Node | None":
        pair = self.index.get(key)
        return pair[1] if pair else None

    def key(self, key: str) -> "ScalarNode | None":
        pair = self.index.get(key)
        return pair[0] if pair else None

    def __contains__(self, key: object) -> bool:
        return key in self.index


Node = Union[ScalarNode, SeqNode, MapNode]


@record(frozen=True)
class YamlProblem:
    """A problem found while loading: ``rule`` is HL001 (syntax) or HL004 (duplicate key)."""

    rule: str
    message: str
    span: Span


@record
class Document:
    root: Node | None
    index: int
    span: Span
    problems: list[YamlProblem] = field(default_factory=list)


@record
class LoadResult:
    documents: list[Document]
    problems: list[YamlProblem]


# --- scalar resolution (YAML 1.1 as go-yaml v2 reads it) -------------------

_BOOL_TRUE = frozenset("y Y yes Yes YES true True TRUE on On ON".split())
_BOOL_FALSE = frozenset("n N no No NO false False FALSE off Off OFF".split())
_NULL = frozenset(("", "~", "null", "Null", "NULL"))
_INT = re.compile(r"[-+]?(0|[1-9][0-9_]*)$")
_INT_OTHER = re.compile(r"[-+]?(0b[01_]+|0x[0-9a-fA-F_]+|0o?[0-7_]+)$")
_FLOAT = re.compile(r"[-+]?(\.[0-9]+|[0-9][0-9_]*(\.[0-9_]*)?)([eE][-+]?[0-9]+)?$")
_SPECIAL_FLOAT = {".inf": float("inf"), "+.inf": float("inf"), "-.inf": float("-inf"), ".nan": float("nan")}


def resolve_plain(raw: str) -> "str | int | float | bool | None":
    if raw in _NULL:
        return None
    first = raw[0]
    if first in "yYnNtTfFoO":
        if raw in _BOOL_TRUE:
            return True
        if raw in _BOOL_FALSE:
            return False
        return raw
    if first in "0123456789-+.":
        if _INT.match(raw):
            try:
                return int(raw.replace("_", ""))
            except ValueError:
                # Over Python's int-from-string digit limit (a hostile 100k-digit
                # number): no Kubernetes field holds it, so it stays a string.
                return raw
        if _INT_OTHER.match(raw):
            text = raw.replace("_", "")
            sign = -1 if text.startswith("-") else 1
            text = text.lstrip("+-")
            if text.startswith(("0b", "0x", "0o")):
                return sign * int(text, 0)
            return sign * int(text, 8)
        if _FLOAT.match(raw):
            return float(raw.replace("_", ""))
        lowered = raw.lower()
        if lowered in _SPECIAL_FLOAT:
            return _SPECIAL_FLOAT[lowered]
    return raw


def _resolve_tagged(raw: str, tag: str) -> "str | int | float | bool | None":
    short = tag.rsplit(":", 1)[-1]
    if short == "str":
        return raw
    value = resolve_plain(raw)
    if short == "int" and isinstance(value, int) and not isinstance(value, bool):
        return value
    if short == "float" and isinstance(value, (int, float)) and not isinstance(value, bool):
        try:
            return float(value)
        except OverflowError:  # an integer too large for a float
            return raw
    if short == "bool" and isinstance(value, bool):
        return value
    if short == "null" and value is None:
        return None
    return raw


# --- the composer ----------------------------------------------------------


def _event_iter(text: str):
    """Parse events for ``text``: libyaml through ruamel.yaml.clib, or the pure-Python parser."""
    try:
        from _ruamel_yaml import CParser
    except ImportError:  # pragma: no cover - only without the C extension
        from ruamel.yaml import YAML

        yield from YAML(typ="safe", pure=True).parse(text)
        return
    from ruamel.yaml.events import StreamEndEvent

    # The C parser itself, not a YAML() instance: building one per file scans
    # for plugins and costs about a millisecond, as much as parsing a small file.
    parser = CParser(text)
    try:
        while True:
            event = parser.get_event()
            if event is None:
                return
            yield event
            if type(event) is StreamEndEvent:
                return
    finally:
        parser.dispose()


class _Frame:
    __slots__ = ("node", "anchor", "pending_key", "merges", "size", "seen", "end")

    def __init__(self, node: "MapNode | SeqNode", anchor: str | None):
        self.node = node
        # Registered when the collection ends, so a self-reference is an unknown alias.
        self.anchor = anchor
        self.pending_key: ScalarNode | None = None
        self.merges: list[tuple[ScalarNode, Node]] = []
        self.size = 1
        self.seen: dict[object, ScalarNode] = {}
        # Where the last item written inside the collection ends (an alias ends where the ``*name`` does,
        # not where its anchored node does).
        self.end: tuple[int, int] | None = None


def _hashable(value: object) -> object:
    # 1 and True are equal in Python but distinct keys in YAML.
    return (type(value).__name__, value)


_UNKNOWN_ALIAS = "!unknown-alias"
_DOCUMENT_MARKER = re.compile(r"^(?:---|\.\.\.)(?=[ \t\n]|$)", re.M)


class _Composer:
    def __init__(self, text: str):
        self.text = text
        self.documents: list[Document] = []
        self.problems: list[YamlProblem] = []
        # Where the segment being parsed starts in ``text``: parsing resumes
        # after a document that broke the depth limit (see _segment).
        self.base = 0
        self.line_offset = 0
        self.file_nodes = 0
        # Only where libyaml's lines differ from the project's: mapping every mark through it costs a bisect.
        self.lines = LineIndex(text) if YAML_ONLY_BREAK.search(text) else None

    def _pos(self, mark) -> tuple[int, int]:
        """libyaml's mark as the project's 1-based (line, column): lines end at LF only (see source._BREAK)."""
        if self.lines is None:
            return mark.line + 1 + self.line_offset, mark.column + 1
        return self.lines.position(self.base + mark.index)

    def _span(self, start, end) -> Span:
        if self.lines is not None:
            # The text has a break libyaml counts and git does not (NEL, U+2028, U+2029, lone CR):
            # positions come from the character offset, not libyaml's line and column.
            line, column = self.lines.position(self.base + start.index)
            end_line, end_column = self.lines.position(self.base + end.index)
            return Span(line, column, end_line, end_column)
        line = start.line + 1 + self.line_offset
        # Most spans are on one line: one int object for both lines (ints past 256 are not shared).
        end_line = line if end.line == start.line else end.line + 1 + self.line_offset
        return Span(line, start.column + 1, end_line, end.column + 1)

    def run(self) -> LoadResult:
        start: int | None = 0
        while start is not None:
            self.base = start
            self.line_offset = self.text.count("\n", 0, start)
            start = self._segment(self.text[start:] if start else self.text)
        return LoadResult(self.documents, self.problems)

    def _resume_point(self, mark) -> int | None:
        """The offset of the next document marker after ``mark``, or None.

        libyaml's scanner costs O(depth) per token inside deep flow
        collections, so the rest of a too-deep document is not even
        scanned (a 10 MiB ``[[[[…`` would take hours): parsing restarts at
        the next ``---``/``...`` line, and the documents after it are read.
        """
        match = _DOCUMENT_MARKER.search(self.text, self.base + mark.index + 1)
        if match is None:
            return None
        if match.group() == "---":
            return match.start()
        # After a document end marker (``...``) the next document starts on the next line.
        newline = self.text.find("\n", match.end())
        return newline + 1 if 0 <= newline < len(self.text) - 1 else None

    def _segment(self, text: str) -> int | None:
        """Compose the documents of ``text``; the offset to resume at, or None when done."""
        from ruamel.yaml import events as ev
        from ruamel.yaml.error import MarkedYAMLError, YAMLError

        self.ev = ev
        doc: Document | None = None
        stack: list[_Frame] = []
        anchors: dict[str, tuple[Node, int]] = {}
        doc_size = 0
        skip_depth = 0  # >0 while skipping the rest of a document that broke a limit
        try:
            for event in _event_iter(text):
                if isinstance(event, ev.DocumentStartEvent):
                    doc = Document(None, len(self.documents), self._span(event.start_mark, event.end_mark))
                    self.documents.append(doc)
                    stack, anchors, doc_size, skip_depth = [], {}, 0, 0
                    continue
                if isinstance(event, ev.DocumentEndEvent):
                    if doc is not None:
                        end_span = self._span(event.end_mark, event.end_mark)
                        doc.span = Span(doc.span.line, doc.span.column, end_span.line, end_span.column)
                    doc = None
                    continue
                if doc is None or isinstance(event, (ev.StreamStartEvent, ev.StreamEndEvent)):
                    continue
                if skip_depth:
                    if isinstance(event, (ev.MappingStartEvent, ev.SequenceStartEvent)):
                        skip_depth += 1
                    elif isinstance(event, (ev.MappingEndEvent, ev.SequenceEndEvent)):
                        skip_depth -= 1
                    continue

                if isinstance(event, ev.AliasEvent):
                    target = anchors.get(event.anchor)
                    if target is None:
                        self._problem(doc, "HL001", f"unknown alias *{event.anchor}", self._span(event.start_mark, event.end_mark))
                        # Tagged so a merge of it is not reported a second time.
                        node: Node = ScalarNode(
                            None, self._span(event.start_mark, event.end_mark), "*" + event.anchor, _UNKNOWN_ALIAS
                        )
                        size = 1
                    else:
                        node, size = target
                    if stack:
                        alias_end = self._span(event.start_mark, event.end_mark)
                        stack[-1].end = (alias_end.end_line, alias_end.end_column)
                    doc_size += size
                    if doc_size > MAX_EXPANDED_NODES:
                        self._problem(
                            doc,
                            "HL001",
                            f"excessive aliasing: the document would expand to over {MAX_EXPANDED_NODES} nodes"
                            " (alias bomb); not expanded",
                            self._span(event.start_mark, event.end_mark),
                        )
                        doc.root = None
                        skip_depth = len(stack)
                        stack = []
                        continue
                    self._attach(doc, stack, node, size, alias=True)
                    continue

                if isinstance(event, (ev.ScalarEvent, ev.MappingStartEvent, ev.SequenceStartEvent)):
                    self.file_nodes += 1
                    if self.file_nodes > MAX_FILE_NODES:
                        self._problem(
                            doc,
                            "HL001",
                            f"the file has over {MAX_FILE_NODES} YAML nodes; this document and the rest of the file"
                            " are not read (split the file)",
                            self._span(event.start_mark, event.end_mark),
                        )
                        doc.root = None
                        return None

                if isinstance(event, ev.ScalarEvent):
                    node = self._scalar(doc, event)
                    doc_size += 1
                    if event.anchor:
                        anchors[event.anchor] = (node, 1)
                    self._attach(doc, stack, node, 1)
                    continue

                if isinstance(event, (ev.MappingStartEvent, ev.SequenceStartEvent)):
                    if len(stack) >= MAX_DEPTH:
                        self._problem(
                            doc,
                            "HL001",
                            f"nesting deeper than {MAX_DEPTH} levels; the rest of this document is not read",
                            self._span(event.start_mark, event.end_mark),
                        )
                        doc.root = None
                        return self._resume_point(event.start_mark)
                    tag = self._check_tag(doc, event)
                    span = self._span(event.start_mark, event.end_mark)
                    flow = bool(event.flow_style)
                    container: MapNode | SeqNode
                    if isinstance(event, ev.MappingStartEvent):
                        container = MapNode([], span, tag, flow)
                    else:
                        container = SeqNode([], span, tag, flow)
                    stack.append(_Frame(container, event.anchor))
                    doc_size += 1
                    continue

                if isinstance(event, (ev.MappingEndEvent, ev.SequenceEndEvent)):
                    frame = stack.pop()
                    node = frame.node
                    end = self._span(event.start_mark, event.end_mark)
                    last_end = frame.end
                    if isinstance(node, MapNode):
                        self._apply_merges(doc, node, frame)
                    if node.flow or last_end is None:
                        node.span = Span(node.span.line, node.span.column, end.end_line, end.end_column)
                    else:
                        node.span = Span(node.span.line, node.span.column, last_end[0], last_end[1])
                    if frame.anchor:
                        anchors[frame.anchor] = (node, frame.size)
                    self._attach(doc, stack, node, frame.size)
                    continue
        except (MarkedYAMLError,) as exc:
            mark = exc.problem_mark or exc.context_mark
            line, col = self._pos(mark) if mark is not None else (1, 1)
            message = " ".join(str(part) for part in (exc.context, exc.problem) if part) or "invalid YAML"
            target = doc if doc is not None else None
            problem = YamlProblem("HL001", f"YAML syntax error: {message}", Span(line, col, line, col + 1))
            if target is not None:
                target.problems.append(problem)
                if stack:
                    target.root = None
            else:
                self.problems.append(problem)
        except YAMLError as exc:
            problem = YamlProblem("HL001", f"YAML error: {exc}", Span(1, 1, 1, 2))
            (doc.problems if doc is not None else self.problems).append(problem)
        return None

    # -- helpers

    def _problem(self, doc: Document, rule: str, message: str, span: Span) -> None:
        doc.problems.append(YamlProblem(rule, message, span))

    def _check_tag(self, doc: Document, event) -> str | None:
        tag = event.tag
        if tag and tag not in STANDARD_TAGS and tag != "!":
            shown = "!!" + tag[len("tag:yaml.org,2002:"):] if tag.startswith("tag:yaml.org,2002:") else tag
            self._problem(
                doc,
                "HL001",
                f"unsupported YAML tag {shown}; the value is read as plain data and never constructed",
                self._span(event.start_mark, event.end_mark),
            )
        return tag

    def _scalar(self, doc: Document, event) -> ScalarNode:
        raw = event.value
        span = self._span(event.start_mark, event.end_mark)
        if event.anchor or event.tag:
            # Start at the value itself, not at its anchor or tag.
            offset = self.base + event.end_mark.index - len(raw) if not event.style else None
            if offset is not None and self.text[offset:offset + len(raw)] == raw and "\n" not in raw:
                if self.lines is not None:
                    line, column = self.lines.position(offset)
                    span = Span(line, column, span.end_line, span.end_column)
                elif event.end_mark.column - len(raw) >= 0:
                    column = event.end_mark.column - len(raw)
                    span = Span(event.end_mark.line + 1 + self.line_offset, column + 1, span.end_line, span.end_column)
        tag = self._check_tag(doc, event) if event.tag else None
        quoted = bool(event.style) and event.style in "'\""
        if event.style:
            # Quoted and block scalars are strings unless tagged otherwise.
            value = raw if not tag else _resolve_tagged(raw, tag)
        elif tag:
            value = _resolve_tagged(raw, tag)
        else:
            value = resolve_plain(raw)
        return ScalarNode(value, span, raw, tag, quoted)

    def _attach(self, doc: Document, stack: list[_Frame], node: Node, size: int, alias: bool = False) -> None:
        if not stack:
            doc.root = node
            return
        frame = stack[-1]
        frame.size += size
        if not alias:
            frame.end = (node.span.end_line, node.span.end_column)
        parent = frame.node
        if isinstance(parent, SeqNode):
            parent.items.append(node)
            return
        if frame.pending_key is None:
            if not isinstance(node, ScalarNode):
                self._problem(doc, "HL001", "complex (non-scalar) mapping key; the entry is ignored", node.span)
                node = ScalarNode(None, node.span, "", "!complex-key")
            if not isinstance(node.value, str) and node.value is not None:
                # Kubernetes reads keys as strings: `y:` is the key "y", not a boolean.
                node = ScalarNode(node.raw, node.span, node.raw, node.tag, node.quoted)
            frame.pending_key = node
            return
        key = frame.pending_key
        frame.pending_key = None
        if key.tag == "!complex-key":
            return
        if key.tag == "tag:yaml.org,2002:merge" or (key.raw == "<<" and not key.quoted):
            frame.merges.append((key, node))
            return
        hashed = _hashable(key.value)
        previous = frame.seen.get(hashed)
        if previous is not None:
            self._problem(
                doc,
                "HL004",
                f"duplicate key {key.raw!r} (first at line {previous.span.line}); the last one wins",
                key.span,
            )
        frame.seen[hashed] = key
        entry = (key, node)  # one tuple for both: a large file has hundreds of thousands of entries
        parent.entries.append(entry)
        parent.index[key.value] = entry

    def _apply_merges(self, doc: Document, node: MapNode, frame: _Frame) -> None:
        for key, value in frame.merges:
            sources = value.items if isinstance(value, SeqNode) else [value]
            for source in sources:
                if not isinstance(source, MapNode):
                    if not (isinstance(source, ScalarNode) and source.tag == _UNKNOWN_ALIAS):
                        self._problem(doc, "HL001", "merge key (<<) value is not a mapping", source.span)
                    continue
                for merged_key, merged_value in source.entries:
                    if merged_key.value not in node.index:
                        node.index[merged_key.value] = (merged_key, merged_value)
                        node.entries.append((merged_key, merged_value))


def load(text: str) -> LoadResult:
    """Compose every document of ``text`` into positioned nodes.

    Never raises for bad YAML: syntax errors, limits and duplicate keys are
    returned as problems, on the document they belong to where possible.
    """
    return _Composer(text).run()


def walk(node: Node) -> Iterator[Node]:
    """Every node under ``node`` once (aliases are visited once), without recursion."""
    seen: set[int] = set()
    stack = [node]
    while stack:
        current = stack.pop()
        if id(current) in seen:
            continue
        seen.add(id(current))
        yield current
        if isinstance(current, MapNode):
            for key, value in reversed(current.entries):
                stack.append(value)
                stack.append(key)
        elif isinstance(current, SeqNode):
            stack.extend(reversed(current.items))
