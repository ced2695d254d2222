"""## What it does
Reports a RoleBinding or ClusterRoleBinding that grants `cluster-admin` to
Headlamp's ServiceAccount: directly, or through a group every
ServiceAccount is in (`system:serviceaccounts`,
`system:serviceaccounts:<namespace>`, `system:authenticated`). The finding
is on the binding's `roleRef` name. This is the Headlamp chart's default
(`clusterRoleBinding.create: true` with `clusterRoleName: cluster-admin`);
from a values file it is reported at line 1 with the key to set. A role
of the input with a rule granting `*` verbs on `*` resources in `*` API
groups (no `resourceNames`) is cluster-admin by another name and is
reported the same way. With `--all-workloads`, every such binding is
reported.

## Why is this bad?
Headlamp's ServiceAccount token is mounted in its pod. With the default
binding, whoever gets that token (a compromised plugin, a path traversal, a
user told to run `kubectl create token`, or every visitor when
`-unsafe-use-service-account-token` is on) owns the cluster. Users should
act with their own identity (OIDC); the ServiceAccount needs little or
nothing.

## Example
```yaml
# manifest
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRoleBinding
metadata:
  name: headlamp-admin
roleRef:
  apiGroup: rbac.authorization.k8s.io
  kind: ClusterRole
  name: cluster-admin
subjects:
  - kind: ServiceAccount
    name: headlamp
    namespace: kube-system
```

```yaml
# values
clusterRoleBinding:
  create: true
  clusterRoleName: cluster-admin
```

## Use instead
```yaml
# manifest
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRoleBinding
metadata:
  name: headlamp-view
roleRef:
  apiGroup: rbac.authorization.k8s.io
  kind: ClusterRole
  name: view
subjects:
  - kind: ServiceAccount
    name: headlamp
    namespace: kube-system
```

```yaml
# values
clusterRoleBinding:
  create: false
```

`--fix` (safe) sets `clusterRoleBinding.create: false` in a values file, so
the chart renders no cluster-admin binding (users then act with their own
OIDC or token permissions). Manifests are left to you: which role to bind
instead depends on what your users should do.

## Options
None.

## References
- https://kubernetes.io/docs/concepts/security/rbac-good-practices/#least-privilege
- https://headlamp.dev/docs/latest/installation/in-cluster/
"""

from __future__ import annotations

from typing import Iterator

from linter.diagnostics import Finding, Severity
from linter.model.rbac import RbacRule
from linter.rules._rbac import headlamp_grants, role_ref_hint
from linter.rules.base import FixEdit, FixSpec, RuleMeta

RULE = RuleMeta(
    id="HL301",
    name="cluster-admin-binding",
    title="Headlamp's ServiceAccount is bound to cluster-admin",
    severity=Severity.ERROR,
    security_severity=9.0,
    tags=("identity",),
)

# Values files only: the finding's key there is `clusterRoleBinding.clusterRoleName` or `.create`.
FIX = FixSpec(
    "safe",
    "sets clusterRoleBinding.create: false in values files (no cluster-admin binding is rendered)",
    (FixEdit("create", "false"),),
    applies_to=("clusterRoleBinding.clusterRoleName", "clusterRoleBinding.create"),
)


def _everything(rule: RbacRule) -> bool:
    """``*`` verbs on ``*`` resources in ``*`` API groups, for any object name: all cluster-admin has."""
    return (
        not rule.resource_names
        and any(v.value == "*" for v in rule.verbs)
        and any(g.value == "*" for g in rule.api_groups)
        and any(r.value == "*" for r in rule.resources)
    )


def check(model, ctx) -> Iterator[Finding]:
    for grant, reached in headlamp_grants(model, ctx):
        binding = grant.binding
        if binding.role_kind == "ClusterRole" and binding.role_name.value == "cluster-admin":
            what = "cluster-admin"
        elif grant.role is not None and any(_everything(rule) for rule in grant.rules):
            what = f'{grant.role}, which allows "*" verbs on "*" resources in "*" API groups (all cluster-admin has),'
        else:
            continue
        where = "in every namespace" if binding.cluster_wide else f"in namespace {binding.namespace}"
        yield Finding(
            binding.role_name.location,
            f"{binding.obj.ref} grants {what} {where} to {reached};"
            f" {role_ref_hint(binding, 'a least-privilege ClusterRole')}",
            binding.obj.ref,
            binding.role_name.key,
        )
