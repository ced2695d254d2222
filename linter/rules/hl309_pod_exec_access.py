"""## What it does
Reports a role rule reaching Headlamp's ServiceAccount (every role with
`--all-workloads`) that allows `pods/exec`, `pods/attach` or
`pods/portforward` (verbs `create` or `get`, as the API server checks for
streaming), or any verb on `nodes/proxy`. Subresources are matched
exactly: `pods/*`, `*/exec` and `*` include `pods/exec`; `pods` alone does
not. The finding is on the matching resource list item.

## Why is this bad?
Exec and attach run commands in any selected pod with that pod's
identity and secrets; port-forward reaches ports no Service exposes;
`nodes/proxy` talks to the kubelet API, which can run commands in every
pod of the node.

## Example
```yaml
# manifest
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRole
metadata:
  name: headlamp
rules:
  - apiGroups: [""]
    resources: ["pods", "pods/exec"]
    verbs: ["get", "create"]
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
    resources: ["pods", "pods/log"]
    verbs: ["get", "list"]
```

## Options
None.

## References
- https://kubernetes.io/docs/concepts/security/rbac-good-practices/#workload-creation
- https://kubernetes.io/docs/concepts/security/rbac-good-practices/#nodes-proxy
"""

from __future__ import annotations

from typing import Iterator

from linter.diagnostics import Finding, Severity
from linter.rules._rbac import grouped, rules_in_scope
from linter.rules.base import RuleMeta

RULE = RuleMeta(
    id="HL309",
    name="pod-exec-access",
    title="Role allows exec, attach, port-forward or node proxy",
    severity=Severity.WARNING,
    security_severity=6.5,
    tags=("identity",),
)

_POD_STREAMS = ("pods/exec", "pods/attach", "pods/portforward")
_ANY_VERB = ("get", "list", "watch", "create", "update", "patch", "delete")


def check(model, ctx) -> Iterator[Finding]:
    for scoped in rules_in_scope(model, ctx):
        hits = [
            (m.resource, stream)
            for stream in _POD_STREAMS
            for m in scoped.allowed(("create", "get"), "", (stream,))
        ]
        hits += [(m.resource, "nodes/proxy") for m in scoped.allowed(_ANY_VERB, "", ("nodes/proxy",))]
        for item, what in grouped(hits):
            yield Finding(
                scoped.location(item),
                f"{scoped.subject} allows {', '.join(what)}{scoped.quote(item, 'resources item')}{scoped.reason};"
                " remove it unless Headlamp users must exec with Headlamp's own identity",
                scoped.obj,
                scoped.key("rules.resources"),
            )
