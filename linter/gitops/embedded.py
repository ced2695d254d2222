"""Values written as a YAML string inside another YAML file, parsed with positions in the outer file.

Argo CD's ``helm.values: |``, a ConfigMap's ``values.yaml: |`` for a Flux
``valuesFrom`` and the like hold a whole values file in a string. A literal
block scalar (``|``, with any chomping ``-``/``+`` and indentation indicator)
keeps every line of its content on a line of its own in the outer file,
indented by a fixed number of spaces, so the string is parsed on its own and
every span is shifted by the block's first line and its indentation: a
finding points at the exact line and column in the outer file, and a
``# headlamp-lint:`` comment written inside the block is on the outer line
the suppress stage reads.

The shift is checked line by line against the outer text. Any other string
(folded ``>``, quoted, plain, or a block whose lines do not line up, such as
a base64 Secret value) is parsed all the same, and its spans are pinned to
the start of the string: the finding is at the string, not at a guessed
place (``Embedded.exact`` is False).
"""

from __future__ import annotations

from typing import Sequence

from linter.located import Span
from linter.records import field, record
from linter.yamlpos import MapNode, Node, ScalarNode, YamlProblem, load, walk


@record
class Embedded:
    """The first document of an embedded values string, positioned in the outer file."""

    root: Node | None  # None when empty or not parsed (``problems`` then say why)
    problems: list[YamlProblem] = field(default_factory=list)  # spans in the outer file
    exact: bool = True  # spans are exact (a literal block) rather than pinned to the string's start
    documents: int = 0
    has_template: bool = False  # holds ``{{ … }}`` (an ApplicationSet parameter, a Helm template)


@record(frozen=True, slots=True)
class _Shift:
    lines: int  # added to every line
    columns: int  # added to every column
    pin: Span | None = None  # every span becomes this one (not a literal block)

    def span(self, span: Span) -> Span:
        if self.pin is not None:
            return self.pin
        return Span(span.line + self.lines, span.column + self.columns,
                    span.end_line + self.lines, span.end_column + self.columns)


def block_shift(node: ScalarNode, lines: Sequence[str]) -> _Shift:
    """How inner positions of ``node``'s string map to the outer file (``lines``: its text, split on LF)."""
    pin = Span(node.span.line, node.span.column, node.span.line, node.span.column + 1)
    start = node.span.line - 1
    if start >= len(lines) or node.span.column - 1 >= len(lines[start]):
        return _Shift(0, 0, pin)
    header = lines[start][node.span.column - 1:]
    if not header.startswith("|"):
        return _Shift(0, 0, pin)
    text = node.value if isinstance(node.value, str) else node.raw
    indent: int | None = None
    content = text.split("\n")
    if content and content[-1] == "":
        content.pop()  # the line break that ends the last line
    for number, inner in enumerate(content):
        index = start + 1 + number
        if index >= len(lines):
            if inner:
                return _Shift(0, 0, pin)
            continue
        outer = lines[index].rstrip("\r")
        if not inner:
            if outer.strip(" "):
                return _Shift(0, 0, pin)  # a blank inner line must be a blank outer line
            continue
        width = len(outer) - len(inner)
        if width < 0 or outer[width:] != inner or outer[:width].strip(" "):
            return _Shift(0, 0, pin)
        if indent is None:
            indent = width
        elif width != indent:
            return _Shift(0, 0, pin)
    return _Shift(node.span.line, indent or 0)


def parse_embedded(node: ScalarNode, lines: Sequence[str]) -> Embedded:
    """Parse the string ``node`` holds as YAML; every span (nodes and problems) is in the outer file."""
    text = node.value if isinstance(node.value, str) else node.raw
    shift = block_shift(node, lines)
    loaded = load(text)
    problems = [YamlProblem(p.rule, p.message, shift.span(p.span)) for p in loaded.problems]
    for doc in loaded.documents:
        problems.extend(YamlProblem(p.rule, p.message, shift.span(p.span)) for p in doc.problems)
    docs = [d for d in loaded.documents if d.root is not None]
    root = docs[0].root if docs else None
    if root is not None:
        for item in walk(root):
            item.span = shift.span(item.span)
        if isinstance(root, ScalarNode) and root.value is None and not root.raw:
            root = None
    return Embedded(root, problems, shift.pin is None, len(docs), "{{" in text)


def relocate(root: Node, span: Span) -> None:
    """Pin every span under ``root`` to ``span`` (values whose text has no place of its own)."""
    for item in walk(root):
        item.span = span


def empty_map(span: Span) -> MapNode:
    return MapNode([], span)
