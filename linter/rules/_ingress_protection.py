"""Shared check for HL505/HL506: an Ingress to Headlamp lacks a protection its controller offers."""

from __future__ import annotations

from typing import TYPE_CHECKING, Iterator

from linter.diagnostics import Finding, Severity
from linter.model.ingress_controls import ingress_controls, middleware_index
from linter.rules._network import ingresses_in_scope

if TYPE_CHECKING:
    from linter.model import Model
    from linter.rules.base import RuleContext


def missing_protection(
    model: "Model", ctx: "RuleContext", feature: str, what: str, how: dict[str, str]
) -> Iterator[Finding]:
    """Findings for Ingresses without ``feature``; ``how`` says per controller what to add.

    An unknown controller, or a Traefik middleware that is not in the input,
    can't be checked: that is reported as info, never guessed either way.
    """
    middlewares = middleware_index(model.middlewares, model.twins)
    for ingress in ingresses_in_scope(model, ctx):
        controls = ingress_controls(ingress, middlewares)
        if controls.provided(feature):
            continue
        if controls.controller is None:
            yield Finding(
                controls.anchor,
                f"{ingress.obj.ref} uses an ingress controller headlamp-lint does not know"
                f" (class {ingress.ingress_class or 'unset'}): headlamp-lint can't check it for {what}",
                ingress.obj.ref,
                "metadata.annotations",
                Severity.INFO,
            )
            continue
        if controls.unresolved:
            yield Finding(
                controls.anchor,
                f"{ingress.obj.ref} has no {what} unless middleware {', '.join(controls.unresolved)} (not in the"
                " input) provides it; lint the Middleware objects together with the Ingress",
                ingress.obj.ref,
                "metadata.annotations",
                Severity.INFO,
            )
            continue
        yield Finding(
            controls.anchor,
            f"{ingress.obj.ref} ({controls.controller}) has no {what}; {how[controls.controller]}",
            ingress.obj.ref,
            "metadata.annotations",
        )
