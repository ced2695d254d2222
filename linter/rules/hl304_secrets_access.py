"""## What it does
Reports a role rule reaching Headlamp's ServiceAccount (every role with
`--all-workloads`) that allows `get`, `list` or `watch` on `secrets` in
the core API group, by name (`secrets`) or by wildcard (`*`). A rule
limited by `resourceNames` does not count: it reads only the Secrets it
names. The finding is on the resource list item that matches.

## Why is this bad?
Secrets hold other ServiceAccounts' tokens, TLS keys and cloud
credentials: reading them is a step to every identity in reach. Headlamp's
own token should not be able to read them; users who need to see Secrets
should do so with their own identity.

## Example
```yaml
# manifest
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRole
metadata:
  name: headlamp
rules:
  - apiGroups: [""]
    resources: ["pods", "secrets"]
    verbs: ["get", "list"]
```

## Use instead
```yaml
# manifest
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRole
metadata:
  name: headlamp
rules:
  - apiGroups: [""]
    resources: ["pods"]
    verbs: ["get", "list"]
  - apiGroups: [""]
    resources: ["secrets"]
    resourceNames: ["headlamp-oidc"]
    verbs: ["get"]
```

## Options
None.

## References
- https://kubernetes.io/docs/concepts/security/rbac-good-practices/#listing-secrets
"""

from __future__ import annotations

from typing import Iterator

from linter.diagnostics import Finding, Severity
from linter.rules._rbac import grouped, rules_in_scope
from linter.rules.base import RuleMeta

RULE = RuleMeta(
    id="HL304",
    name="secrets-access",
    title="Role can read Secrets",
    severity=Severity.WARNING,
    security_severity=6.0,
    tags=("secrets",),
)


def check(model, ctx) -> Iterator[Finding]:
    for scoped in rules_in_scope(model, ctx):
        matches = scoped.allowed(("get", "list", "watch"), "", ("secrets",))
        for item, verbs in grouped([(m.resource, m.verb.value if m.verb.value != "*" else "*") for m in matches]):
            yield Finding(
                scoped.location(item),
                f"{scoped.subject} can {'/'.join(verbs)} secrets{scoped.quote(item, 'resources item')}{scoped.reason};"
                " remove it or limit it with resourceNames",
                scoped.obj,
                scoped.key("rules.resources"),
            )
