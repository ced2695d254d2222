"""Shared logic for the network rules (HL5xx): which objects are in scope, and how to name an exposure."""

from __future__ import annotations

from typing import TYPE_CHECKING, Iterator

from linter.located import Origin
from linter.model.network import Ingress, NetworkPolicy, Service
from linter.model.workloads import Workload

if TYPE_CHECKING:
    from linter.model import Model
    from linter.model.headlamp import Installation
    from linter.rules.base import RuleContext

OPEN_RANGES = frozenset({"0.0.0.0/0", "::/0"})


def _unique(items) -> list:
    seen: set[int] = set()
    out = []
    for item in items:
        if id(item) not in seen:
            seen.add(id(item))
            out.append(item)
    return out


def services_in_scope(model: "Model", ctx: "RuleContext") -> list[Service]:
    """Services that select Headlamp's pods; every Service with --all-workloads."""
    if ctx.all_workloads:
        return list(model.services)
    return _unique(s for i in model.installations for s in i.services)


def ingresses_in_scope(model: "Model", ctx: "RuleContext") -> list[Ingress]:
    """Ingresses that route to Headlamp; every Ingress with --all-workloads."""
    if ctx.all_workloads:
        return list(model.ingresses)
    return _unique(g for i in model.installations for g in i.ingresses)


def policies_in_scope(model: "Model", ctx: "RuleContext") -> list[NetworkPolicy]:
    """NetworkPolicies that select Headlamp's pods for ingress; every policy with --all-workloads."""
    if ctx.all_workloads:
        return list(model.network_policies)
    return _unique(p for i in model.installations for p in i.network_policies)


def workloads_in_scope(model: "Model", ctx: "RuleContext") -> Iterator[Workload]:
    if ctx.all_workloads:
        yield from model.workloads
    else:
        yield from (i.workload for i in model.installations)


def from_values(origin: Origin) -> bool:
    return origin in (Origin.VALUES, Origin.CHART_DEFAULT, Origin.DERIVED)


def exposure(installation: "Installation") -> str:
    """How Headlamp is reachable from outside, in a few words."""
    parts = [str(i.obj.ref) for i in installation.ingresses]
    parts += [str(r.obj.ref) for r in installation.http_routes]
    parts += [f"{s.obj.ref} ({s.exposure.what})" for s in installation.external_services if s.exposure]
    return ", ".join(parts)
