"""## What it does
Reports Headlamp running as its namespace's `default` ServiceAccount (no
`serviceAccountName`, or `serviceAccountName: default`), and a binding
that reaches Headlamp and names a `default` ServiceAccount as subject. From
values, `serviceAccount.create: false` with an empty `serviceAccount.name`
makes the chart use `default` and bind it. With `--all-workloads`, every
binding to a `default` ServiceAccount is reported (not every workload: the
`default` account is where workloads without API access belong).

## Why is this bad?
Every pod of the namespace that sets no `serviceAccountName` runs as
`default`. Permissions granted to it for Headlamp (by default
cluster-admin) go to all of those pods too, and Headlamp's own token can't
be told apart from theirs in audit logs.

## Example
```yaml
# manifest
apiVersion: apps/v1
kind: Deployment
metadata:
  name: headlamp
  namespace: kube-system
spec:
  selector:
    matchLabels: {app: headlamp}
  template:
    metadata:
      labels: {app: headlamp}
    spec:
      containers:
        - name: headlamp
          image: ghcr.io/headlamp-k8s/headlamp:v0.45.0
```

```yaml
# values
serviceAccount:
  create: false
```

## Use instead
```yaml
# manifest
apiVersion: v1
kind: ServiceAccount
metadata:
  name: headlamp
  namespace: kube-system
---
apiVersion: apps/v1
kind: Deployment
metadata:
  name: headlamp
  namespace: kube-system
spec:
  selector:
    matchLabels: {app: headlamp}
  template:
    metadata:
      labels: {app: headlamp}
    spec:
      serviceAccountName: headlamp
      containers:
        - name: headlamp
          image: ghcr.io/headlamp-k8s/headlamp:v0.45.0
```

## Options
None.

## References
- https://kubernetes.io/docs/concepts/security/service-accounts/#default-service-accounts
- https://kubernetes.io/docs/concepts/security/rbac-good-practices/
"""

from __future__ import annotations

from typing import Iterator

from linter.diagnostics import Finding, Severity
from linter.located import Origin
from linter.rules._rbac import bindings_in_scope
from linter.rules.base import RuleMeta

RULE = RuleMeta(
    id="HL302",
    name="default-service-account",
    title="Headlamp uses, or a binding grants to, a default ServiceAccount",
    severity=Severity.ERROR,
    security_severity=7.0,
    tags=("identity",),
)


def check(model, ctx) -> Iterator[Finding]:
    for installation in model.installations:
        if installation.service_account != "default":
            continue
        fact = installation.workload.pod.service_account_name
        if fact.origin is Origin.MISSING:
            why = f"{fact.key} is not set"
        elif fact.origin in (Origin.CHART_DEFAULT, Origin.VALUES, Origin.DERIVED):
            why = f"{fact.describe()} gives \"default\" (set serviceAccount.create: true or serviceAccount.name)"
        else:
            why = f"{fact.key} is \"default\""
        yield Finding(
            fact.location,
            f"{installation.name} runs as the default ServiceAccount of namespace {installation.workload.namespace}"
            f" ({why}); give Headlamp its own ServiceAccount",
            installation.ref,
            fact.key,
        )
    for binding in bindings_in_scope(model, ctx):
        for subject in binding.subjects:
            if subject.kind == "ServiceAccount" and subject.name == "default":
                yield Finding(
                    subject.location,
                    f"{binding.obj.ref} grants {binding.role_kind} {binding.role_name.value} to {subject}, which"
                    " every pod of that namespace without a serviceAccountName runs as; bind a dedicated"
                    " ServiceAccount",
                    binding.obj.ref,
                    "subjects.name",
                )
