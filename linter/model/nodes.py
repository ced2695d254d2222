"""Typed reading of positioned YAML for the model builders.

Builders read fields through a ``FieldReader``: a field of the wrong type
(``containers: "x"``, ``securityContext: 5``) becomes an HL009 problem at
that value and reads as absent, so the rest of the object is still modelled.
"""

from __future__ import annotations

from linter.located import Location, Located, Origin, Span
from linter.records import field, record
from linter.yamlpos import MapNode, Node, ScalarNode, SeqNode

_TYPE_NAMES = {MapNode: "a mapping", SeqNode: "a list", ScalarNode: "a scalar"}


def type_name(node: Node) -> str:
    if isinstance(node, ScalarNode):
        if node.value is None:
            return "null"
        return {bool: "a boolean", int: "a number", float: "a number", str: "a string"}[type(node.value)]
    return _TYPE_NAMES[type(node)]


@record(frozen=True)
class ShapeProblem:
    """A field with the wrong type (rule HL009)."""

    location: Location
    message: str


@record
class FieldReader:
    """Reads fields of one file's nodes and collects shape problems."""

    path: str
    origin: Origin = Origin.MANIFEST
    problems: list[ShapeProblem] = field(default_factory=list)

    def location(self, node: Node) -> Location:
        if node.source is not None:
            return Location(node.source.path, node.span)
        return Location(self.path, node.span)

    def located(self, value: object, node: Node, full_key: str) -> Located:
        """``value`` located at ``node``, with the node's own provenance when it has one."""
        return Located(value, self.location(node), self.origin_of(node), _key(node, full_key))

    def origin_of(self, node: Node) -> Origin:
        return node.source.origin if node.source is not None else self.origin

    def missing(self, parent: MapNode | None, key: str, full_key: str, anchor: Location) -> Located:
        """A fact for an absent field: for rendered values, named by the values key to add."""
        if parent is not None and parent.source is not None:
            origin = Origin.CHART_DEFAULT if parent.source.origin is Origin.CHART_DEFAULT else Origin.MISSING
            return Located(None, anchor, origin, f"{parent.source.key}.{key}")
        return Located(None, anchor, Origin.MISSING, full_key)

    def wrong(self, node: Node, key: str, expected: str) -> None:
        problem = ShapeProblem(self.location(node), f"{key} should be {expected}, not {type_name(node)}; it is ignored")
        # Builders may read one field twice (metadata for the object and for its
        # workload); the user sees each problem once.
        if problem not in self.problems:
            self.problems.append(problem)

    def not_a_string(self, node: ScalarNode, label: str) -> None:
        """A field Kubernetes decodes as a string holds a number or boolean: the API server rejects the object."""
        problem = ShapeProblem(self.location(node), f"{label} is {type_name(node)} ({node.raw}), not a string:"
                               " Kubernetes rejects the object; quote it")
        if problem not in self.problems:
            self.problems.append(problem)

    def mapping(self, parent: MapNode | None, key: str, label: str | None = None) -> MapNode | None:
        node = parent.get(key) if parent is not None else None
        if node is None or isinstance(node, MapNode):
            return node
        if isinstance(node, ScalarNode) and node.value is None:
            return None
        self.wrong(node, label or key, "a mapping")
        return None

    def sequence(self, parent: MapNode | None, key: str, label: str | None = None) -> SeqNode | None:
        node = parent.get(key) if parent is not None else None
        if node is None or isinstance(node, SeqNode):
            return node
        if isinstance(node, ScalarNode) and node.value is None:
            return None
        self.wrong(node, label or key, "a list")
        return None

    def maps_in(self, seq: SeqNode | None, label: str) -> list[MapNode]:
        if seq is None:
            return []
        out = []
        for item in seq.items:
            if isinstance(item, MapNode):
                out.append(item)
            else:
                self.wrong(item, f"each item of {label}", "a mapping")
        return out

    def string_items(
        self, parent: MapNode | None, key: str, label: str, skip_null: bool = False
    ) -> tuple[Located, ...]:
        """The string items of the list ``parent[key]``, each located at itself.

        A non-scalar item is a shape problem; a null item reads as "" (or is
        skipped with ``skip_null``).
        """
        seq = self.sequence(parent, key, label)
        if seq is None:
            return ()
        out = []
        for item in seq.items:
            if not isinstance(item, ScalarNode):
                self.wrong(item, f"each item of {label}", "a string")
            elif item.value is not None:
                out.append(self.located(item.text, item, label))
            elif not skip_null:
                out.append(self.located("", item, label))
        return tuple(out)

    def scalar(self, parent: MapNode | None, key: str, label: str | None = None) -> ScalarNode | None:
        node = parent.get(key) if parent is not None else None
        if node is None or isinstance(node, ScalarNode):
            return node
        self.wrong(node, label or key, "a scalar")
        return None

    def string(self, parent: MapNode | None, key: str, label: str | None = None) -> str | None:
        node = self.scalar(parent, key, label)
        if node is None or node.value is None:
            return None
        return node.text

    def string_map(self, parent: MapNode | None, key: str, label: str | None = None) -> dict[str, str]:
        node = self.mapping(parent, key, label)
        if node is None:
            return {}
        out: dict[str, str] = {}
        for k, v in node.entries:
            if isinstance(v, ScalarNode):
                out[k.text] = "" if v.value is None else v.text
            else:
                self.wrong(v, f"{label or key}.{k.text}", "a string")
        return out

    # -- located facts

    def fact(
        self,
        parent: MapNode | None,
        key: str,
        full_key: str,
        anchor: Location,
        expect: type | tuple[type, ...] | None = None,
    ) -> Located:
        """The scalar ``parent[key]`` as a Located fact (MISSING at ``anchor`` if absent).

        ``expect`` checks the value's Python type (bool, int, str); a value
        of another type is a shape problem and reads as missing.
        """
        node = self.scalar(parent, key, full_key)
        if node is None or node.value is None:
            return self.missing(parent, key, full_key, anchor)
        value = node.value
        if expect is not None:
            if expect is str:
                value = node.text
            elif not isinstance(value, expect) or (expect is int and isinstance(value, bool)):
                name = {bool: "a boolean", int: "an integer"}.get(expect, "a valid value")  # type: ignore[arg-type]
                self.wrong(node, full_key, name)
                return self.missing(parent, key, full_key, anchor)
        return Located(value, self.location(node), self.origin_of(node), _key(node, full_key))

    def fact_at(
        self,
        root: MapNode | None,
        dotted: str,
        full_key: str,
        anchor: Location,
        expect: type | tuple[type, ...] | None = None,
    ) -> Located:
        """``fact`` for a dotted path below ``root`` (``securityContext.capabilities.drop``).

        When an intermediate map is absent, the fact is ``missing`` below the
        deepest map that exists, so a rendered values node still names the
        values key to set (and keeps a chart default's origin). Wrong types
        of intermediate maps are reported where the builder reads them.
        """
        parent, rest = _descend(root, dotted)
        if "." in rest:
            return self.missing(parent, rest, full_key, anchor)
        return self.fact(parent, rest, full_key, anchor, expect)

    def missing_at(self, root: MapNode | None, dotted: str, full_key: str, anchor: Location) -> Located:
        """``missing`` for a dotted path below ``root``, named from the deepest map that exists."""
        parent, rest = _descend(root, dotted)
        return self.missing(parent, rest, full_key, anchor)

    def node_fact(self, node: Node | None, full_key: str, anchor: Location) -> Located:
        """A fact whose value is a node (list or map) itself, located at it."""
        if node is None:
            return Located(None, anchor, Origin.MISSING, full_key)
        return Located(node, self.location(node), self.origin_of(node), _key(node, full_key))


def _descend(root: MapNode | None, dotted: str) -> tuple[MapNode | None, str]:
    """The deepest existing map on ``dotted`` (leaf excluded) and the rest of the path from it."""
    parent, rest = root, dotted
    while parent is not None and "." in rest:
        head, tail = rest.split(".", 1)
        child = parent.get(head)
        if not isinstance(child, MapNode):
            break
        parent, rest = child, tail
    return parent, rest


def _key(node: Node, full_key: str) -> str:
    return node.source.key if node.source is not None and node.source.key else full_key


def key_location(reader: FieldReader, parent: MapNode | None, key: str, fallback: Location) -> Location:
    """The location of ``key`` (the key itself) in ``parent``, or ``fallback``."""
    if parent is not None:
        key_node = parent.key(key)
        if key_node is not None:
            return reader.location(key_node)
    return fallback


def span_of(node: Node) -> Span:
    return node.span
