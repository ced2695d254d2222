"""## What it does
Reports a role rule reaching Headlamp's ServiceAccount (every role with
`--all-workloads`) that allows a privilege escalation:
`escalate` or `bind` on roles/clusterroles, `impersonate` on users, groups,
serviceaccounts or uids, `create` on roles, clusterroles, rolebindings or
clusterrolebindings, or `create` on `serviceaccounts/token`. Wildcards count
(`verbs: ["*"]` includes `escalate`). The finding is on the verb item for
`escalate`/`bind`/`impersonate`, and on the resource item for the `create`
cases.

## Why is this bad?
Each of these lets the holder obtain permissions it was not given: write a
role with more rights and bind it to itself, act as another user, or mint
a token for a more powerful ServiceAccount.

## Example
```yaml
# manifest
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRole
metadata:
  name: headlamp
rules:
  - apiGroups: [""]
    resources: ["users", "groups"]
    verbs: ["impersonate"]
  - apiGroups: ["rbac.authorization.k8s.io"]
    resources: ["clusterrolebindings"]
    verbs: ["create"]
```

## Use instead
```yaml
# manifest
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRole
metadata:
  name: headlamp
rules:
  - apiGroups: ["rbac.authorization.k8s.io"]
    resources: ["clusterrolebindings"]
    verbs: ["get", "list", "watch"]
```

## Options
None.

## References
- https://kubernetes.io/docs/concepts/security/rbac-good-practices/#privilege-escalation-risks
- https://kubernetes.io/docs/reference/access-authn-authz/rbac/#privilege-escalation-prevention-and-bootstrapping
"""

from __future__ import annotations

from typing import Iterator

from linter.diagnostics import Finding, Severity
from linter.model.rbac import RBAC_GROUP
from linter.rules._rbac import grouped, rules_in_scope
from linter.rules.base import RuleMeta

RULE = RuleMeta(
    id="HL305",
    name="rbac-escalation-verbs",
    title="Role allows privilege escalation",
    severity=Severity.ERROR,
    security_severity=8.0,
    tags=("identity",),
)

_ROLES = ("roles", "clusterroles")
_BINDINGS = ("rolebindings", "clusterrolebindings")

# (verbs, apiGroup, resources, blame "verb" or "resource", what it allows)
ESCALATIONS: tuple[tuple[tuple[str, ...], str, tuple[str, ...], str, str], ...] = (
    (("escalate",), RBAC_GROUP, _ROLES, "verb", "escalate (grant permissions it does not hold)"),
    (("bind",), RBAC_GROUP, _ROLES, "verb", "bind any role"),
    (("impersonate",), "", ("users", "groups", "serviceaccounts"), "verb", "impersonate other identities"),
    (("impersonate",), "authentication.k8s.io", ("uids",), "verb", "impersonate other identities"),
    (("create",), RBAC_GROUP, _ROLES + _BINDINGS, "resource", "create roles or bindings"),
    (("create",), "", ("serviceaccounts/token",), "resource", "mint ServiceAccount tokens"),
)


def check(model, ctx) -> Iterator[Finding]:
    for scoped in rules_in_scope(model, ctx):
        hits = []
        for verbs, group, resources, blame, what in ESCALATIONS:
            for match in scoped.allowed(verbs, group, resources):
                hits.append((match.verb if blame == "verb" else match.resource, what))
        for item, whats in grouped(hits):
            yield Finding(
                scoped.location(item),
                f"{scoped.subject} can {'; '.join(whats)}{scoped.quote(item)}{scoped.reason}; remove it",
                scoped.obj,
                scoped.key(item.key),
            )
