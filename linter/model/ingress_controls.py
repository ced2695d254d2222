"""What protects an Ingress at its controller: rate limiting and source allow-lists.

The controllers and their settings are data (linter/data/ingress_controllers.json):
annotations for ingress-nginx and HAProxy, Middleware objects for Traefik
(referenced by the ``traefik.ingress.kubernetes.io/router.middlewares``
annotation, resolved against the Middleware objects of the whole run).
"""

from __future__ import annotations

from typing import Iterable

from linter.data import load_json
from linter.located import Location
from linter.model.nearby import Nearby, Twins
from linter.model.network import Ingress
from linter.model.nodes import FieldReader
from linter.model.objects import K8sObject
from linter.records import record
from linter.yamlpos import MapNode

RATE_LIMIT = "rate_limit"
ALLOWLIST = "allowlist"


def _controllers() -> dict[str, dict]:
    return load_json("ingress_controllers.json")["controllers"]


@record(frozen=True, slots=True)
class Middleware:
    """A Traefik Middleware: which features its spec configures, and the middlewares it chains."""

    obj: K8sObject
    features: frozenset[str]
    chain: tuple[str, ...]  # names of chained middlewares (same namespace)

    @property
    def ref(self) -> str:
        """How an Ingress annotation names it: ``<namespace>-<name>@kubernetescrd``."""
        return f"{self.obj.namespace or 'default'}-{self.obj.name}@kubernetescrd"


def build_middleware(reader: FieldReader, obj: K8sObject, node: MapNode) -> Middleware | None:
    traefik = _controllers()["traefik"]
    if obj.kind != "Middleware" or obj.group not in traefik["middleware_api_groups"]:
        return None
    spec = reader.mapping(node, "spec")
    features = frozenset(key.text for key, _ in spec.entries) if spec is not None else frozenset()
    chain_node = reader.mapping(spec, "chain", "spec.chain")
    chain = tuple(
        reader.string(item, "name") or ""
        for item in reader.maps_in(reader.sequence(chain_node, "middlewares", "spec.chain.middlewares"), "middlewares")
    )
    return Middleware(obj, features, chain)


@record(frozen=True)
class IngressControls:
    """The controller of an Ingress and what it configures there.

    ``controller`` is None for a controller headlamp-lint does not know;
    ``rate_limit`` and ``allowlist`` name the annotations or middlewares
    that provide each; ``unresolved`` lists referenced Traefik middlewares
    that are not in the input (their features are unknown).
    """

    controller: str | None
    rate_limit: tuple[str, ...]
    allowlist: tuple[str, ...]
    unresolved: tuple[str, ...]
    anchor: Location  # the annotations key (or metadata) to blame when something is missing

    def provided(self, feature: str) -> tuple[str, ...]:
        return self.rate_limit if feature == RATE_LIMIT else self.allowlist


def controller_of(ingress: Ingress) -> str | None:
    controllers = _controllers()
    if ingress.ingress_class is not None:
        for name, spec in controllers.items():
            if ingress.ingress_class in spec["classes"]:
                return name
        return None
    for name, spec in controllers.items():
        if any(key.startswith(tuple(spec["annotation_prefixes"])) for key in ingress.annotations):
            return name
    return None


def middleware_index(middlewares: Iterable[Middleware], twins: Twins) -> Nearby[Middleware]:
    """Middlewares by ``ref``, each looked up from the object that names it (linter/model/nearby.py)."""
    return Nearby(middlewares, lambda m: (m.ref,), lambda m: m.obj, twins)


def _middleware_features(
    ref: str, near: K8sObject, index: Nearby[Middleware], seen: set[str]
) -> tuple[frozenset[str], list[str]]:
    """Features of a middleware that ``near`` references, following chains; also the refs not in the input."""
    if "@" not in ref:
        ref = f"{near.namespace or 'default'}-{ref}@kubernetescrd"  # the referrer's namespace, as Traefik resolves it
    if ref in seen:
        return frozenset(), []
    seen.add(ref)
    middleware = index.nearest(near, ref)
    if middleware is None:
        return frozenset(), [ref]
    features = set(middleware.features)
    unresolved: list[str] = []
    for name in middleware.chain:
        more, missing = _middleware_features(name, middleware.obj, index, seen)
        features |= more
        unresolved += missing
    return frozenset(features), unresolved


def ingress_controls(ingress: Ingress, middlewares: Nearby[Middleware]) -> IngressControls:
    controller = controller_of(ingress)
    controllers = _controllers()
    rate_limit: list[str] = []
    allowlist: list[str] = []
    unresolved: list[str] = []
    if controller is not None:
        spec = controllers[controller]
        for key, value in ingress.annotations.items():
            if not str(value.value).strip():
                continue  # an empty annotation configures nothing
            if key in spec["rate_limit_annotations"]:
                rate_limit.append(key)
            if key in spec["allowlist_annotations"]:
                allowlist.append(key)
        annotation = spec.get("middleware_annotation")
        if annotation and annotation in ingress.annotations:
            for ref in str(ingress.annotations[annotation].value).split(","):
                ref = ref.strip()
                if not ref:
                    continue
                features, missing = _middleware_features(ref, ingress.obj, middlewares, set())
                unresolved += missing
                if features & set(spec["rate_limit_middleware"]):
                    rate_limit.append(f"middleware {ref}")
                if features & set(spec["allowlist_middleware"]):
                    allowlist.append(f"middleware {ref}")
    return IngressControls(
        controller, tuple(rate_limit), tuple(allowlist), tuple(unresolved), ingress.annotations_anchor
    )
