"""## What it does
Reports a container whose effective `allowPrivilegeEscalation` is not
`false`. A missing field counts (Kubernetes defaults it to true), and so does
`false` together with `privileged: true` or an added `SYS_ADMIN` capability,
which imply it.

## Why is this bad?
Without it, a process can gain more privileges than its parent through
setuid binaries or file capabilities (`no_new_privs` is not set). The
Headlamp chart's default `securityContext` does not set it.

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
        runAsUser: 100
```

```yaml
# values
securityContext:
  allowPrivilegeEscalation: true
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
        runAsUser: 100
        allowPrivilegeEscalation: false
```

`--fix` (safe) sets `allowPrivilegeEscalation: false` (or turns `true` into
`false`). The privileged and `SYS_ADMIN` cases have no automatic fix.

## Options
None.

## References
- https://kubernetes.io/docs/concepts/security/pod-security-standards/#restricted
- https://kubernetes.io/docs/tasks/configure-pod-container/security-context/
"""

from __future__ import annotations

from typing import Iterator

from linter.diagnostics import Finding, Severity
from linter.rules._containers import containers, finding, set_hint, subject
from linter.rules.base import FixEdit, FixSpec, RuleMeta

RULE = RuleMeta(
    id="HL404",
    name="privilege-escalation-allowed",
    title="Container allows privilege escalation",
    severity=Severity.ERROR,
    security_severity=7.0,
    tags=("container", "pod-security-standards"),
)


FIX = FixSpec(
    "safe",
    "sets securityContext.allowPrivilegeEscalation: false (or replaces true with false)",
    (FixEdit("", "false"),),
    applies_to="allowPrivilegeEscalation",
)

def check(model, ctx) -> Iterator[Finding]:
    for workload, container in containers(model, ctx):
        sec = container.security
        ape = sec.allow_privilege_escalation
        who = subject(workload, container)
        if ape.value is False:
            if sec.privileged.value is True:
                yield finding(
                    workload,
                    container,
                    sec.privileged.location,
                    f"{who} is privileged, which always allows privilege escalation"
                    f" despite {ape.key}: false",
                    sec.privileged.key,
                )
            else:
                for cap in sec.capabilities_add:
                    if cap.value.upper().removeprefix("CAP_") in ("SYS_ADMIN", "ALL"):
                        yield finding(
                            workload,
                            container,
                            cap.location,
                            f"{who} adds capability {cap.value}, which allows privilege escalation"
                            f" despite {ape.key}: false",
                            cap.key,
                        )
            continue
        state = "is true" if ape.value is True else "is not set (defaults to true)"
        yield finding(
            workload,
            container,
            ape.location,
            f"{who} allows privilege escalation: {ape.key} {state} ({set_hint(ape, 'false')})",
            ape.key,
        )
