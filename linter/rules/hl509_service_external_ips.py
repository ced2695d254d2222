"""## What it does
Reports each `externalIPs` item of a Service that selects Headlamp's pods
(every Service with `--all-workloads`).

## Why is this bad?
`externalIPs` makes every node accept traffic for those addresses and send
it to Headlamp, outside any Ingress or load balancer controls; it is also
the mechanism of CVE-2020-8554 (intercepting traffic to those addresses).

## Example
```yaml
# manifest
apiVersion: v1
kind: Service
metadata:
  name: headlamp
spec:
  selector: {app: headlamp}
  externalIPs:
    - 203.0.113.10
  ports:
    - port: 80
      targetPort: 4466
```

## Use instead
```yaml
# manifest
apiVersion: v1
kind: Service
metadata:
  name: headlamp
spec:
  selector: {app: headlamp}
  ports:
    - port: 80
      targetPort: 4466
```

## Options
None.

## References
- https://kubernetes.io/docs/concepts/services-networking/service/#external-ips
- https://github.com/kubernetes/kubernetes/issues/97076
"""

from __future__ import annotations

from typing import Iterator

from linter.diagnostics import Finding, Severity
from linter.rules._network import services_in_scope
from linter.rules.base import RuleMeta

RULE = RuleMeta(
    id="HL509",
    name="service-external-ips",
    title="Service for Headlamp sets externalIPs",
    severity=Severity.WARNING,
    security_severity=5.0,
    tags=("network", "exposure"),
)


def check(model, ctx) -> Iterator[Finding]:
    for service in services_in_scope(model, ctx):
        for item in service.external_ips:
            yield Finding(
                item.location,
                f"{service.obj.ref} sets externalIP {item.value}: every node forwards that"
                " address to the pods it selects; use an Ingress or a LoadBalancer with source ranges",
                service.obj.ref,
                item.key,
            )
