"""Shared check logic for the container rules (HL4xx): which containers, and how to word a finding."""

from __future__ import annotations

from typing import TYPE_CHECKING, Iterator

from linter.diagnostics import Finding, Severity
from linter.located import Located, Location, Origin
from linter.model.workloads import Container, Workload

if TYPE_CHECKING:
    from linter.model import Model
    from linter.rules.base import RuleContext


def containers(model: "Model", ctx: "RuleContext") -> Iterator[tuple[Workload, Container]]:
    """Every container (init, main, ephemeral, sidecars) of the workloads in scope."""
    for workload in ctx.workloads(model):
        for container in workload.pod.containers:
            yield workload, container


def subject(workload: Workload, container: Container) -> str:
    role = {"initContainer": "init container", "ephemeralContainer": "ephemeral container"}.get(
        container.role, "container"
    )
    return f'{role} "{container.name}" of {workload.obj.ref}'


def set_hint(fact: Located, wanted: str) -> str:
    """How to fix a value that is missing or comes from the chart: what to write, and where."""
    if fact.origin is Origin.CHART_DEFAULT:
        return f"the chart default leaves it so; set {fact.key}: {wanted} in your values"
    if fact.origin is Origin.MISSING:
        return f"set {fact.key}: {wanted}"
    if fact.origin is Origin.VALUES:
        return f"set by values key {fact.key}; change it to {wanted}"
    return f"set {fact.key}: {wanted}"


def finding(
    workload: Workload,
    container: Container | None,
    location: Location,
    message: str,
    key: str,
    severity: Severity | None = None,
) -> Finding:
    prefix = f"{container.role}s[{container.name}]." if container is not None else ""
    return Finding(location, message, workload.obj.ref, prefix + key, severity,
                   on_headlamp=container is not None and container.is_headlamp)
