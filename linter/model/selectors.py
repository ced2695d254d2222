"""Kubernetes label selectors: matchLabels and matchExpressions, evaluated as the API server does."""

from __future__ import annotations

from linter.located import Location
from linter.model.nodes import FieldReader
from linter.records import record
from linter.yamlpos import MapNode, ScalarNode


@record(frozen=True, slots=True)
class Requirement:
    key: str
    operator: str  # In, NotIn, Exists, DoesNotExist
    values: tuple[str, ...]

    def matches(self, labels: dict[str, str]) -> bool:
        if self.operator == "In":
            return labels.get(self.key) in self.values
        if self.operator == "NotIn":
            return self.key not in labels or labels[self.key] not in self.values
        if self.operator == "Exists":
            return self.key in labels
        if self.operator == "DoesNotExist":
            return self.key not in labels
        return False  # an unknown operator is rejected by the API server; select nothing


@record(frozen=True, slots=True)
class LabelSelector:
    """A selector; an empty one (no labels, no expressions) selects everything."""

    match_labels: tuple[tuple[str, str], ...]
    expressions: tuple[Requirement, ...]
    location: Location

    @property
    def is_empty(self) -> bool:
        return not self.match_labels and not self.expressions

    def matches(self, labels: dict[str, str]) -> bool:
        return all(labels.get(k) == v for k, v in self.match_labels) and all(
            r.matches(labels) for r in self.expressions
        )


def read_selector(reader: FieldReader, node: MapNode | None, label: str, fallback: Location) -> LabelSelector:
    """A ``LabelSelector`` from a selector mapping (``matchLabels`` / ``matchExpressions``)."""
    if node is None:
        return LabelSelector((), (), fallback)
    labels = tuple(sorted(reader.string_map(node, "matchLabels", f"{label}.matchLabels").items()))
    expressions = []
    for item in reader.maps_in(reader.sequence(node, "matchExpressions", f"{label}.matchExpressions"), label):
        values_node = reader.sequence(item, "values", f"{label}.matchExpressions.values")
        values = tuple(
            v.text for v in (values_node.items if values_node else ()) if isinstance(v, ScalarNode) and v.value is not None
        )
        expressions.append(
            Requirement(reader.string(item, "key") or "", reader.string(item, "operator") or "", values)
        )
    return LabelSelector(labels, tuple(expressions), reader.location(node))


def plain_selector(reader: FieldReader, parent: MapNode | None, key: str, fallback: Location) -> LabelSelector | None:
    """A Service-style selector (a plain label map); None when absent."""
    node = reader.mapping(parent, key)
    if node is None:
        return None
    labels = tuple(sorted(reader.string_map(parent, key).items()))
    return LabelSelector(labels, (), reader.location(node))
