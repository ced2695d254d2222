"""## What it does
Reports a pod or container that runs with the root group: an effective
`runAsGroup: 0`, a pod `fsGroup: 0`, or `0` among the pod's
`supplementalGroups`. Each is reported at its value.

## Why is this bad?
Group 0 owns many sensitive files on the node and in images; a process in
it can read or write them after a container escape, even as a non-root user.

## Example
```yaml
# manifest
apiVersion: v1
kind: Pod
metadata:
  name: headlamp
spec:
  securityContext:
    fsGroup: 0
  containers:
    - name: headlamp
      image: ghcr.io/headlamp-k8s/headlamp:v0.45.0
      securityContext:
        runAsGroup: 0
```

```yaml
# values
securityContext:
  runAsGroup: 0
```

## Use instead
```yaml
# manifest
apiVersion: v1
kind: Pod
metadata:
  name: headlamp
spec:
  securityContext:
    fsGroup: 101
  containers:
    - name: headlamp
      image: ghcr.io/headlamp-k8s/headlamp:v0.45.0
      securityContext:
        runAsGroup: 101
```

## Options
None.

## References
- https://kubernetes.io/docs/tasks/configure-pod-container/security-context/
"""

from __future__ import annotations

from typing import Iterator

from linter.diagnostics import Finding, Severity
from linter.rules._containers import containers, finding, subject
from linter.rules.base import RuleMeta

RULE = RuleMeta(
    id="HL413",
    name="root-group",
    title="Pod or container runs with the root group",
    severity=Severity.WARNING,
    security_severity=4.0,
    tags=("container",),
)


def check(model, ctx) -> Iterator[Finding]:
    for workload in ctx.workloads(model):
        pod_sec = workload.pod.security
        if pod_sec.fs_group.value == 0:
            yield finding(
                workload, None, pod_sec.fs_group.location,
                f"{workload.obj.ref} sets {pod_sec.fs_group.key}: 0 (the root group)", pod_sec.fs_group.key,
            )
        for group in pod_sec.supplemental_groups:
            if group.value == 0:
                yield finding(
                    workload, None, group.location,
                    f"{workload.obj.ref} adds the root group (0) to {group.key}", group.key,
                )
    for workload, container in containers(model, ctx):
        group = container.security.run_as_group
        if group.value == 0:
            yield finding(
                workload, container, group.location,
                f"{subject(workload, container)} runs with the root group ({group.key}: 0)", group.key,
            )
