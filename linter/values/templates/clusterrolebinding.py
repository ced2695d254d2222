"""``charts/headlamp/templates/clusterrolebinding.yaml``: the ClusterRoleBinding, when ``clusterRoleBinding.create``.

Chart versions: 0.1.0 added it with the subject in ``kube-system``; 0.3.0
uses the release namespace; 0.26.0 binds ``clusterRoleBinding.clusterRoleName``
(before: always ``cluster-admin``); 0.36.0 ``headlamp.namespace``.
"""

from __future__ import annotations

from linter.values.templates import _helpers
from linter.values.templates.context import Context, truthy
from linter.yamlpos import ScalarNode

TEMPLATE = "clusterrolebinding.yaml"


def render(ctx: Context) -> None:
    create = ctx.v("clusterRoleBinding.create")
    if not truthy(create):
        return
    key = "clusterRoleBinding.create"
    role = ctx.v("clusterRoleBinding.clusterRoleName") if ctx.at_least("0.26.0") else None
    role_name = role.text if isinstance(role, ScalarNode) and role.value else "cluster-admin"
    # The role's blame: the user's clusterRoleName, else the user's `create: true`, else the chart default.
    role_like = role if role is not None and not ctx.eff.is_default(role) else (
        create if not ctx.eff.is_default(create) or role is None else role)
    sa_name, sa_like = _helpers.service_account_name(ctx)
    subject_ns = _helpers.namespace(ctx) if ctx.at_least("0.3.0") else "kube-system"
    ctx.obj("rbac.authorization.k8s.io/v1", "ClusterRoleBinding", key, create, [
        ("metadata", ctx.m([("name", ctx.s(f"{_helpers.fullname(ctx)}-admin", key, create)),
                             ("labels", _helpers.labels(ctx, key, create)),
                             ctx.nonempty("clusterRoleBinding.annotations")], key, create)),
        ("roleRef", ctx.m([("apiGroup", ctx.s("rbac.authorization.k8s.io", key, create)),
                            ("kind", ctx.s("ClusterRole", key, create)),
                            ("name", ctx.s(role_name, "clusterRoleBinding.clusterRoleName", role_like))],
                           key, create)),
        ("subjects", ctx.q([ctx.m([("kind", ctx.s("ServiceAccount", key, create)),
                                     ("name", ctx.s(sa_name, "serviceAccount.name", sa_like)),
                                     ("namespace", ctx.s(subject_ns, "namespaceOverride", create))],
                                    key, create)], key, create)),
    ])
