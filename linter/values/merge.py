"""Effective Helm values: chart defaults coalesced with each values file in order, as positioned nodes.

Helm's semantics (``helm -f a -f b``): the user files are merged first (maps
merge key by key, anything else — lists, scalars, ``null`` — replaces), then
the result is coalesced with the chart defaults: a key the user did not set
takes the default, maps merge, and a user ``null`` deletes the key (so
``securityContext: null`` reaches the chart's fallback, while
``securityContext: {}`` keeps the defaults). Nulls the chart has no default
for are dropped too: the templates read them as absent.

The effective tree reuses the user's own nodes, so every value keeps the
span of the key that set it last and the file it is in; each node carries
``source=NodeSource(file, origin, values key)``. Chart defaults are parsed
from the packaged values file and relocated to line 1 of the last values
file with origin CHART_DEFAULT, named by their values key.
"""

from __future__ import annotations

from linter.located import FILE_START, Location, NodeSource, Origin, Span
from linter.model.nodes import type_name
from linter.records import field, record
from linter.values import chart
from linter.yamlpos import MapNode, Node, ScalarNode, SeqNode, load


@record(frozen=True)
class ValuesLayer:
    """One values file's Headlamp values: the whole file, or an umbrella chart's ``headlamp:`` subtree."""

    path: str
    root: MapNode
    prefix: str = ""  # "headlamp." for an umbrella chart's subchart values, "spec.values." in a HelmRelease
    anchor: Span = FILE_START  # where chart defaults are blamed: line 1, or the key holding embedded values
    synthetic: bool = False  # built from --set style parameters: chart defaults are never blamed here


@record(frozen=True)
class ValuesProblem:
    rule: str  # HL003 (wrong type) here; HL002/HL003 also come from linter.values.check
    location: Location
    message: str


@record
class Effective:
    """The effective values of one Headlamp release."""

    root: MapNode
    path: str  # the last values file: chart defaults are blamed at its line 1
    prefix: str
    release: chart.ChartRelease
    layers: tuple[ValuesLayer, ...]
    anchor: Span = FILE_START  # where chart defaults are blamed in ``path``
    nulled: dict[str, tuple[ScalarNode, Node]] = field(default_factory=dict)  # values key -> (key, null)
    problems: list[ValuesProblem] = field(default_factory=list)

    def node(self, dotted: str) -> Node | None:
        current: Node | None = self.root
        for part in dotted.split("."):
            if not isinstance(current, MapNode):
                return None
            current = current.get(part)
        return current

    def key_node(self, dotted: str) -> ScalarNode | None:
        parent, _, last = dotted.rpartition(".")
        holder = self.node(parent) if parent else self.root
        return holder.key(last) if isinstance(holder, MapNode) else None

    def value(self, dotted: str, default: object = None) -> object:
        node = self.node(dotted)
        if isinstance(node, ScalarNode):
            return default if node.value is None else node.value
        return default if node is None else node

    def is_default(self, node: Node | None) -> bool:
        return node is None or (node.source is not None and node.source.origin is Origin.CHART_DEFAULT)


def is_null(node: Node | None) -> bool:
    return isinstance(node, ScalarNode) and node.value is None and not node.quoted and node.tag is None


def tag(root: Node, path: str, origin: Origin, prefix: str, relocate: Span | None = None) -> None:
    """Set ``source`` on every node under ``root``: its file, origin and values key."""
    stack: list[tuple[Node, str]] = [(root, "")]
    seen: set[int] = set()
    while stack:
        node, key = stack.pop()
        if id(node) in seen:
            continue
        seen.add(id(node))
        node.source = NodeSource(path, origin, prefix + key if key else prefix.rstrip("."))
        if relocate is not None:
            node.span = relocate
        if isinstance(node, MapNode):
            for k, v in node.entries:
                child = f"{key}.{k.text}" if key else k.text
                k.source = NodeSource(path, origin, prefix + child)
                if relocate is not None:
                    k.span = relocate
                stack.append((v, child))
        elif isinstance(node, SeqNode):
            for i, item in enumerate(node.items):
                stack.append((item, f"{key}[{i}]"))


def _new_map(entries: list[tuple[ScalarNode, Node]], like: Node) -> MapNode:
    out = MapNode([], like.span, source=like.source)
    for k, v in entries:
        out.entries.append((k, v))
        out.index[k.value] = (k, v)
    return out


def _unique(node: MapNode) -> list[tuple[ScalarNode, Node]]:
    """Entries with duplicate keys resolved as YAML readers do (the last wins), in first-seen order."""
    return [node.index[k.value] for k, _ in node.entries if node.index.get(k.value, (None,))[0] is k]


def merge_user(a: Node, b: Node) -> Node:
    """Helm's mergeMaps for two -f files: maps merge, anything else in ``b`` replaces."""
    if not (isinstance(a, MapNode) and isinstance(b, MapNode)):
        return b
    entries = {k.value: (k, v) for k, v in _unique(a)}
    for k, v in _unique(b):
        old = entries.get(k.value)
        entries[k.value] = (k, merge_user(old[1], v) if old is not None else v)
    return _new_map(list(entries.values()), b)


def coalesce(user: MapNode | None, default: MapNode, key: str, eff: Effective) -> MapNode:
    """Helm's coalesce of user values into chart defaults (``key`` is the values key of these maps)."""
    if user is None:
        return default
    out: list[tuple[ScalarNode, Node]] = []
    for dk, dv in _unique(default):
        child = f"{key}.{dk.text}" if key else dk.text
        pair = user.index.get(dk.value)
        if pair is None:
            out.append((dk, dv))
            continue
        uk, uv = pair
        if is_null(uv):
            eff.nulled[child] = (uk, uv)
            continue
        if isinstance(dv, MapNode):
            if isinstance(uv, MapNode):
                out.append((uk, coalesce(uv, dv, child, eff)))
            else:
                eff.problems.append(_wrong(eff, uv, child, "a mapping"))
                out.append((dk, dv))
            continue
        if isinstance(dv, SeqNode) and not isinstance(uv, SeqNode):
            eff.problems.append(_wrong(eff, uv, child, "a list"))
            out.append((dk, dv))
            continue
        out.append((uk, uv))
    for uk, uv in _unique(user):
        if uk.value in default.index:
            continue
        child = f"{key}.{uk.text}" if key else uk.text
        if is_null(uv):
            eff.nulled[child] = (uk, uv)
            continue
        out.append((uk, _drop_nulls(uv, child, eff)))
    return _new_map(out, user)


def _drop_nulls(node: Node, key: str, eff: Effective) -> Node:
    if not isinstance(node, MapNode) or not any(is_null(v) for _, v in node.entries):
        return node
    kept = []
    for k, v in _unique(node):
        if is_null(v):
            eff.nulled[f"{key}.{k.text}"] = (k, v)
        else:
            kept.append((k, v))
    return _new_map(kept, node)


def _wrong(eff: Effective, node: Node, key: str, expected: str) -> ValuesProblem:
    where = Location(node.source.path if node.source else eff.path, node.span)
    return ValuesProblem(
        "HL003", where, f"{eff.prefix}{key} should be {expected}, not {type_name(node)}; it is ignored"
    )


def effective_values(layers: list[ValuesLayer], release: chart.ChartRelease) -> Effective:
    """Chart defaults of ``release`` coalesced with ``layers`` (in order; the last wins)."""
    assert layers, "at least one values layer"
    last = next((layer for layer in reversed(layers) if not layer.synthetic), layers[-1])
    loaded = load(chart.defaults_text(release.version))
    defaults = loaded.documents[0].root if loaded.documents else None
    if not isinstance(defaults, MapNode):  # pragma: no cover - packaged data is a mapping
        defaults = MapNode([], FILE_START)
    tag(defaults, last.path, Origin.CHART_DEFAULT, last.prefix, relocate=last.anchor)
    user: Node | None = None
    for layer in layers:
        tag(layer.root, layer.path, Origin.VALUES, layer.prefix)
        user = layer.root if user is None else merge_user(user, layer.root)
    eff = Effective(defaults, last.path, last.prefix, release, tuple(layers), last.anchor)
    eff.root = coalesce(user if isinstance(user, MapNode) else None, defaults, "", eff)
    return eff
