"""Shared logic for the RBAC rules (HL3xx): which grants and role rules are in scope, and how to word them."""

from __future__ import annotations

from dataclasses import replace
from typing import TYPE_CHECKING, Iterator

from linter.located import Located, Location, Origin
from linter.model.objects import ObjectRef
from linter.model.rbac import Binding, Grant, Match, RbacRule, Role, takes_effect
from linter.records import record

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


@record(frozen=True)
class ScopedRule:
    """Role rules in scope, with the role they are written in and why they matter.

    For a role of the input, one rule (``rules`` has one item), blamed at
    its own list items. For a built-in role (``admin``, ``edit``, ``view``,
    ``system:*``; rules from linter/data/builtin_clusterroles.json), all of
    its rules at once, blamed at the ``roleRef`` name of the ``binding``
    that grants it. ``namespaced``: every grant that reaches the rules is
    in one namespace (a Role, or RoleBindings only), so cluster-scoped
    resources are out of their reach (``linter.model.rbac.takes_effect``).
    """

    rules: tuple[RbacRule, ...]
    role: Role
    reason: str  # "reaches Headlamp's ServiceAccount …" or "" with --all-workloads
    namespaced: bool = False
    binding: Binding | None = None  # set for a built-in role

    @property
    def rule(self) -> RbacRule:
        return self.rules[0]

    @property
    def subject(self) -> str:
        """The role in a message: ``ClusterRole x``, or ``the built-in ClusterRole edit granted by …``."""
        if self.binding is None:
            return str(self.role)
        return f"the built-in {self.role} granted by {self.binding.obj.ref}"

    @property
    def obj(self) -> ObjectRef | None:
        if self.binding is not None:
            return self.binding.obj.ref
        return self.role.obj.ref if self.role.obj else None

    def location(self, item: Located) -> Location:
        """Where to blame a list item of the rules: the item, or for a built-in role the binding's roleRef."""
        return self.binding.role_name.location if self.binding is not None else item.location

    def quote(self, item: Located, what: str = "") -> str:
        """`` (resources item "x")`` naming the blamed list item; nothing for a built-in role (no item to see)."""
        if self.binding is not None:
            return ""
        return f' ({what} "{item.value}")' if what else f' ("{item.value}")'

    def key(self, key: str) -> str:
        return self.binding.role_name.key if self.binding is not None else key

    def allowed(self, verbs: tuple[str, ...], group: str, resources: tuple[str, ...]) -> list[Match]:
        """The matches of the rules for any of the verbs on any of the resources (any object name), leaving
        out requests a namespaced grant cannot allow."""
        out = []
        for rule in self.rules:
            for resource in resources:
                for verb in verbs:
                    if self.namespaced and not takes_effect(verb, group, resource, namespaced=True):
                        continue
                    match = rule.match(verb, group, resource)
                    if match is not None:
                        out.append(match)
        return out


def rules_in_scope(model: "Model", ctx: "RuleContext") -> Iterator[ScopedRule]:
    """Rules of roles that reach Headlamp (any binding, aggregation included); every role's with --all-workloads.

    A rule of the input comes once, namespaced only when every grant that
    reaches it is; a built-in role comes once per binding that grants it.
    """
    found: dict[int, int] = {}  # id(rule) -> its place in order
    order: list[ScopedRule] = []
    for grant, reached in headlamp_grants(model, ctx):
        role = grant.role
        if role is None:
            continue
        via = f" through {grant.binding.obj.ref}"
        namespaced = grant.scope is not None
        if role.builtin:
            if grant.rules and role.name != "cluster-admin":  # binding cluster-admin is HL301's finding
                order.append(ScopedRule(grant.rules, role, f"; it reaches {reached}", namespaced, grant.binding))
            continue
        for rule in grant.rules:
            owner = model.rbac.owner(rule)
            if rule.location is None or owner is None:
                continue
            place = found.get(id(rule))
            if place is None:
                found[id(rule)] = len(order)
                order.append(ScopedRule((rule,), owner, f"; it reaches {reached}{via}", namespaced))
            elif order[place].namespaced and not namespaced:
                order[place] = replace(order[place], namespaced=False)
    yield from order
    if ctx.all_workloads:
        for role in model.rbac.roles:
            for rule in role.rules:
                if rule.location is not None and id(rule) not in found:
                    found[id(rule)] = -1
                    yield ScopedRule((rule,), role, "", role.kind == "Role")


def role_ref_hint(binding: Binding, wanted: str) -> str:
    """How to change a binding's role: in the manifest, or in the values that render it.

    From a values file the fact's key is ``clusterRoleBinding.clusterRoleName`` (the user's, or the
    chart default from chart 0.26.0 on) or ``clusterRoleBinding.create`` (the user's, or the chart
    default of a chart before 0.26.0, which always binds cluster-admin).
    """
    fact: Located = binding.role_name
    if fact.origin not in (Origin.CHART_DEFAULT, Origin.VALUES):
        return f"bind {wanted} instead"
    parent, _, leaf = fact.key.rpartition(".")
    create, role = f"{parent}.create", f"{parent}.clusterRoleName"
    if fact.origin is Origin.CHART_DEFAULT:
        if leaf == "create":
            return (f"the chart default renders it ({create}: true; this chart version always binds"
                    f" cluster-admin); set {create}: false in your values")
        return f"the chart default renders it; set {create}: false, or {role} to {wanted}, in your values"
    if leaf == "create":
        return (f"rendered because values key {create} is true; set it to false, or (chart 0.26.0 and later)"
                f" set {role} to {wanted}")
    return f"set by values key {role}; set it to {wanted}, or set {create}: false"


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
