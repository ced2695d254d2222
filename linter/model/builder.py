"""From Kubernetes objects to model parts, and from parts to the linked model.

Every per-object builder is called here, once; the engine only hands over
objects and receives parts.
"""

from __future__ import annotations

from typing import Callable, Iterable

from linter.model import Model, ModelParts
from linter.model.from_manifests import (
    IsHeadlamp,
    build_service_account,
    build_workload,
    find_containers,
    is_known_workload_kind,
)
from linter.model.env_sources import build_config_map
from linter.model.ingress_controls import build_middleware
from linter.model.links import NetworkIndex, link_installations
from linter.model.nearby import Twins
from linter.model.network import (
    build_gateway,
    build_http_route,
    build_ingress,
    build_network_policy,
    build_service,
)
from linter.model.nodes import FieldReader
from linter.model.objects import K8sObject
from linter.model.tls import build_certificate, build_issuer, build_secret
from linter.model.rbac import RbacGraph, build_binding, build_role
from linter.yamlpos import MapNode

# kind -> (builder, the ModelParts list it fills)
_BY_KIND: dict[str, tuple[Callable[[FieldReader, K8sObject, MapNode], object], str]] = {
    "ServiceAccount": (build_service_account, "service_accounts"),
    "Service": (build_service, "services"),
    "Ingress": (build_ingress, "ingresses"),
    "HTTPRoute": (build_http_route, "http_routes"),
    "GRPCRoute": (build_http_route, "http_routes"),
    "TLSRoute": (build_http_route, "http_routes"),
    "Gateway": (build_gateway, "gateways"),
    "NetworkPolicy": (build_network_policy, "network_policies"),
    "Secret": (build_secret, "secrets"),
    "ConfigMap": (build_config_map, "config_maps"),
    "Certificate": (build_certificate, "certificates"),
    "Issuer": (build_issuer, "issuers"),
    "ClusterIssuer": (build_issuer, "issuers"),
    "Role": (build_role, "roles"),
    "ClusterRole": (build_role, "roles"),
    "RoleBinding": (build_binding, "bindings"),
    "ClusterRoleBinding": (build_binding, "bindings"),
    "Middleware": (build_middleware, "middlewares"),
}


def add_object(
    parts: ModelParts, reader: FieldReader, obj: K8sObject, node: MapNode, is_headlamp: IsHeadlamp
) -> None:
    """Add ``obj`` and what its mapping ``node`` builds; the parts keep no reference to ``node``."""
    parts.objects.append(obj)
    entry = _BY_KIND.get(obj.kind)
    known = is_known_workload_kind(obj)
    if known or entry is None:
        # A known workload kind, or any other kind with a pod template at spec.template.spec.
        workload = build_workload(reader, obj, node, is_headlamp)
        if workload is not None:
            parts.workloads.append(workload)
            return
        if known:
            return
    if entry is not None:
        built = entry[0](reader, obj, node)
        if built is not None:
            getattr(parts, entry[1]).append(built)
        return
    unplaced = find_containers(reader, obj, node)
    if unplaced is not None:
        parts.unplaced_containers.append(unplaced)


def build_model(all_parts: Iterable[ModelParts]) -> Model:
    model = Model()
    for parts in all_parts:
        model.extend(parts)
    model.twins = Twins.of(model.objects)
    model.rbac = RbacGraph.of(model.roles, model.bindings, model.twins)
    model.network = NetworkIndex.of(model)
    model.installations = link_installations(model)
    return model
