"""Values-file checks that need no model: unknown keys (HL002) and chart schema violations (HL003).

HL002 walks each values file against the strict key tree of the chart
version (``linter/schemas/headlamp-values-<v>.strict.schema.json``, derived
from the chart's values.yaml, its values.schema.json and the keys the chart
documents only in comments); it reports the key itself with a "did you
mean" suggestion. HL003 validates the effective values against the chart's
own ``values.schema.json`` (chart >= 0.23.0) with jsonschema, imported here
lazily, and locates each error at the value that the last values file set.
"""

from __future__ import annotations

import difflib
from typing import Iterator

from linter.located import Location
from linter.values import chart
from linter.values.merge import Effective, ValuesLayer, ValuesProblem
from linter.yamlpos import MapNode, Node, ScalarNode, SeqNode


def unknown_keys(layer: ValuesLayer, strict: dict) -> Iterator[ValuesProblem]:
    stack: list[tuple[Node, dict, str]] = [(layer.root, strict, "")]
    while stack:
        node, schema, key = stack.pop()
        if isinstance(node, MapNode):
            props = schema.get("properties")
            closed = schema.get("additionalProperties") is False
            for k, v in node.entries:
                child = f"{key}.{k.text}" if key else k.text
                sub = props.get(k.text) if isinstance(props, dict) else None
                if sub is None:
                    if closed:
                        yield _unknown(layer, k, child, sorted(props or ()))
                    continue
                stack.append((v, sub, child))
        elif isinstance(node, SeqNode) and isinstance(schema.get("items"), dict):
            for i, item in enumerate(node.items):
                stack.append((item, schema["items"], f"{key}[{i}]"))


def _unknown(layer: ValuesLayer, key: ScalarNode, dotted: str, known: list[str]) -> ValuesProblem:
    parent = dotted.rpartition(".")[0]
    where = f"under {layer.prefix}{parent}" if parent else "at the top level"
    close = difflib.get_close_matches(key.text, known, n=1, cutoff=0.6)
    if not close:
        lowered = {k.lower(): k for k in known}
        if key.text.lower() in lowered:
            close = [lowered[key.text.lower()]]
    hint = f"; did you mean {close[0]}?" if close else ""
    return ValuesProblem(
        "HL002",
        Location(layer.path, key.span),
        f"unknown values key {layer.prefix}{dotted}: the Headlamp chart has no {key.text!r} {where}, so Helm"
        f" ignores it{hint}",
    )


def to_python(node: Node | None) -> object:
    """Plain data for jsonschema (iterative; aliases were bounded when loading)."""
    if node is None:
        return None
    if isinstance(node, ScalarNode):
        return node.value
    if isinstance(node, SeqNode):
        return [to_python(i) for i in node.items]
    return {k.text: to_python(v) for k, v in node.entries}


def schema_errors(eff: Effective) -> Iterator[ValuesProblem]:
    schema = chart.chart_schema(eff.release.version)
    if schema is None:
        return
    import jsonschema  # lazily: `import linter` must not pull it in

    validator_class = jsonschema.validators.validator_for(schema)
    validator = validator_class(schema)
    seen: set[tuple] = set()
    for error in sorted(validator.iter_errors(to_python(eff.root)), key=lambda e: list(map(str, e.absolute_path))):
        path = list(error.absolute_path)
        node, key_text = _node_at(eff, path)
        if node is not None and node.source is not None:
            location = Location(node.source.path, node.span)
        else:
            location = Location(eff.path, eff.anchor)
        marker = (location, error.message)
        if marker in seen:
            continue
        seen.add(marker)
        message = error.message if len(error.message) <= 160 else error.message[:157] + "..."
        where = f"{eff.prefix}{key_text}" if key_text else "the values"
        yield ValuesProblem("HL003", location,
                            f"{where} does not match the chart {eff.release.version} values schema: {message}")


def _node_at(eff: Effective, path: list) -> tuple[Node | None, str]:
    node: Node | None = eff.root
    parts: list[str] = []
    for step in path:
        if isinstance(node, MapNode) and isinstance(step, str):
            node = node.get(step)
            parts.append(step)
        elif isinstance(node, SeqNode) and isinstance(step, int) and step < len(node.items):
            node = node.items[step]
            parts[-1:] = [f"{parts[-1]}[{step}]"] if parts else [f"[{step}]"]
        else:
            break
    return node, ".".join(parts)


def check_values(eff: Effective) -> list[ValuesProblem]:
    strict = chart.strict_schema(eff.release.version)
    out: list[ValuesProblem] = []
    for layer in eff.layers:
        out.extend(unknown_keys(layer, strict))
    out.extend(schema_errors(eff))
    return out
