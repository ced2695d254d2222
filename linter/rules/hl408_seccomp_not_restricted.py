"""## What it does
Reports a container without an effective seccomp profile of type
`RuntimeDefault` or `Localhost` (set on the container or inherited from the
pod). A profile of type `Unconfined` is an error.

## Why is this bad?
Without seccomp every system call is available to the container, including
the rarely used ones behind most kernel container escapes. The Headlamp
chart's default `securityContext` sets no profile.

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
        seccompProfile:
          type: Unconfined
```

```yaml
# values
securityContext:
  seccompProfile:
    type: Unconfined
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
    seccompProfile:
      type: RuntimeDefault
  containers:
    - name: headlamp
      image: ghcr.io/headlamp-k8s/headlamp:v0.45.0
```

`--fix` (safe) sets the container's `seccompProfile.type: RuntimeDefault`.

## Options
None.

## References
- https://kubernetes.io/docs/tutorials/security/seccomp/
"""

from __future__ import annotations

from typing import Iterator

from linter.diagnostics import Finding, Severity
from linter.rules._containers import containers, finding, set_hint, subject
from linter.rules.base import FixEdit, FixSpec, RuleMeta

RULE = RuleMeta(
    id="HL408",
    name="seccomp-not-restricted",
    title="Container has no RuntimeDefault or Localhost seccomp profile",
    severity=Severity.WARNING,
    security_severity=5.0,
    tags=("container", "pod-security-standards"),
)


FIX = FixSpec(
    "safe",
    "sets the container's securityContext.seccompProfile.type: RuntimeDefault",
    (FixEdit("", "RuntimeDefault"),),
    applies_to="seccompProfile.type",
)

def check(model, ctx) -> Iterator[Finding]:
    for workload, container in containers(model, ctx):
        profile = container.security.seccomp_type
        if profile.value in ("RuntimeDefault", "Localhost"):
            continue
        who = subject(workload, container)
        if profile.value == "Unconfined":
            yield finding(
                workload,
                container,
                profile.location,
                f"{who} runs without seccomp ({profile.key}: Unconfined); use RuntimeDefault",
                profile.key,
                Severity.ERROR,
            )
            continue
        state = f"is {profile.value}" if profile.value is not None else "is not set"
        yield finding(
            workload,
            container,
            profile.location,
            f"{who} has no seccomp profile: {profile.key} {state} ({set_hint(profile, 'RuntimeDefault')})",
            profile.key,
        )
