"""## What it does
Reports a Service of type `LoadBalancer` that selects Headlamp's pods
(every such Service with `--all-workloads`) without
`loadBalancerSourceRanges` (on the `type` value; the
`service.beta.kubernetes.io/load-balancer-source-ranges` annotation counts
as ranges), each `0.0.0.0/0` or `::/0` item of it, and each item that is
not a CIDR: charts 0.28.1 to 0.36.x print `service.loadBalancerSourceRanges`
with Go's list syntax, one string `[10.0.0.0/8 192.168.0.0/16]`, which
Kubernetes rejects.

## Why is this bad?
A load balancer without source ranges puts Headlamp on a public address,
open to the internet's scanners and to every exploit of the day.

## Example
```yaml
# manifest
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
apiVersion: v1
kind: Service
metadata:
  name: headlamp
spec:
  type: LoadBalancer
  loadBalancerSourceRanges:
    - 10.0.0.0/8
  selector: {app: headlamp}
  ports:
    - port: 80
      targetPort: 4466
```

## Options
None.

## References
- https://kubernetes.io/docs/tasks/access-application-cluster/create-external-load-balancer/#restricting-access
"""

from __future__ import annotations

import ipaddress
from typing import Iterator

from linter.diagnostics import Finding, Severity
from linter.rules._network import OPEN_RANGES, services_in_scope
from linter.rules.base import RuleMeta

RULE = RuleMeta(
    id="HL503",
    name="loadbalancer-without-source-ranges",
    title="LoadBalancer Service for Headlamp is open to every address",
    severity=Severity.ERROR,
    security_severity=8.0,
    tags=("network", "exposure"),
)

def _is_cidr(text: str) -> bool:
    try:
        ipaddress.ip_network(text.strip(), strict=False)
    except ValueError:
        return False
    return "/" in text


RANGES_ANNOTATION = "service.beta.kubernetes.io/load-balancer-source-ranges"


def check(model, ctx) -> Iterator[Finding]:
    for service in services_in_scope(model, ctx):
        if service.service_type != "LoadBalancer":
            continue
        annotation = service.obj.annotations.get(RANGES_ANNOTATION, "").strip()
        if not service.load_balancer_source_ranges and not annotation:
            yield Finding(
                service.type.location,
                f"{service.obj.ref} is a LoadBalancer without loadBalancerSourceRanges ({service.type.describe()}):"
                " the pods it selects get a public address; list the networks allowed in",
                service.obj.ref,
                "spec.loadBalancerSourceRanges",
            )
        for item in service.load_balancer_source_ranges:
            if not _is_cidr(str(item.value)):
                hint = (" (Headlamp charts before 0.37.0 print the values list in Go syntax: upgrade the chart, or"
                        " set the service.beta.kubernetes.io/load-balancer-source-ranges annotation)"
                        if str(item.value).startswith("[") or " " in str(item.value).strip() else "")
                yield Finding(
                    item.location,
                    f"{service.obj.ref} has loadBalancerSourceRanges item {str(item.value)!r}, which is not a CIDR:"
                    f" Kubernetes rejects the Service{hint}",
                    service.obj.ref,
                    item.key,
                )
            elif str(item.value).strip() in OPEN_RANGES:
                yield Finding(
                    item.location,
                    f"{service.obj.ref} allows {item.value} in loadBalancerSourceRanges: every address;"
                    " list the networks allowed in",
                    service.obj.ref,
                    item.key,
                )
