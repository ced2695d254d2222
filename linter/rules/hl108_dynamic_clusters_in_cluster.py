"""## What it does
Reports `-enable-dynamic-clusters` or `-allow-kubeconfig-changes` on a server
that also runs `-in-cluster`.

## Why is this bad?
In-cluster, Headlamp skips its backend-token check, so these flags let
anyone who can reach the server add, rename or delete the server-side
cluster entries (the kubeconfig is written to disk): a visitor can point
other users at a cluster they control, or remove clusters.

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
      args: ["-in-cluster", "-enable-dynamic-clusters"]
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
      args: ["-in-cluster"]
```

## Options
None.

## References
- https://headlamp.dev/docs/latest/installation/in-cluster/
"""

from __future__ import annotations

from typing import Iterator

from linter.diagnostics import Finding, Severity
from linter.rules._server import phrase, servers
from linter.rules.base import RuleMeta

RULE = RuleMeta(
    id="HL108",
    name="dynamic-clusters-in-cluster",
    title="Cluster configuration can be changed by any visitor",
    severity=Severity.ERROR,
    security_severity=7.5,
    tags=("headlamp",),
)

FLAGS = ("enable-dynamic-clusters", "allow-kubeconfig-changes")


def check(model, ctx) -> Iterator[Finding]:
    for server in servers(model):
        if not server.enabled("in-cluster"):
            continue
        for flag in FLAGS:
            setting = server.get(flag)
            if setting is not None and setting.value is True:
                yield server.finding(
                    setting.fact.location,
                    f"{phrase(setting)} on an in-cluster server: anyone who reaches it can add, change or"
                    " delete clusters",
                    flag,
                )
