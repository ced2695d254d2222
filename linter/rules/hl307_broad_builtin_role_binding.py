"""## What it does
Reports a ClusterRoleBinding that grants the built-in ClusterRole `admin`
or `edit` to Headlamp's ServiceAccount (every such binding with
`--all-workloads`), including the chart's binding when values set
`clusterRoleBinding.clusterRoleName: admin` or `edit`. The finding is on
the `roleRef` name. (`cluster-admin` is HL301.)

## Why is this bad?
Bound cluster-wide, `admin` and `edit` can read every Secret, exec into
every pod and impersonate every ServiceAccount of every namespace,
`kube-system` included: nearly cluster-admin.

## Example
```yaml
# manifest
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRoleBinding
metadata:
  name: headlamp-edit
roleRef:
  apiGroup: rbac.authorization.k8s.io
  kind: ClusterRole
  name: edit
subjects:
  - kind: ServiceAccount
    name: headlamp
    namespace: kube-system
```

```yaml
# values
clusterRoleBinding:
  clusterRoleName: edit
```

## Use instead
```yaml
# manifest
apiVersion: rbac.authorization.k8s.io/v1
kind: RoleBinding
metadata:
  name: headlamp-edit
  namespace: team-a
roleRef:
  apiGroup: rbac.authorization.k8s.io
  kind: ClusterRole
  name: edit
subjects:
  - kind: ServiceAccount
    name: headlamp
    namespace: kube-system
```

## Options
None.

## References
- https://kubernetes.io/docs/reference/access-authn-authz/rbac/#user-facing-roles
"""

from __future__ import annotations

from typing import Iterator

from linter.diagnostics import Finding, Severity
from linter.model.rbac import BROAD_BUILTIN_ROLES
from linter.rules._rbac import headlamp_grants, role_ref_hint
from linter.rules.base import RuleMeta

RULE = RuleMeta(
    id="HL307",
    name="broad-builtin-role-binding",
    title="Headlamp's ServiceAccount is bound cluster-wide to admin or edit",
    severity=Severity.WARNING,
    security_severity=6.0,
    tags=("identity",),
)


def check(model, ctx) -> Iterator[Finding]:
    for grant, reached in headlamp_grants(model, ctx):
        binding = grant.binding
        name = binding.role_name.value
        if not binding.cluster_wide or binding.role_kind != "ClusterRole" or name not in BROAD_BUILTIN_ROLES:
            continue
        yield Finding(
            binding.role_name.location,
            f"{binding.obj.ref} grants the built-in ClusterRole {name} in every namespace to {reached};"
            f" {role_ref_hint(binding, 'a least-privilege ClusterRole (or use RoleBindings per namespace)')}",
            binding.obj.ref,
            binding.role_name.key,
        )
