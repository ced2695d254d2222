"""## What it does
Reports each `*` in the `verbs`, `resources` or `apiGroups` of a role rule
that reaches Headlamp's ServiceAccount (through a RoleBinding or
ClusterRoleBinding, directly or through an aggregated ClusterRole). With
`--all-workloads`, every Role and ClusterRole in the input is checked. The
finding is on the `*` list item.

## Why is this bad?
A wildcard grants everything that exists now and every resource or verb
added later (CRDs, subresources such as `pods/exec`, `escalate`), so the
role's real power can't be reviewed from the manifest.

## Example
```yaml
# manifest
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRole
metadata:
  name: headlamp
rules:
  - apiGroups: ["apps"]
    resources: ["*"]
    verbs: ["get", "list", "watch"]
```

## Use instead
```yaml
# manifest
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRole
metadata:
  name: headlamp
rules:
  - apiGroups: ["apps"]
    resources: ["deployments", "statefulsets", "daemonsets"]
    verbs: ["get", "list", "watch"]
```

## Options
None.

## References
- https://kubernetes.io/docs/concepts/security/rbac-good-practices/#minimize-use-of-wildcard-permissions
"""

from __future__ import annotations

from typing import Iterator

from linter.diagnostics import Finding, Severity
from linter.rules._rbac import rules_in_scope
from linter.rules.base import RuleMeta

RULE = RuleMeta(
    id="HL303",
    name="wildcard-rbac-rule",
    title="Role rule uses a wildcard",
    severity=Severity.WARNING,
    security_severity=5.0,
    tags=("identity",),
)


def check(model, ctx) -> Iterator[Finding]:
    for scoped in rules_in_scope(model, ctx):
        blamed = set()
        for rule in scoped.rules:
            for field, items in (
                ("apiGroups", rule.api_groups),
                ("resources", rule.resources),
                ("verbs", rule.verbs),
            ):
                for item in items:
                    if item.value != "*" or (scoped.binding is not None and field in blamed):
                        continue
                    blamed.add(field)
                    yield Finding(
                        scoped.location(item),
                        f"{scoped.subject} grants \"*\" in {field}{scoped.reason}; list what is needed",
                        scoped.obj,
                        scoped.key(f"rules.{field}"),
                    )
