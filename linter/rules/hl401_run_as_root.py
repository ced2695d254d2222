"""## What it does
Reports a container that may run as root: its effective `runAsNonRoot` is
not `true` and it has no non-zero `runAsUser`, or its `runAsUser` is `0`.
For Headlamp it also reports images up to v0.17.0, which run as root by
default, when no non-zero `runAsUser` is set. Pod-level settings are
inherited by containers that do not set their own.

## Why is this bad?
A process running as UID 0 that escapes its container is root on the node,
and many container escapes need root inside the container first.

## Example
```yaml
# manifest
apiVersion: apps/v1
kind: Deployment
metadata:
  name: headlamp
spec:
  template:
    spec:
      containers:
        - name: headlamp
          image: ghcr.io/headlamp-k8s/headlamp:v0.45.0
          securityContext:
            runAsUser: 0
```

```yaml
# values
securityContext:
  runAsUser: 0
```

## Use instead
```yaml
# manifest
apiVersion: apps/v1
kind: Deployment
metadata:
  name: headlamp
spec:
  template:
    spec:
      containers:
        - name: headlamp
          image: ghcr.io/headlamp-k8s/headlamp:v0.45.0
          securityContext:
            runAsNonRoot: true
            runAsUser: 100
```

`--fix` (safe) sets `securityContext.runAsUser: 100` on the Headlamp container, the
user its image creates; other containers' users depend on their images and are
left to you.

## Options
None.

## References
- https://kubernetes.io/docs/concepts/security/pod-security-standards/#restricted
- https://headlamp.dev/docs/latest/installation/in-cluster/
"""

from __future__ import annotations

from typing import Iterator

from linter.diagnostics import Finding, Severity
from linter.model.headlamp import ImageRef
from linter.rules._containers import containers, finding, set_hint, subject
from linter.releases import release_data
from linter.rules.base import FixEdit, FixSpec, RuleMeta
from linter.versions import Version

RULE = RuleMeta(
    id="HL401",
    name="run-as-root",
    title="Container may run as root",
    severity=Severity.ERROR,
    security_severity=7.5,
    tags=("container", "pod-security-standards"),
)

# The shipped advisory table is the one source of truth for which images run as root.
ROOT_IMAGE_ADVISORY = "HEADLAMP-ROOT-IMAGE"


FIX = FixSpec(
    "safe",
    "sets securityContext.runAsUser: 100 on the Headlamp container (the image's headlamp user); other containers"
    " are left to you, since their images' users differ",
    (FixEdit("securityContext.runAsUser", "100", relative_to="container"),),
    headlamp_only=True,
)

def check(model, ctx) -> Iterator[Finding]:
    for workload, container in containers(model, ctx):
        sec = container.security
        user = sec.run_as_user
        who = subject(workload, container)
        if user.value == 0:
            yield finding(workload, container, user.location, f"{who} runs as root: {user.key} is 0", user.key)
            continue
        if isinstance(user.value, int) and user.value > 0:
            continue
        non_root = sec.run_as_non_root
        if non_root.value is not True:
            state = "is false" if non_root.value is False else "is not set"
            yield finding(
                workload,
                container,
                non_root.location,
                f"{who} may run as root: {non_root.key} {state} and no non-zero runAsUser"
                f" ({set_hint(non_root, 'true')})",
                non_root.key,
            )
            continue
        if container.is_headlamp and container.image.value:
            version = Version.parse(ImageRef.parse(container.image.value).tag)
            advisory = release_data().advisory(ROOT_IMAGE_ADVISORY)
            if version is not None and advisory.affects(version):
                yield finding(
                    workload,
                    container,
                    container.image.location,
                    f"{who} uses Headlamp {version}, whose image runs as root (up to v{advisory.last_affected}) and"
                    f" no non-zero runAsUser is set; set securityContext.runAsUser: 100 or upgrade to"
                    f" {advisory.fixed} or later",
                    container.image.key,
                )
