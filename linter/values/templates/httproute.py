"""``charts/headlamp/templates/httproute.yaml``: the Gateway API HTTPRoute, when ``httpRoute.enabled``.

Chart versions: 0.40.0 added it; unchanged since.
"""

from __future__ import annotations

from linter.values.templates import _helpers
from linter.values.templates.context import Context, truthy

TEMPLATE = "httproute.yaml"


def render(ctx: Context) -> None:
    enabled = ctx.v("httpRoute.enabled")
    if not ctx.at_least("0.40.0") or not truthy(enabled):
        return
    key = "httpRoute.enabled"
    rules = ctx.v("httpRoute.rules")
    if not truthy(rules):
        rules = ctx.q([ctx.m([
            ("matches", ctx.build([(("path", (("type", "PathPrefix"), ("value", "/"))),)], key, enabled)),
            ("backendRefs", ctx.q([ctx.m([("name", ctx.s(_helpers.fullname(ctx), key, enabled)),
                                            ("port", ctx.v("service.port") or ctx.s(80, "service.port"))],
                                           key, enabled)], key, enabled)),
        ], key, enabled)], key, enabled)
    ctx.obj("gateway.networking.k8s.io/v1", "HTTPRoute", key, enabled, [
        ("metadata", _helpers.metadata(ctx, _helpers.fullname(ctx), key, enabled, annotations="httpRoute.annotations",
                                   labels_key="httpRoute.labels")),
        ("spec", ctx.m([ctx.pair("parentRefs", "httpRoute.parentRefs"), ctx.nonempty("httpRoute.hostnames"),
                         ("rules", rules)], key, enabled)),
    ])
