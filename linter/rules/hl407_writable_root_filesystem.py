"""## What it does
Reports a container whose `securityContext.readOnlyRootFilesystem` is not
`true`.

## Why is this bad?
A writable root filesystem lets an attacker who gets code execution drop
tools and modify the application's own files (Headlamp's frontend and
plugins live in the image). Headlamp only needs a writable `/tmp`; the chart
adds an `emptyDir` for it (since chart 0.42.0) when you set
`readOnlyRootFilesystem: true`.

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
        readOnlyRootFilesystem: false
```

```yaml
# values
securityContext:
  readOnlyRootFilesystem: false
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
        readOnlyRootFilesystem: true
      volumeMounts:
        - name: tmp
          mountPath: /tmp
  volumes:
    - name: tmp
      emptyDir: {}
```

`--fix` (safe) sets `readOnlyRootFilesystem: true` and, in manifests, mounts an
`emptyDir` at `/tmp` unless something is mounted there already. In values
files it is applied for charts 0.42.0 and newer only, which add that emptyDir
themselves; for older charts a read-only root filesystem without a writable
`/tmp` could break Headlamp, so the finding is left to you.

## Options
None.

## References
- https://kubernetes.io/docs/tasks/configure-pod-container/security-context/
"""

from __future__ import annotations

from typing import Iterator

from linter.diagnostics import Finding, Severity
from linter.rules._containers import containers, finding, set_hint, subject
from linter.rules.base import FixEdit, FixSpec, RuleMeta

RULE = RuleMeta(
    id="HL407",
    name="writable-root-filesystem",
    title="Container root filesystem is writable",
    severity=Severity.WARNING,
    security_severity=5.0,
    tags=("container",),
)


FIX = FixSpec(
    "safe",
    "sets securityContext.readOnlyRootFilesystem: true and, in manifests, mounts an emptyDir at /tmp unless"
    " something is mounted there (in values files: charts 0.42.0+ only, which add that emptyDir themselves)",
    (FixEdit("", "true"),),
    tmp_volume=True,
    applies_to="readOnlyRootFilesystem",
)

def check(model, ctx) -> Iterator[Finding]:
    for workload, container in containers(model, ctx):
        ro = container.security.read_only_root_filesystem
        if ro.value is True:
            continue
        state = "is false" if ro.value is False else "is not set"
        yield finding(
            workload,
            container,
            ro.location,
            f"{subject(workload, container)} has a writable root filesystem: {ro.key} {state}"
            f" ({set_hint(ro, 'true')})",
            ro.key,
        )
