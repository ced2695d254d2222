"""``--fix`` / ``--diff`` for values embedded in Flux, Argo CD and kustomize objects.

A map (``spec.values``, ``valuesObject``, ``valuesInline``) is edited in
place like a values file: ``linter.fix`` finds the mapping through
``EmbeddedValues.locate`` and adds or changes the smallest override there
(creating the values key when the object has none yet). A literal block
string (``helm.values: |``) is taken out of the file, fixed as a values
file of its own, and put back with the block's indentation; a string of
any other style (quoted, folded) is left alone. Either way the result is
re-read: the file must still parse, with the same documents, and a block
must hold exactly the fixed text; otherwise the edit is refused and the
file left as it was.
"""

from __future__ import annotations

import re

from linter.gitops import Inline, ReleaseSpec
from linter.gitops.embedded import block_shift
from linter.records import record
from linter.yamlpos import MapNode, Node, ScalarNode, SeqNode, load

_SEGMENT = re.compile(r"^([^\[\]]+)(?:\[(\d+)\])?$")
_CONTAINER_PREFIX = re.compile(r"^(?:containers|initContainers|ephemeralContainers)\[[^\]]*\]\.")


@record(frozen=True)
class EmbeddedValues:
    """Where one release's own values live in its file, for the fixer."""

    path: str  # display path
    doc_index: int
    lines: tuple[int, int]  # the object's first and last line: the findings it owns
    route: tuple[str, ...]  # the key path of the values: ("spec", "values"), ("helmCharts[0]", "valuesInline")
    chart_version: str | None
    string: bool  # a YAML string (helm.values) rather than a map

    def owns(self, diagnostic) -> bool:
        key = _CONTAINER_PREFIX.sub("", diagnostic.key, count=1)
        return (self.lines[0] <= diagnostic.line <= self.lines[1]
                and key.startswith(".".join(self.route) + "."))

    def locate(self, parsed) -> tuple[MapNode, list[str]] | None:
        """The deepest existing mapping on the route in the parsed text (``linter.fix.Parsed``), and the keys
        of the route still missing."""
        node = self._document(parsed.loaded)
        if node is None:
            return None
        for index, segment in enumerate(self.route):
            match = _SEGMENT.match(segment)
            if match is None:
                return None
            child = node.get(match.group(1))
            if match.group(2) is not None:
                if not isinstance(child, SeqNode) or int(match.group(2)) >= len(child.items):
                    return None
                child = child.items[int(match.group(2))]
            if child is None or (isinstance(child, ScalarNode) and child.value is None and match.group(2) is None):
                return node, list(self.route[index:])  # to add (or fill in, for `values:` with nothing under it)
            if not isinstance(child, MapNode):
                return None
            node = child
        return node, []

    def block(self, text: str) -> ScalarNode | None:
        """The string holding the values (string form)."""
        node: Node | None = self._document(load(text))
        for segment in self.route:
            match = _SEGMENT.match(segment)
            if match is None or not isinstance(node, MapNode):
                return None
            node = node.get(match.group(1))
            if match.group(2) is not None:
                node = node.items[int(match.group(2))] if isinstance(node, SeqNode) and int(
                    match.group(2)) < len(node.items) else None
        return node if isinstance(node, ScalarNode) and isinstance(node.value, str) else None

    def _document(self, loaded) -> MapNode | None:
        if loaded.problems:
            return None
        for doc in loaded.documents:
            if doc.index == self.doc_index and isinstance(doc.root, MapNode) and not any(
                    p.rule == "HL001" for p in doc.problems):
                return doc.root
        return None


def targets(spec: ReleaseSpec, chart_version: str | None) -> list[EmbeddedValues]:
    """The values of ``spec`` that are written in its own file, as the fixer's targets."""
    out: dict[tuple[str, ...], EmbeddedValues] = {}
    layers = [(p.layer, p.string) for p in spec.pieces if isinstance(p, Inline)]
    if spec.anchor is not None:
        layers.append((spec.anchor, spec.anchor_string))
    for layer, string in layers:
        if layer.path != spec.path or not layer.prefix or layer.synthetic:
            continue
        route = tuple(layer.prefix.rstrip(".").split("."))
        out.setdefault(route, EmbeddedValues(spec.path, spec.doc_index, spec.doc_lines, route, chart_version, string))
    return list(out.values())


def fix_embedded(text: str, diagnostics: list, specs: dict, embedded: list[EmbeddedValues]) -> tuple[str, tuple, list]:
    """Apply the fixes of the diagnostics that embedded values own; return the text, the rules applied
    and the diagnostics left for the manifest fixer."""
    from linter.fix import ValuesContext, fix_text

    applied: list[str] = []
    rest = []
    owned: dict[int, list] = {}
    for diagnostic in diagnostics:
        owner = next((i for i, target in enumerate(embedded) if target.owns(diagnostic)), None)
        if owner is None:
            rest.append(diagnostic)
        else:
            owned.setdefault(owner, []).append(diagnostic)
    for index, mine in owned.items():
        target = embedded[index]
        if target.string:
            text, done = _fix_block(text, target, mine, specs)
        else:
            context = ValuesContext((), target.chart_version, target.route, target.locate)
            fixed, done = fix_text(text, mine, specs, True, context)
            if done and _same_shape(text, fixed):
                text = fixed
            else:
                done = ()
        applied.extend(done)
    return text, tuple(applied), rest


def _same_shape(before: str, after: str) -> bool:
    """The edit kept the file readable: it still parses, with as many documents."""
    old, new = load(before), load(after)
    if new.problems or any(p.rule == "HL001" for d in new.documents for p in d.problems):
        return False
    return len(old.documents) == len(new.documents)


def _fix_block(text: str, target: EmbeddedValues, diagnostics: list, specs: dict) -> tuple[str, tuple]:
    """Fix a literal block string as a values file of its own and put it back with the block's indentation."""
    from linter.fix import ValuesContext, fix_text

    node = target.block(text)
    if node is None:
        return text, ()
    lines = text.split("\n")
    shift = block_shift(node, lines)
    if shift.pin is not None:
        return text, ()  # not a literal block: no place to write an edit back to
    inner = node.value if isinstance(node.value, str) else ""
    fixed, done = fix_text(inner, diagnostics, specs, True, ValuesContext((), target.chart_version, target.route))
    if not done or fixed == inner:
        return text, ()
    old_count = 0 if not inner else len(inner.split("\n")) - (1 if inner.endswith("\n") else 0)
    header = lines[node.span.line - 1]
    indent = shift.columns or len(re.match(r"[ -]*", header).group(0)) + 2  # type: ignore[union-attr]
    body = fixed[:-1] if fixed.endswith("\n") else fixed
    eol = "\r" if header.endswith("\r") else ""  # CRLF files keep their line ends
    new_lines = [((" " * indent + line) if line.strip() else "") + eol for line in body.split("\n")]
    start = node.span.line  # index of the first content line
    result = "\n".join(lines[:start] + new_lines + lines[start + old_count:])
    check = target.block(result)
    if check is None or not _same_shape(text, result) or check.value.rstrip("\n") != body.rstrip("\n"):
        return text, ()  # the block would not read back as the fixed values: refuse
    return result, done


def embedded_replacements(text: str, diagnostics: list, specs: dict, embedded: list[EmbeddedValues],
                          newline: str) -> dict[int, tuple]:
    """Each diagnostic's own fix (SARIF, editor code actions) for the diagnostics embedded values own, by
    ``id(diagnostic)``: whole-line replacements of the file as linted."""
    import difflib

    from linter.fix import Replacement

    out: dict[int, tuple] = {}
    for diagnostic in diagnostics:
        fixed, applied, rest = fix_embedded(text, [diagnostic], specs, embedded)
        if rest or not applied or fixed == text:
            continue
        before, after = text.splitlines(keepends=True), fixed.splitlines(keepends=True)
        changes = []
        for tag, i1, i2, j1, j2 in difflib.SequenceMatcher(a=before, b=after, autojunk=False).get_opcodes():
            if tag != "equal":
                changes.append(Replacement(i1 + 1, 1, i2 + 1, 1, "".join(after[j1:j2]).replace("\n", newline)))
        out[id(diagnostic)] = tuple(changes)
    return out
