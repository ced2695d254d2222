"""## What it does
Reports a LoadBalancer or NodePort Service that exposes Headlamp while the
server has no backend TLS (`-tls-cert-path` and `-tls-key-path` both set).
Reported at the Service's `type`.

## Why is this bad?
Such a Service sends traffic straight to Headlamp's port, with no Ingress
to terminate TLS: the login, the tokens and everything Headlamp shows
travel over plain HTTP.

## Example
```yaml
# manifest
apiVersion: v1
kind: Pod
metadata:
  name: headlamp
  labels: {app: headlamp}
spec:
  containers:
    - name: headlamp
      image: ghcr.io/headlamp-k8s/headlamp:v0.45.0
---
apiVersion: v1
kind: Service
metadata:
  name: headlamp
spec:
  type: LoadBalancer
  selector: {app: headlamp}
  ports: [{port: 443, targetPort: 4466}]
```

```yaml
# values
service:
  type: LoadBalancer
```

## Use instead
```yaml
# manifest
apiVersion: v1
kind: Pod
metadata:
  name: headlamp
  labels: {app: headlamp}
spec:
  containers:
    - name: headlamp
      image: ghcr.io/headlamp-k8s/headlamp:v0.45.0
      args: ["-tls-cert-path=/tls/tls.crt", "-tls-key-path=/tls/tls.key"]
---
apiVersion: v1
kind: Service
metadata:
  name: headlamp
spec:
  type: LoadBalancer
  selector: {app: headlamp}
  ports: [{port: 443, targetPort: 4466}]
```

## Options
None.

## References
- https://headlamp.dev/docs/latest/installation/in-cluster/
"""

from __future__ import annotations

from typing import Iterator

from linter.diagnostics import Finding, Severity
from linter.rules._server import fully_analysable, installation_servers, provenance
from linter.rules.base import RuleMeta

RULE = RuleMeta(
    id="HL202",
    name="exposed-without-tls",
    title="Headlamp is exposed by a Service without backend TLS",
    severity=Severity.ERROR,
    security_severity=7.5,
    tags=("headlamp", "exposure"),
)


def check(model, ctx) -> Iterator[Finding]:
    for installation in model.installations:
        if not installation.external_services or not fully_analysable(installation):
            continue
        servers = installation_servers(installation)
        if servers and all(s.is_set("tls-cert-path") and s.is_set("tls-key-path") for s in servers):
            continue
        for service in installation.external_services:
            exposure = service.exposure
            assert exposure is not None
            yield Finding(
                exposure.fact.location,
                f"{service.obj.ref} {exposure.what}{provenance(exposure.fact)} exposes"
                f" {installation.ref}, which serves"
                " plain HTTP (no -tls-cert-path and -tls-key-path): logins and tokens travel in clear text",
                service.obj.ref,
                exposure.fact.key,
            )
