"""Relations between objects: what routes to Headlamp, what selects it, how it is configured.

Lookups go through indexes by namespace and name, each seen from the object
that refers (linter/model/nearby.py: with one folder per environment, an
object links only to its own environment's objects), never all-pairs.
"""

from __future__ import annotations

from collections import defaultdict
from typing import TYPE_CHECKING, TypeVar

from linter.located import Origin
from linter.model.env_sources import EnvSources
from linter.model.headlamp import Installation
from linter.model.nearby import Nearby
from linter.model.network import (
    Gateway,
    HTTPRoute,
    Ingress,
    NetworkPolicy,
    Service,
    backend_namespace,
    external_name_target,
)
from linter.model.objects import K8sObject
from linter.model.server import server_settings
from linter.model.workloads import Workload
from linter.records import record

if TYPE_CHECKING:
    from linter.model import Model

T = TypeVar("T")


def _namespace(item) -> tuple[str]:
    return (item.obj.namespace or "default",)


def _namespace_and_name(item) -> tuple[tuple[str, str]]:
    return ((item.obj.namespace or "default", item.obj.name),)


def _obj(item) -> K8sObject:
    return item.obj


def may_link(a: K8sObject, b: K8sObject) -> bool:
    """Objects rendered from two different values files are two alternative releases, never linked.

    A manifest object links with anything (a values file plus the manifests beside it is one set-up).
    """
    return a.origin is Origin.MANIFEST or b.origin is Origin.MANIFEST or a.path == b.path


@record(frozen=True)
class NetworkIndex:
    """Services, routes, Gateways and NetworkPolicies as seen from each object (linter/model/nearby.py).

    ``routed`` maps a Service (by id) to the Ingresses and routes whose
    backends name it; ``aliases`` maps a Service to the ExternalName
    Services that point at it. Both are computed once, from each referring
    object's side, so linking costs one lookup per reference.
    """

    services: Nearby[Service]  # by namespace
    gateways: Nearby[Gateway]  # by (namespace, name)
    network_policies: Nearby[NetworkPolicy]  # by namespace
    routed: dict[int, list[Ingress | HTTPRoute]]
    aliases: dict[int, list[Service]]

    @classmethod
    def of(cls, model: "Model") -> "NetworkIndex":
        twins = model.twins
        named = Nearby(model.services, _namespace_and_name, _obj, twins)
        aliases: dict[int, list[Service]] = defaultdict(list)
        for service in model.services:
            target = external_name_target(service.external_name)
            if target is None:
                continue
            found = named.nearest(service.obj, target)
            if found is not None and found is not service and may_link(service.obj, found.obj):
                aliases[id(found)].append(service)
        routed: dict[int, list[Ingress | HTTPRoute]] = defaultdict(list)
        for route in (*model.ingresses, *model.http_routes):
            targets: set[int] = set()
            for backend in route.backends:
                service = named.nearest(route.obj, (backend_namespace(route, backend), backend.service))
                if service is None or id(service) in targets or not may_link(route.obj, service.obj):
                    continue
                if service.port_matches(backend.port):
                    targets.add(id(service))
                    routed[id(service)].append(route)
        return cls(
            services=Nearby(model.services, _namespace, _obj, twins),
            gateways=Nearby(model.gateways, _namespace_and_name, _obj, twins),
            network_policies=Nearby(model.network_policies, _namespace, _obj, twins),
            routed=routed,
            aliases=aliases,
        )


def services_selecting(index: NetworkIndex, workload: Workload) -> tuple[Service, ...]:
    labels = workload.pod.labels
    return tuple(
        s
        for s in index.services.visible(workload.obj, workload.namespace)
        if s.selector is not None and not s.selector.is_empty and s.selector.matches(labels)
        and may_link(s.obj, workload.obj)
    )


def with_aliases(index: NetworkIndex, services: tuple[Service, ...]) -> tuple[Service, ...]:
    """The Services and every ExternalName Service that leads to one of them (through any chain of them).

    A cycle of ExternalName Services leads nowhere: it is never entered from a real Service.
    """
    out = list(services)
    seen = {id(s) for s in services}
    pending = list(services)
    while pending:
        for alias in index.aliases.get(id(pending.pop()), ()):
            if id(alias) not in seen:
                seen.add(id(alias))
                out.append(alias)
                pending.append(alias)
    return tuple(out)


def _routes_to(index: NetworkIndex, services: tuple[Service, ...], kind: type[T]) -> tuple[T, ...]:
    out: list[T] = []
    seen: set[int] = set()
    for service in services:
        for route in index.routed.get(id(service), ()):
            if isinstance(route, kind) and id(route) not in seen:
                seen.add(id(route))
                out.append(route)
    return tuple(out)


def ingresses_to(index: NetworkIndex, services: tuple[Service, ...]) -> tuple[Ingress, ...]:
    return _routes_to(index, services, Ingress)


def routes_to(index: NetworkIndex, services: tuple[Service, ...]) -> tuple[HTTPRoute, ...]:
    return _routes_to(index, services, HTTPRoute)


def gateways_of(index: NetworkIndex, routes: tuple[HTTPRoute, ...]) -> tuple[Gateway, ...]:
    out: list[Gateway] = []
    for route in routes:
        for ref in route.parent_refs:
            gateway = index.gateways.nearest(route.obj, (ref.namespace or route.obj.namespace or "default", ref.name))
            if gateway is not None and all(gateway is not g for g in out):
                out.append(gateway)
    return tuple(out)


def policies_selecting(index: NetworkIndex, workload: Workload) -> tuple[NetworkPolicy, ...]:
    return tuple(
        p
        for p in index.network_policies.visible(workload.obj, workload.namespace)
        if p.governs_ingress and p.pod_selector.matches(workload.pod.labels) and may_link(p.obj, workload.obj)
    )


def link_installations(model: "Model") -> list[Installation]:
    index = model.network
    sources = EnvSources.of(model)
    out = []
    for workload in model.workloads:
        containers = tuple(c for c in workload.pod.containers if c.is_headlamp)
        if not containers:
            continue
        services = with_aliases(index, services_selecting(index, workload))
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
                service_account_object=model.service_account(workload.namespace, account, workload.obj),
                permissions=model.rbac.permissions_of(workload.namespace, account, workload.obj),
            )
        )
    return out
