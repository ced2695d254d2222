"""## What it does
Reports every binding in the input (whatever it reaches) whose subjects
include `system:anonymous` or `system:unauthenticated`, with any role, or
`system:authenticated` with a role beyond discovery (anything but
`system:discovery`, `system:basic-user` and `system:public-info-viewer`).
The finding is on the subject's name.

## Why is this bad?
`system:anonymous` and `system:unauthenticated` are whoever reaches the API
server without credentials. `system:authenticated` is every identity the
cluster accepts, every ServiceAccount of every namespace included, so
such a binding hands the role to every pod.

## Example
```yaml
# manifest
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRoleBinding
metadata:
  name: headlamp-anyone
roleRef:
  apiGroup: rbac.authorization.k8s.io
  kind: ClusterRole
  name: view
subjects:
  - kind: Group
    name: system:unauthenticated
    apiGroup: rbac.authorization.k8s.io
```

## Use instead
```yaml
# manifest
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRoleBinding
metadata:
  name: headlamp-viewers
roleRef:
  apiGroup: rbac.authorization.k8s.io
  kind: ClusterRole
  name: view
subjects:
  - kind: Group
    name: headlamp-viewers
    apiGroup: rbac.authorization.k8s.io
```

## Options
None.

## References
- https://kubernetes.io/docs/reference/access-authn-authz/rbac/#discovery-roles
- https://kubernetes.io/docs/reference/access-authn-authz/authentication/#anonymous-requests
"""

from __future__ import annotations

from typing import Iterator

from linter.diagnostics import Finding, Severity
from linter.model.rbac import DISCOVERY_ROLES
from linter.rules.base import RuleMeta

RULE = RuleMeta(
    id="HL306",
    name="binding-to-anonymous",
    title="Binding grants a role to anonymous or all authenticated users",
    severity=Severity.ERROR,
    security_severity=9.0,
    tags=("identity",),
)

_ANONYMOUS = ("system:anonymous", "system:unauthenticated")


def check(model, ctx) -> Iterator[Finding]:
    for binding in model.bindings:
        role = f"{binding.role_kind} {binding.role_name.value}"
        for subject in binding.subjects:
            if subject.kind not in ("User", "Group"):
                continue
            if subject.name in _ANONYMOUS:
                why = "anyone who reaches the API server without credentials"
            elif (
                subject.name == "system:authenticated"
                and not (binding.role_kind == "ClusterRole" and binding.role_name.value in DISCOVERY_ROLES)
            ):
                why = "every authenticated identity, every ServiceAccount of every namespace included"
            else:
                continue
            yield Finding(
                subject.location,
                f"{binding.obj.ref} grants {role} to {subject}: {why}; bind named users or groups",
                binding.obj.ref,
                "subjects.name",
            )
