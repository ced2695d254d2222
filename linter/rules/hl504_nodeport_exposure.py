"""## What it does
Reports a Service of type `NodePort` that selects Headlamp's pods (every
NodePort Service with `--all-workloads`), on its `type` value.

## Why is this bad?
A NodePort opens Headlamp's port on every node's addresses, outside any
Ingress (with its TLS, authentication and rate limiting) and often outside
the firewall rules made for the load balancer.

## Example
```yaml
# manifest
apiVersion: v1
kind: Service
metadata:
  name: headlamp
spec:
  type: NodePort
  selector: {app: headlamp}
  ports:
    - port: 80
      targetPort: 4466
```

```yaml
# values
service:
  type: NodePort
```

## Use instead
```yaml
# manifest
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

`--fix --unsafe-fixes` sets `service.type: ClusterIP` in a values file (the
chart then renders no node port). It is unsafe: whoever reached Headlamp
through the node port needs an Ingress or a port-forward afterwards.
Manifests are left to you (a `nodePort` field is invalid on a ClusterIP
Service).

## Options
None.

## References
- https://kubernetes.io/docs/concepts/services-networking/service/#type-nodeport
"""

from __future__ import annotations

from typing import Iterator

from linter.diagnostics import Finding, Severity
from linter.rules._network import services_in_scope
from linter.rules.base import FixEdit, FixSpec, RuleMeta

RULE = RuleMeta(
    id="HL504",
    name="nodeport-exposure",
    title="Headlamp is exposed through a NodePort Service",
    severity=Severity.WARNING,
    security_severity=5.5,
    tags=("network", "exposure"),
)

# Values files only: the chart's Service is blamed at the values key `service.type`.
FIX = FixSpec(
    "unsafe",
    "sets service.type: ClusterIP in values files (clients of the node port lose access)",
    (FixEdit("", "ClusterIP"),),
    applies_to="service.type",
)


def check(model, ctx) -> Iterator[Finding]:
    for service in services_in_scope(model, ctx):
        if service.service_type == "NodePort":
            yield Finding(
                service.type.location,
                f"{service.obj.ref} is a NodePort Service ({service.type.describe()}):"
                " the pods it selects are reachable on every node's address; use ClusterIP behind an Ingress",
                service.obj.ref,
                service.type.key,
            )
