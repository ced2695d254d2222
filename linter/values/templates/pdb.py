"""``charts/headlamp/templates/pdb.yaml``: the PodDisruptionBudget, when ``podDisruptionBudget.enabled``.

Chart versions: 0.36.0 added it; unchanged since.
"""

from __future__ import annotations

from linter.values.templates import _helpers
from linter.values.templates.context import Context, truthy

TEMPLATE = "pdb.yaml"


def render(ctx: Context) -> None:
    enabled = ctx.v("podDisruptionBudget.enabled")
    if not ctx.at_least("0.36.0") or not truthy(enabled):
        return
    key = "podDisruptionBudget.enabled"
    ctx.obj("policy/v1", "PodDisruptionBudget", key, enabled, [
        ("metadata", _helpers.metadata(ctx, _helpers.fullname(ctx), key, enabled)),
        ("spec", ctx.m([ctx.nonempty("podDisruptionBudget.minAvailable"),
                         ctx.nonempty("podDisruptionBudget.maxUnavailable"),
                         ctx.nonempty("podDisruptionBudget.unhealthyPodEvictionPolicy"),
                         ("selector", ctx.m([("matchLabels", _helpers.selector_labels(ctx, key, enabled))],
                                            key, enabled))],
                        key, enabled)),
    ])
