"""``charts/headlamp/templates/serviceaccount.yaml``: the ServiceAccount, when ``serviceAccount.create``.

Chart versions: 0.1.0 added it; 0.36.0 moved its namespace to
``headlamp.namespace`` (see ``_helpers``). Unchanged otherwise.
"""

from __future__ import annotations

from linter.values.templates import _helpers
from linter.values.templates.context import Context, truthy

TEMPLATE = "serviceaccount.yaml"


def render(ctx: Context) -> None:
    create = ctx.v("serviceAccount.create")
    if not truthy(create):
        return
    name, _ = _helpers.service_account_name(ctx)
    ctx.obj("v1", "ServiceAccount", "serviceAccount.create", create, [
        ("metadata", _helpers.metadata(ctx, name, "serviceAccount.create", create,
                                   annotations="serviceAccount.annotations")),
    ])
