"""``charts/headlamp/templates/cluster-inventory-configmap.yaml``: the cluster inventory provider file.

Chart versions: 0.43.0 added it (with ``config.clusterInventory``); unchanged since.
"""

from __future__ import annotations

from linter.values.templates import _helpers
from linter.values.templates.context import Context, truthy

TEMPLATE = "cluster-inventory-configmap.yaml"


def render(ctx: Context) -> None:
    """The cluster inventory access-provider file (no security content)."""
    inventory = ctx.v("config.clusterInventory.enabled")
    if not truthy(inventory):
        return
    key = "config.clusterInventory.accessProvidersConfig"
    name = f"{_helpers.fullname(ctx)}-cluster-inventory"
    ctx.obj("v1", "ConfigMap", "config.clusterInventory.enabled", inventory, [
        ("metadata", _helpers.metadata(ctx, name, "config.clusterInventory.enabled", inventory)),
        ("data", ctx.m([("config.json", ctx.v(key) or ctx.m([], key))], key, ctx.v(key))),
    ])
