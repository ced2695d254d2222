"""## What it does
Reports a container whose `securityContext.capabilities.drop` does not
contain `ALL`.

## Why is this bad?
Container runtimes grant a default set of Linux capabilities (`CHOWN`,
`NET_RAW`, `SETUID`, …). Headlamp needs none of them; each one kept is
attack surface after a compromise. The Headlamp chart's default
`securityContext` drops none.

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
          drop: [NET_RAW]
```

```yaml
# values
securityContext:
  capabilities:
    drop: [NET_RAW]
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

`--fix` (safe) adds `ALL` to `capabilities.drop`, creating the list if needed.

## Options
None.

## References
- https://kubernetes.io/docs/concepts/security/pod-security-standards/#restricted
"""

from __future__ import annotations

from typing import Iterator

from linter.diagnostics import Finding, Severity
from linter.rules._containers import containers, finding, set_hint, subject
from linter.rules.base import FixEdit, FixSpec, RuleMeta

RULE = RuleMeta(
    id="HL405",
    name="capabilities-not-dropped",
    title="Container does not drop all capabilities",
    severity=Severity.WARNING,
    security_severity=5.5,
    tags=("container", "pod-security-standards"),
)

FIX = FixSpec(
    "safe",
    "adds ALL to securityContext.capabilities.drop (creating the list if needed)",
    (FixEdit("", "[ALL]", list_item="ALL"),),
    applies_to="capabilities.drop",
)

def check(model, ctx) -> Iterator[Finding]:
    for workload, container in containers(model, ctx):
        drop = container.security.capabilities_drop
        names = drop.value or ()
        if any(name.upper() in ("ALL", "CAP_ALL") for name in names):
            continue
        who = subject(workload, container)
        if names:
            message = f"{who} drops only {', '.join(names)}; add ALL to {drop.key}"
        else:
            message = f"{who} does not drop capabilities ({set_hint(drop, '[ALL]')})"
        yield finding(workload, container, drop.location, message, drop.key)
