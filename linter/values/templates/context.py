"""The rendering context shared by the chart template modules: effective values in, positioned nodes out.

Not a chart template itself: this is how a template module reads the
effective values (``v``/``text``) and builds the rendered node trees
(``s``/``m``/``q``/``build``/``pair``/``nonempty``/``obj``). Every rendered
node is located at the values key that produced it and carries
``source=NodeSource(file, origin, values key)``: the user's own node where
the chart copies a value, a node at line 1 of the last values file (origin
CHART_DEFAULT) where the chart default applies.
"""

from __future__ import annotations

import json
from functools import lru_cache

from linter.data import read_text
from linter.located import FILE_START, Location, NodeSource, Origin, Span
from linter.records import field, record
from linter.values.chart import version_key
from linter.values.merge import Effective, ValuesProblem
from linter.values.templates.gotext import node_text, reread
from linter.yamlpos import MapNode, Node, ScalarNode, SeqNode

CHART_NAME = "headlamp"


@record


class ExtraManifest:
    """One ``extraManifests`` item: parsed object roots, or why it is not linted."""

    path: str
    location: Location
    roots: list[MapNode] = field(default_factory=list)
    template_problems: list[tuple[Location, str]] = field(default_factory=list)  # HL005: not evaluated
    problems: list[tuple[str, Location, str]] = field(default_factory=list)  # (rule, location, message)
    others: list[Location] = field(default_factory=list)  # documents that are not Kubernetes objects


@record


class Rendered:
    objects: list[MapNode] = field(default_factory=list)
    extra_manifests: list[ExtraManifest] = field(default_factory=list)
    problems: list[ValuesProblem] = field(default_factory=list)
    # (workload ref, flag, the user's values node) for a flag the user's value keeps out of the args
    flag_hints: list[tuple[str, str, Node]] = field(default_factory=list)
    # (workload ref, container, "version" | "registry", image text, node at the key that carries it)
    image_parts: list[tuple[str, str, str, str, Node]] = field(default_factory=list)


@lru_cache(maxsize=1)
def _first_read() -> dict[str, tuple[int, int, int]]:
    """values key -> the first chart release whose templates read it (keys read since the first release: absent)."""
    data = json.loads(read_text("data/chart/template_keys.json"))
    return {key: version_key(version) for key, version in data.items()}


def first_read(dotted: str) -> tuple[int, int, int] | None:
    """The first chart release whose templates read ``dotted`` (its nearest listed ancestor), None: every release."""
    table = _first_read()
    parts = dotted.split(".")
    for size in range(len(parts), 0, -1):
        since = table.get(".".join(parts[:size]))
        if since is not None:
            return since
    return None


def truthy(node: Node | None) -> bool:
    """Go template truth: false, 0, "", null, empty lists and maps are false."""
    if node is None:
        return False
    if isinstance(node, ScalarNode):
        return node.value not in (None, False, 0, "")
    if isinstance(node, MapNode):
        return bool(node.entries)
    return bool(node.items)


class Context:
    """One rendering of the chart: the effective values, the release, and the objects rendered so far."""

    def __init__(self, eff: Effective, release_name: str, namespace: str, texts: dict[str, str]):
        self.eff = eff
        self.release_name = release_name
        self.release_namespace = namespace
        self.texts = texts  # values file path -> text, to map extraManifests positions
        self.version = version_key(eff.release.version)
        self.out = Rendered()

    def at_least(self, version: str) -> bool:
        return self.version >= version_key(version)

    # -- reading values ----------------------------------------------------

    def v(self, dotted: str) -> Node | None:
        """The effective value of ``dotted``; None where this chart version's templates do not read the key."""
        since = first_read(dotted)
        if since is not None and since > self.version:
            return None
        return self.eff.node(dotted)

    def text(self, dotted: str, default: str = "") -> str:
        """``{{ .Values.<dotted> }}`` as Helm prints a scalar (numbers as float64, see ``gotext``)."""
        node = self.v(dotted)
        if isinstance(node, ScalarNode) and node.value is not None:
            return node_text(node)
        return default

    # -- node construction -------------------------------------------------

    def where(self, key: str, like: Node | None = None) -> tuple[Span, NodeSource | None]:
        """Position and provenance of a rendered node: the values node it came from, or the chart default."""
        if like is not None and like.source is not None:
            return like.span, like.source
        if not key:  # structure the chart always renders (objects, specs): read as chart output
            return FILE_START, None
        return FILE_START, NodeSource(self.eff.path, Origin.CHART_DEFAULT, self.eff.prefix + key)

    def s(self, value: object, key: str, like: Node | None = None) -> ScalarNode:
        span, source = self.where(key, like)
        if isinstance(value, bool):
            raw = "true" if value else "false"
        else:
            raw = value if isinstance(value, str) else str(value)
        return ScalarNode(value, span, raw, quoted=isinstance(value, str), source=source)  # type: ignore[arg-type]

    def m(self, pairs: list[tuple], key: str, like: Node | None = None) -> MapNode:
        """A mapping of (name, node[, key_like]) pairs; entries whose node is None are left out."""
        span, source = self.where(key, like)
        out = MapNode([], span, source=source)
        for pair in pairs:
            name, node = pair[0], pair[1]
            if node is None:
                continue
            key_like = pair[2] if len(pair) > 2 and pair[2] is not None else node
            key_node = ScalarNode(name, key_like.span, name, source=key_like.source)
            out.entries.append((key_node, node))
            out.index[name] = (key_node, node)
        return out

    def q(self, items: list[Node], key: str, like: Node | None = None) -> SeqNode:
        span, source = self.where(key, like)
        return SeqNode(items, span, source=source)

    def build(self, value: object, key: str, like: Node | None = None) -> Node:
        """Nodes for a Python literal (tuples of pairs are maps, lists are lists), all at one place."""
        if isinstance(value, tuple):
            return self.m([(k, self.build(v, f"{key}.{k}", like)) for k, v in value], key, like)
        if isinstance(value, list):
            return self.q([self.build(v, key, like) for v in value], key, like)
        return self.s(value, key, like)

    def pair(self, name: str, dotted: str) -> tuple[str, Node | None, Node | None]:
        """A rendered entry copied from the values key ``dotted`` (key and value keep their positions)."""
        return (name, self.v(dotted), self.eff.key_node(dotted))

    def printed(self, name: str, dotted: str) -> tuple[str, Node | None, Node | None]:
        """An entry the chart writes as ``name: {{ .Values.<dotted> }}``: the printed value read back as YAML."""
        node = self.v(dotted)
        if not isinstance(node, ScalarNode) or node.value is None or isinstance(node.value, bool):
            return (name, node, self.eff.key_node(dotted))
        return (name, reread(node_text(node), node), self.eff.key_node(dotted))

    def nonempty(self, dotted: str) -> tuple[str, Node | None, Node | None]:
        name = dotted.rsplit(".", 1)[-1]
        node = self.v(dotted)
        return (name, node if truthy(node) else None, self.eff.key_node(dotted))

    def problem(self, rule: str, at: Node, message: str) -> None:
        """A finding about the values (``rule`` at the user's node ``at``, or line 1 for a chart default)."""
        path = at.source.path if at.source is not None else self.eff.path
        self.out.problems.append(ValuesProblem(rule, Location(path, at.span), message))

    def unsupported(self, at: Node, what: str, expression: str, reason: str, location: Location | None = None) -> None:
        """HL005 for a template expression that ``tpl`` could not evaluate."""
        path = at.source.path if at.source is not None else self.eff.path
        self.out.problems.append(ValuesProblem(
            "HL005", location or Location(path, at.span),
            f"{what} uses template expression {expression}, which headlamp-lint cannot evaluate without Helm"
            f" ({reason}); it is linted with the expression left as text"))

    def obj(self, api_version: str, kind: str, key: str, like: Node | None, pairs: list[tuple]) -> MapNode:
        """An object whose `kind` (where findings about the object point) is the values key that makes it."""
        node = self.m([("apiVersion", self.s(api_version, key, like)), ("kind", self.s(kind, key, like))] + pairs,
                      key, like)
        self.out.objects.append(node)
        return node
