"""## What it does
Reports a self-signed certificate served for Headlamp: the `tls.crt` of a
TLS Secret that Headlamp's Ingress names in `spec.tls` (issuer equal to
subject and the signature verifies with the certificate's own key), or a
cert-manager `Issuer`/`ClusterIssuer` with `selfSigned` reached from the
Ingress's `cert-manager.io/cluster-issuer` / `cert-manager.io/issuer`
annotation or from a `Certificate` that writes that Secret.

## Why is this bad?
Browsers cannot verify a self-signed certificate, so users learn to click
through certificate warnings, and an attacker's certificate then looks the
same as the real one. Use a certificate from a CA the browsers trust, or
a private CA whose root is distributed to the users' machines.

## Example
```yaml
# manifest
apiVersion: v1
kind: Service
metadata:
  name: headlamp
spec:
  selector: {app: headlamp}
  ports: [{name: http, port: 80, targetPort: 4466}]
---
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
apiVersion: cert-manager.io/v1
kind: ClusterIssuer
metadata:
  name: selfsigned
spec:
  selfSigned: {}
---
apiVersion: networking.k8s.io/v1
kind: Ingress
metadata:
  name: headlamp
  annotations:
    cert-manager.io/cluster-issuer: selfsigned
spec:
  tls:
    - hosts: [headlamp.example.com]
      secretName: headlamp-tls
  rules:
    - host: headlamp.example.com
      http:
        paths:
          - path: /
            pathType: Prefix
            backend: {service: {name: headlamp, port: {name: http}}}
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
  ports: [{name: http, port: 80, targetPort: 4466}]
---
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
apiVersion: cert-manager.io/v1
kind: ClusterIssuer
metadata:
  name: corp-ca
spec:
  ca:
    secretName: corp-ca
---
apiVersion: networking.k8s.io/v1
kind: Ingress
metadata:
  name: headlamp
  annotations:
    cert-manager.io/cluster-issuer: corp-ca
spec:
  tls:
    - hosts: [headlamp.example.com]
      secretName: headlamp-tls
  rules:
    - host: headlamp.example.com
      http:
        paths:
          - path: /
            pathType: Prefix
            backend: {service: {name: headlamp, port: {name: http}}}
```

## Options
None.

## References
- https://cert-manager.io/docs/configuration/selfsigned/
"""

from __future__ import annotations

from typing import Iterator

from linter.diagnostics import Finding, Severity
from linter.model.tls import TLSIndex
from linter.rules._certs import served_certificates
from linter.rules.base import RuleMeta

RULE = RuleMeta(
    id="HL205",
    name="self-signed-certificate",
    title="Headlamp's Ingress serves a self-signed certificate",
    severity=Severity.WARNING,
    security_severity=5.0,
    tags=("headlamp", "certificates"),
)


def check(model, ctx) -> Iterator[Finding]:
    for served in served_certificates(model):
        report = served.report()
        leaf = report.certificates[0] if report.certificates else None
        if leaf is not None and leaf.self_signed:
            yield Finding(
                served.entry.fact.location,
                f"{served.what} holds a self-signed certificate, {leaf.subject}: browsers cannot"
                " verify it and users learn to click through warnings",
                served.secret.obj.ref,
                served.entry.fact.key,
            )
    index = TLSIndex.of(model)
    seen = set()
    for installation in model.installations:
        for ingress in installation.ingresses:
            for found in index.self_signed_issuers(ingress):
                if found.location in seen:
                    continue
                seen.add(found.location)
                yield Finding(
                    found.location,
                    f"{ingress.obj.ref} gets its certificate from {found.issuer.obj.ref}, which is selfSigned"
                    f" (via {found.via}): browsers cannot verify it",
                    ingress.obj.ref,
                    found.via,
                )
