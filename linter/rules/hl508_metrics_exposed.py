"""## What it does
Reports a Headlamp server started with `-metrics-enabled` (arg, env, or
values `config.extraArgs`) while Headlamp is reachable from outside the
cluster: an Ingress or HTTPRoute routes to it, or a LoadBalancer or
NodePort Service selects it. The finding is on the setting.

## Why is this bad?
Headlamp serves `/metrics` without authentication on its main port, so
whoever reaches the Ingress reads request paths, cluster names and load
figures.

## Example
```yaml
# manifest
apiVersion: apps/v1
kind: Deployment
metadata:
  name: headlamp
spec:
  selector:
    matchLabels: {app: headlamp}
  template:
    metadata:
      labels: {app: headlamp}
    spec:
      containers:
        - name: headlamp
          image: ghcr.io/headlamp-k8s/headlamp:v0.45.0
          args: ["-in-cluster", "-metrics-enabled"]
---
apiVersion: v1
kind: Service
metadata:
  name: headlamp
spec:
  type: LoadBalancer
  selector: {app: headlamp}
  ports:
    - port: 80
      targetPort: 4466
```

## Use instead
```yaml
# manifest
apiVersion: apps/v1
kind: Deployment
metadata:
  name: headlamp
spec:
  selector:
    matchLabels: {app: headlamp}
  template:
    metadata:
      labels: {app: headlamp}
    spec:
      containers:
        - name: headlamp
          image: ghcr.io/headlamp-k8s/headlamp:v0.45.0
          args: ["-in-cluster", "-metrics-enabled"]
---
apiVersion: v1
kind: Service
metadata:
  name: headlamp
spec:
  type: ClusterIP
  selector: {app: headlamp}
  ports:
    - port: 80
      targetPort: 4466
```

## Options
None.

## References
- https://headlamp.dev/docs/latest/installation/
"""

from __future__ import annotations

from typing import Iterator

from linter.diagnostics import Finding, Severity
from linter.rules._network import exposure
from linter.rules.base import RuleMeta

RULE = RuleMeta(
    id="HL508",
    name="metrics-exposed",
    title="Headlamp serves /metrics while exposed",
    severity=Severity.WARNING,
    security_severity=4.0,
    tags=("server", "exposure"),
)


def check(model, ctx) -> Iterator[Finding]:
    for installation in model.installations:
        if not installation.is_exposed:
            continue
        for server in installation.servers:
            if not server.enabled("metrics-enabled"):
                continue
            setting = server.get("metrics-enabled")
            assert setting is not None
            yield Finding(
                setting.fact.location,
                f"{installation.name} has -metrics-enabled ({setting.describe()}) and is exposed through"
                f" {exposure(installation)}: /metrics is served without authentication on the main port;"
                " turn it off or block /metrics at the edge",
                installation.ref,
                setting.fact.key,
            )
