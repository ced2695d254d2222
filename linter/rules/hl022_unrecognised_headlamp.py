"""## What it does
Reports, once per container, a container that looks like Headlamp but is
not linted as Headlamp: its image repository's last path segment is
`headlamp` (a mirror or a private registry), yet it has none of the strong
signals headlamp-lint recognises Headlamp by: Headlamp's server binary
(`headlamp-server`), one of its server flags (`-in-cluster`,
`-plugins-dir`, `-kubeconfig`, `-oidc-*`…), a `HEADLAMP_CONFIG_*`
variable, or the Headlamp chart's labels on a container named `headlamp`.

## Why is this bad?
The Headlamp rules (authentication, TLS, server flags, updates) do not run
on a container that is not known to be Headlamp: a mirrored Headlamp that
runs with the image's defaults would otherwise pass without a word.

## Example
```yaml
# manifest
apiVersion: apps/v1
kind: Deployment
metadata:
  name: dashboard
spec:
  template:
    spec:
      containers:
        - name: ui
          image: harbor.example.com/mirror/headlamp:v0.45.0
```

## Use instead
Name the mirror in the configuration file (`.headlamp-lint.yaml`):
`headlamp-images: [harbor.example.com/mirror/headlamp]`. Or run it as
Headlamp is run, with its server flags, which recognises it too:

```yaml
# manifest
apiVersion: apps/v1
kind: Deployment
metadata:
  name: dashboard
spec:
  template:
    spec:
      containers:
        - name: ui
          image: harbor.example.com/mirror/headlamp:v0.45.0
          args: ["-in-cluster", "-plugins-dir=/headlamp/plugins"]
```

## Options
None (the `headlamp-images` setting of the configuration file adds image
repository patterns that are Headlamp).

## References
- https://headlamp.dev/docs/latest/installation/in-cluster/
"""

from __future__ import annotations

from typing import Iterator

from linter.diagnostics import Finding, Severity
from linter.rules._containers import finding, subject
from linter.rules.base import RuleMeta

RULE = RuleMeta(
    id="HL022",
    name="unrecognised-headlamp",
    title="A container looks like Headlamp but is not linted as Headlamp",
    severity=Severity.INFO,
    security_severity=2.0,
    tags=("input", "headlamp"),
)


def check(model, ctx) -> Iterator[Finding]:
    for workload in model.workloads:
        for container in workload.pod.containers:
            if container.is_headlamp or not container.looks_like_headlamp:
                continue
            image = container.image
            yield finding(
                workload,
                container,
                image.location,
                f"{subject(workload, container)} looks like Headlamp ({container.looks_like_headlamp}), so the"
                f" Headlamp rules do not check it; if it is Headlamp, add its repository to headlamp-images in"
                f" the configuration file to lint it",
                image.key,
            )
