"""Shared logic for the RBAC rules (HL3xx): which grants and role rules are in scope, and how to word them."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Iterator

from linter.located import Located, Origin
from linter.model.rbac import Binding, Grant, Match, RbacRule, Role

if TYPE_CHECKING:
    from linter.model import Model
    from linter.rules.base import RuleContext


def headlamp_grants(model: "Model", ctx: "RuleContext") -> Iterator[tuple[Grant, str]]:
    """Each grant reaching a Headlamp ServiceAccount (every binding with --all-workloads), with who it reaches."""
    seen: set[int] = set()
    for installation in model.installations:
        if installation.permissions is None:
            continue
        account = f"ServiceAccount {installation.workload.namespace}/{installation.service_account}"
        for grant in installation.permissions.grants:
            if id(grant.binding) not in seen:
                seen.add(id(grant.binding))
                via = f" through {grant.subject}" if grant.subject.kind == "Group" else ""
                yield grant, f"Headlamp's {account}{via}"
    if ctx.all_workloads:
        for binding in model.bindings:
            if id(binding) in seen:
                continue
            seen.add(id(binding))
            for subject in binding.subjects[:1]:
                yield model.rbac.grant(binding, subject), ", ".join(str(s) for s in binding.subjects)


@dataclass(frozen=True)
class ScopedRule:
    """A role rule written in the input that is in scope, with the role it is written in and why it matters."""

    rule: RbacRule
    role: Role
    reason: str  # "reaches Headlamp's ServiceAccount …" or "" with --all-workloads


def rules_in_scope(model: "Model", ctx: "RuleContext") -> Iterator[ScopedRule]:
    """Rules of roles that reach Headlamp (any binding, aggregation included); every role's with --all-workloads.

    Built-in roles have no rules in the input: HL301 and HL307 report
    bindings to them instead.
    """
    seen: set[int] = set()
    for grant, reached in headlamp_grants(model, ctx):
        if grant.role is None:
            continue
        for rule in grant.rules:
            owner = model.rbac.owner(rule)
            if rule.location is None or owner is None or id(rule) in seen:
                continue
            seen.add(id(rule))
            via = f" through {grant.binding.obj.ref}"
            yield ScopedRule(rule, owner, f"; it reaches {reached}{via}")
    if ctx.all_workloads:
        for role in model.rbac.roles:
            for rule in role.rules:
                if rule.location is not None and id(rule) not in seen:
                    seen.add(id(rule))
                    yield ScopedRule(rule, role, "")


def allowed(rule: RbacRule, verbs: tuple[str, ...], group: str, resources: tuple[str, ...]) -> list[Match]:
    """The matches of ``rule`` for any of the verbs on any of the resources (any object name)."""
    out = []
    for resource in resources:
        for verb in verbs:
            match = rule.match(verb, group, resource)
            if match is not None:
                out.append(match)
    return out


def role_ref_hint(binding: Binding, wanted: str) -> str:
    """How to change a binding's role: in the manifest, or in the values that render it."""
    fact: Located = binding.role_name
    # an umbrella chart's values hold the chart's under its dependency key: name the full path
    create = fact.key.rpartition("clusterRoleBinding.")[0] + "clusterRoleBinding.create"
    if fact.origin is Origin.CHART_DEFAULT:
        return (
            f"the chart default renders it ({fact.key}); set {create}: false or"
            f" {fact.key}: {wanted} in your values"
        )
    if fact.origin is Origin.VALUES:
        return f"set by values key {fact.key}; change it to {wanted} or set {create}: false"
    return f"bind {wanted} instead"


def bindings_in_scope(model: "Model", ctx: "RuleContext") -> Iterator[Binding]:
    """Bindings that reach a Headlamp ServiceAccount; every binding with --all-workloads."""
    if ctx.all_workloads:
        yield from model.bindings
        return
    seen: set[int] = set()
    for installation in model.installations:
        for grant in installation.permissions.grants if installation.permissions else ():
            if id(grant.binding) not in seen:
                seen.add(id(grant.binding))
                yield grant.binding


def grouped(matches: list[tuple[Located, str]]) -> list[tuple[Located, list[str]]]:
    """Group what each blamed list item allows, so one item gets one finding."""
    out: dict[tuple, tuple[Located, list[str]]] = {}
    for item, text in matches:
        key = (item.location.path, item.location.span)
        if key not in out:
            out[key] = (item, [])
        if text not in out[key][1]:
            out[key][1].append(text)
    return list(out.values())
