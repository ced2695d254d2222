"""## What it does
Reports a container with `securityContext.privileged: true`.

## Why is this bad?
A privileged container has every capability and all host devices: it is
root on the node in all but name. Headlamp never needs it.

## Example
```yaml
# manifest
apiVersion: v1
kind: Pod
metadata:
  name: headlamp
spec:
  containers:
    - name: headlamp
      image: ghcr.io/headlamp-k8s/headlamp:v0.45.0
      securityContext:
        privileged: true
```

```yaml
# values
securityContext:
  privileged: true
```

## Use instead
```yaml
# manifest
apiVersion: v1
kind: Pod
metadata:
  name: headlamp
spec:
  containers:
    - name: headlamp
      image: ghcr.io/headlamp-k8s/headlamp:v0.45.0
      securityContext:
        privileged: false
```

## Options
None.

## References
- https://kubernetes.io/docs/concepts/security/pod-security-standards/#baseline
"""

from __future__ import annotations

from typing import Iterator

from linter.diagnostics import Finding, Severity
from linter.rules._containers import containers, finding, subject
from linter.rules.base import RuleMeta

RULE = RuleMeta(
    id="HL403",
    name="privileged-container",
    title="Container is privileged",
    severity=Severity.ERROR,
    security_severity=9.0,
    tags=("container", "pod-security-standards"),
)


def check(model, ctx) -> Iterator[Finding]:
    for workload, container in containers(model, ctx):
        privileged = container.security.privileged
        if privileged.value is True:
            yield finding(
                workload,
                container,
                privileged.location,
                f"{subject(workload, container)} is privileged ({privileged.key}: true): it has full access"
                " to the node",
                privileged.key,
            )
