"""Relations between objects: what routes to Headlamp, what selects it, how it is configured.

Lookups go through indexes by namespace (never all-pairs over the input).
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from typing import TYPE_CHECKING, Iterable, TypeVar

from linter.located import Origin
from linter.model.env_sources import EnvSources
from linter.model.headlamp import Installation
from linter.model.network import Gateway, HTTPRoute, Ingress, NetworkPolicy, Service
from linter.model.objects import K8sObject
from linter.model.server import server_settings
from linter.model.workloads import Workload

if TYPE_CHECKING:
    from linter.model import Model

T = TypeVar("T")


def _by_namespace(items: Iterable[T]) -> dict[str, list[T]]:
    index: dict[str, list[T]] = defaultdict(list)
    for item in items:
        index[item.obj.namespace or "default"].append(item)  # type: ignore[attr-defined]
    return index


def may_link(a: K8sObject, b: K8sObject) -> bool:
    """Objects rendered from two different values files are two alternative releases, never linked.

    A manifest object links with anything (a values file plus the manifests beside it is one set-up).
    """
    return a.origin is Origin.MANIFEST or b.origin is Origin.MANIFEST or a.path == b.path


@dataclass(frozen=True)
class NetworkIndex:
    services: dict[str, list[Service]]
    ingresses: dict[str, list[Ingress]]
    http_routes: list[HTTPRoute]
    gateways: dict[tuple[str, str], Gateway]
    network_policies: dict[str, list[NetworkPolicy]]

    @classmethod
    def of(cls, model: "Model") -> "NetworkIndex":
        return cls(
            services=_by_namespace(model.services),
            ingresses=_by_namespace(model.ingresses),
            http_routes=list(model.http_routes),
            gateways={(g.obj.namespace or "default", g.obj.name): g for g in model.gateways},
            network_policies=_by_namespace(model.network_policies),
        )


def services_selecting(index: NetworkIndex, workload: Workload) -> tuple[Service, ...]:
    labels = workload.pod.labels
    return tuple(
        s
        for s in index.services.get(workload.namespace, ())
        if s.selector is not None and not s.selector.is_empty and s.selector.matches(labels)
        and may_link(s.obj, workload.obj)
    )


def ingresses_to(index: NetworkIndex, services: tuple[Service, ...]) -> tuple[Ingress, ...]:
    out = []
    for service in services:
        for ingress in index.ingresses.get(service.obj.namespace or "default", ()):
            if ingress in out or not may_link(ingress.obj, service.obj):
                continue
            if any(b.service == service.obj.name and service.port_matches(b.port) for b in ingress.backends):
                out.append(ingress)
    return tuple(out)


def routes_to(index: NetworkIndex, services: tuple[Service, ...]) -> tuple[HTTPRoute, ...]:
    out = []
    for route in index.http_routes:
        namespace = route.obj.namespace or "default"
        for service in services:
            if (service.obj.namespace or "default") != namespace or not may_link(route.obj, service.obj):
                continue
            if any(b.service == service.obj.name and service.port_matches(b.port) for b in route.backends):
                out.append(route)
                break
    return tuple(out)


def gateways_of(index: NetworkIndex, routes: tuple[HTTPRoute, ...]) -> tuple[Gateway, ...]:
    out = []
    for route in routes:
        for ref in route.parent_refs:
            gateway = index.gateways.get((ref.namespace or route.obj.namespace or "default", ref.name))
            if gateway is not None and gateway not in out:
                out.append(gateway)
    return tuple(out)


def policies_selecting(index: NetworkIndex, workload: Workload) -> tuple[NetworkPolicy, ...]:
    return tuple(
        p
        for p in index.network_policies.get(workload.namespace, ())
        if p.governs_ingress and p.pod_selector.matches(workload.pod.labels) and may_link(p.obj, workload.obj)
    )


def link_installations(model: "Model") -> list[Installation]:
    index = NetworkIndex.of(model)
    sources = EnvSources.of(model)
    out = []
    for workload in model.workloads:
        containers = tuple(c for c in workload.pod.containers if c.is_headlamp)
        if not containers:
            continue
        services = services_selecting(index, workload)
        routes = routes_to(index, services)
        account = workload.pod.service_account_name.value or "default"
        out.append(
            Installation(
                workload=workload,
                headlamp_containers=containers,
                servers=tuple(server_settings(c, sources.environment(c, workload)) for c in containers),
                services=services,
                ingresses=ingresses_to(index, services),
                http_routes=routes,
                gateways=gateways_of(index, routes),
                network_policies=policies_selecting(index, workload),
                service_account=account,
                service_account_object=model.service_account(workload.namespace, account),
                permissions=model.rbac.permissions_of(workload.namespace, account),
            )
        )
    return out
