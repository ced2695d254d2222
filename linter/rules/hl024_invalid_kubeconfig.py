"""## What it does
Reports a kubeconfig that Headlamp is given (`-kubeconfig`,
`HEADLAMP_CONFIG_KUBECONFIG` or `KUBECONFIG`, mounted from a Secret or
ConfigMap of the input) that cannot be read: not valid YAML, not a
mapping, or Secret data that is not text. It is reported at the entry
that holds it.

## Why is this bad?
Headlamp fails to start (or starts without the cluster) with a kubeconfig
it cannot parse, and headlamp-lint cannot check the credentials it holds
(HL111).

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
          env:
            - name: KUBECONFIG
              value: /etc/headlamp/config
          volumeMounts:
            - name: kubeconfig
              mountPath: /etc/headlamp/config
              subPath: config
      volumes:
        - name: kubeconfig
          configMap:
            name: headlamp-kubeconfig
---
apiVersion: v1
kind: ConfigMap
metadata:
  name: headlamp-kubeconfig
data:
  config: "users: [unclosed"
```

## Use instead
```yaml
# manifest
apiVersion: v1
kind: ConfigMap
metadata:
  name: headlamp-kubeconfig
data:
  config: |
    apiVersion: v1
    kind: Config
    clusters: []
```

## Options
None.

## References
- https://kubernetes.io/docs/concepts/configuration/organize-cluster-access-kubeconfig/
"""

from __future__ import annotations

from typing import Iterator

from linter.diagnostics import Finding, Severity
from linter.model.env_sources import EnvSources
from linter.model.kubeconfig import kubeconfigs_of
from linter.rules.base import RuleMeta

RULE = RuleMeta(
    id="HL024",
    name="invalid-kubeconfig",
    title="The kubeconfig Headlamp is given cannot be read",
    severity=Severity.ERROR,
    security_severity=2.0,
    tags=("input", "headlamp"),
)


def check(model, ctx) -> Iterator[Finding]:
    sources = EnvSources.of(model)
    for installation in model.installations:
        for container, _settings, config in kubeconfigs_of(model, installation, sources):
            if config.problem is None:
                continue
            yield Finding(
                config.location,
                f'the kubeconfig {config.path} of Headlamp container "{container.name}" of {installation.ref}'
                f" ({config.given_by}; held in {config.held_in}) cannot be read: {config.problem}",
                installation.ref,
                f"containers[{container.name}].-kubeconfig",
            )
