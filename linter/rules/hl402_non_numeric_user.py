"""## What it does
Reports a Headlamp container with `runAsNonRoot: true` but no numeric
`runAsUser`.

## Why is this bad?
The Headlamp image declares its user by name (`USER headlamp`). The kubelet
can only verify `runAsNonRoot` against a numeric user, so it refuses to start
the pod ("image has non-numeric user"): the hardening breaks the deployment,
and the usual "fix" is to drop `runAsNonRoot` again.

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
        runAsNonRoot: true
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
        runAsNonRoot: true
        runAsUser: 100
        runAsGroup: 101
```

`--fix` (safe) sets `securityContext.runAsUser: 100`, the Headlamp image's user.

## Options
None.

## References
- https://kubernetes.io/docs/tasks/configure-pod-container/security-context/
"""

from __future__ import annotations

from typing import Iterator

from linter.diagnostics import Finding, Severity
from linter.rules._containers import containers, finding, subject
from linter.rules.base import FixEdit, FixSpec, RuleMeta

RULE = RuleMeta(
    id="HL402",
    name="non-numeric-user",
    title="Headlamp requires runAsNonRoot without a numeric runAsUser",
    severity=Severity.WARNING,
    security_severity=3.0,
    tags=("container", "headlamp"),
)


FIX = FixSpec(
    "safe",
    "sets securityContext.runAsUser: 100 (the Headlamp image's headlamp user)",
    (FixEdit("securityContext.runAsUser", "100", relative_to="container"),),
    headlamp_only=True,
)

def check(model, ctx) -> Iterator[Finding]:
    for workload, container in containers(model, ctx):
        sec = container.security
        if not container.is_headlamp or sec.run_as_non_root.value is not True or sec.run_as_user.value is not None:
            continue
        yield finding(
            workload,
            container,
            sec.run_as_non_root.location,
            f"{subject(workload, container)} sets runAsNonRoot but no numeric runAsUser; the Headlamp image's"
            " user is a name, so the kubelet refuses to start it: set securityContext.runAsUser: 100",
            sec.run_as_non_root.key,
        )
