"""## What it does
Reports a pod whose `hostUsers` is `true` or unset, so it runs without a
user namespace. The Headlamp chart renders `hostUsers: true` (since chart
0.40.0) unless you set `hostUsers: false`.

## Why is this bad?
Without a user namespace, UID 0 in the container is UID 0 on the node, and
a container escape keeps the container's user IDs. With `hostUsers: false`
the container's users map to unprivileged IDs on the node. It needs
Kubernetes 1.33+ (or the feature gate) and a supporting runtime, so this is
informational.

## Example
```yaml
# manifest
apiVersion: v1
kind: Pod
metadata:
  name: headlamp
spec:
  hostUsers: true
  containers:
    - name: headlamp
      image: ghcr.io/headlamp-k8s/headlamp:v0.45.0
```

```yaml
# values
hostUsers: true
```

## Use instead
```yaml
# manifest
apiVersion: v1
kind: Pod
metadata:
  name: headlamp
spec:
  hostUsers: false
  containers:
    - name: headlamp
      image: ghcr.io/headlamp-k8s/headlamp:v0.45.0
```

## Options
None.

## References
- https://kubernetes.io/docs/concepts/workloads/pods/user-namespaces/
"""

from __future__ import annotations

from typing import Iterator

from linter.diagnostics import Finding, Severity
from linter.rules._containers import finding, set_hint
from linter.rules.base import RuleMeta

RULE = RuleMeta(
    id="HL411",
    name="host-users",
    title="Pod runs without a user namespace",
    severity=Severity.INFO,
    security_severity=3.0,
    tags=("pod",),
)


def check(model, ctx) -> Iterator[Finding]:
    for workload in ctx.workloads(model):
        fact = workload.pod.host_users
        if fact.value is False:
            continue
        state = "is true" if fact.value is True else "is not set"
        yield finding(
            workload,
            None,
            fact.location,
            f"{workload.obj.ref} runs without a user namespace: {fact.key} {state} ({set_hint(fact, 'false')})",
            fact.key,
        )
