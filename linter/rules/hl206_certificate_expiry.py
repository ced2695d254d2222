"""## What it does
Reports a certificate in the TLS Secret served by Headlamp's Ingress that
has expired (error) or expires within the configured number of days
(warning, 30 by default), with its subject, notAfter date and days left.
A `tls.crt` that cannot be read (bad base64, no PEM block, a corrupt
certificate) is reported as a warning. The clock is the run's time, or
`--now` for reproducible runs.

## Why is this bad?
An expired certificate breaks the login for everyone, and the usual
workaround, clicking through the browser warning, trains users to accept
any certificate. A certificate close to expiry whose renewal is not
automated will soon do the same.

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
apiVersion: v1
kind: Secret
metadata:
  name: headlamp-tls
type: kubernetes.io/tls
stringData:
  tls.crt: not a certificate
  tls.key: ""
---
apiVersion: networking.k8s.io/v1
kind: Ingress
metadata:
  name: headlamp
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
Renew the certificate, ideally automatically with cert-manager (a
`Certificate` or the `cert-manager.io/cluster-issuer` annotation), which
renews it before it expires.

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
- `cert-expiry-days` (integer, default 30): warn when a certificate expires within this many days
  (the `--cert-expiry-days` option of `check` sets it too).

## References
- https://cert-manager.io/docs/usage/certificate/#renewal
"""

from __future__ import annotations

from typing import Iterator

from linter.diagnostics import Finding, Severity
from linter.rules._certs import served_certificates
from linter.rules.base import Option, RuleMeta

RULE = RuleMeta(
    id="HL206",
    name="certificate-expiry",
    title="Headlamp's certificate is expired, expiring soon or unreadable",
    severity=Severity.ERROR,
    security_severity=6.0,
    tags=("headlamp", "certificates"),
    options=(
        Option("cert-expiry-days", "integer", 30, "Warn when a certificate expires within this many days."),
    ),
)


def check(model, ctx) -> Iterator[Finding]:
    days = int(ctx.option(RULE, "cert-expiry-days"))
    for served in served_certificates(model):
        location, key, ref = served.entry.fact.location, served.entry.fact.key, served.secret.obj.ref
        report = served.report()
        if report.error is not None:
            yield Finding(
                location,
                f"{served.what} cannot be read: {report.error}; its validity cannot be checked and the"
                " Ingress controller will not serve it",
                ref,
                key,
                Severity.WARNING,
            )
        for cert in report.certificates:
            left = cert.days_left(ctx.now)
            which = "certificate" if cert.index == 0 else f"certificate {cert.index + 1} of the chain"
            not_after = cert.not_after.strftime("%Y-%m-%d %H:%M UTC")
            if left < 0:
                yield Finding(
                    location,
                    f"{which} {cert.subject} in {served.what} expired on {not_after},"
                    f" {int(-left)} days ago: browsers refuse it",
                    ref,
                    key,
                    Severity.ERROR,
                )
            elif left <= days:
                yield Finding(
                    location,
                    f"{which} {cert.subject} in {served.what} expires on {not_after}, in"
                    f" {int(left)} days (threshold {days}): renew it",
                    ref,
                    key,
                    Severity.WARNING,
                )
