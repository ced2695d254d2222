"""## What it does
Reports a server where only one of `-tls-cert-path` and `-tls-key-path`
is set, and an HTTP probe (`scheme` unset or `HTTP`) on a server that has
backend TLS on.

## Why is this bad?
Headlamp serves TLS only when both paths are given; with one of them it
silently serves plain HTTP, while the configuration looks encrypted. With
TLS on, a probe over HTTP fails and the pod never becomes ready (the
chart's `probes.scheme` must be `HTTPS`).

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
      args: ["-tls-cert-path=/tls/tls.crt"]
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
      args: ["-tls-cert-path=/tls/tls.crt", "-tls-key-path=/tls/tls.key"]
      readinessProbe:
        httpGet: {path: /, port: 4466, scheme: HTTPS}
```

## Options
None.

## References
- https://headlamp.dev/docs/latest/installation/in-cluster/
"""

from __future__ import annotations

from typing import Iterator

from linter.diagnostics import Finding, Severity
from linter.located import Origin
from linter.rules._server import phrase, servers
from linter.rules.base import RuleMeta

RULE = RuleMeta(
    id="HL204",
    name="incomplete-backend-tls",
    title="Backend TLS is half configured",
    severity=Severity.ERROR,
    security_severity=6.0,
    tags=("headlamp",),
)

PAIR = ("tls-cert-path", "tls-key-path")


def check(model, ctx) -> Iterator[Finding]:
    for server in servers(model):
        cert, key = (server.is_set(flag) for flag in PAIR)
        if cert != key:
            present, absent = PAIR if cert else PAIR[::-1]
            setting = server.get(present)
            assert setting is not None
            yield server.finding(
                setting.fact.location,
                f"{phrase(setting)} without -{absent}: the server silently serves plain HTTP",
                absent,
            )
        elif cert and key:
            for probe in server.container.probes:
                scheme = str(probe.scheme.value or "HTTP").upper()
                if scheme == "HTTP":
                    fact = probe.scheme
                    if fact.origin is Origin.CHART_DEFAULT:
                        where, fix = f"the chart default for {fact.key}", f"set {fact.key}: HTTPS in your values"
                    elif fact.origin is Origin.MISSING:
                        where, fix = f"{fact.key} is unset", f"set {fact.key}: HTTPS"
                    else:
                        where, fix = fact.describe(), f"set {fact.key}: HTTPS"
                    yield server.finding(
                        fact.location,
                        f"{probe.kind} of {server.subject} uses HTTP ({where}) while the server serves TLS:"
                        f" the probe fails; {fix}",
                        "tls-cert-path",
                    )
