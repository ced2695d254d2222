"""## What it does
Reports each dangerous Linux capability in a container's
`securityContext.capabilities.add`: `ALL`, `SYS_ADMIN`, `NET_ADMIN`,
`SYS_PTRACE`, `SYS_MODULE`, `DAC_READ_SEARCH`, `BPF`, `PERFMON`, `SYS_RAWIO`
(errors) and `NET_RAW` (a warning). Names are compared without case and with
or without the `CAP_` prefix.

## Why is this bad?
Each of these gives a way out of the container or into other workloads:
mounting filesystems, loading kernel modules, tracing other processes,
reading any file, rewriting the node's network. Headlamp needs none.

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
        capabilities:
          add: [SYS_ADMIN]
          drop: [ALL]
```

```yaml
# values
securityContext:
  capabilities:
    add: [SYS_ADMIN]
    drop: [ALL]
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
        capabilities:
          drop: [ALL]
```

## Options
- `dangerous-capabilities` (list of strings): the capabilities reported as
  errors.
- `warning-capabilities` (list of strings, default `[NET_RAW]`): the
  capabilities reported as warnings.

## References
- https://man7.org/linux/man-pages/man7/capabilities.7.html
- https://kubernetes.io/docs/concepts/security/pod-security-standards/#baseline
"""

from __future__ import annotations

from typing import Iterator

from linter.diagnostics import Finding, Severity
from linter.rules._containers import containers, finding, subject
from linter.rules.base import Option, RuleMeta

RULE = RuleMeta(
    id="HL406",
    name="dangerous-capabilities",
    title="Container adds a dangerous capability",
    severity=Severity.ERROR,
    security_severity=8.0,
    tags=("container", "pod-security-standards"),
    options=(
        Option(
            "dangerous-capabilities",
            "array",
            ["ALL", "SYS_ADMIN", "NET_ADMIN", "SYS_PTRACE", "SYS_MODULE", "DAC_READ_SEARCH", "BPF", "PERFMON",
             "SYS_RAWIO"],
            "Capabilities reported as errors when added.",
        ),
        Option("warning-capabilities", "array", ["NET_RAW"], "Capabilities reported as warnings when added."),
    ),
)


def _normal(name: str) -> str:
    return name.strip().upper().removeprefix("CAP_")


def check(model, ctx) -> Iterator[Finding]:
    errors = {_normal(c) for c in ctx.option(RULE, "dangerous-capabilities")}
    warnings = {_normal(c) for c in ctx.option(RULE, "warning-capabilities")}
    for workload, container in containers(model, ctx):
        for cap in container.security.capabilities_add:
            name = _normal(cap.value)
            if name in errors:
                severity = Severity.ERROR
            elif name in warnings:
                severity = Severity.WARNING
            else:
                continue
            yield finding(
                workload,
                container,
                cap.location,
                f"{subject(workload, container)} adds capability {cap.value}; remove it from {cap.key}",
                f"{cap.key}[{name}]",
                severity,
            )
