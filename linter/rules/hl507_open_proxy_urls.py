"""## What it does
Reports a Headlamp server whose `-proxy-urls` (arg, `HEADLAMP_CONFIG_PROXY_URLS`
env, or values `config.extraArgs`) holds a broad glob: `*`, `http://*`,
`https://*`, `*://*`, or any pattern whose host is a wildcard at the top
level (`https://*`, `https://*.com`, `https://*:8443/*`). Patterns whose
host wildcard stays under a domain (`https://*.example.com/*`) are fine.
The finding is on the arg or env value.

## Why is this bad?
`-proxy-urls` is the allow-list of Headlamp's `/externalproxy`, a
server-side HTTP proxy. A broad pattern turns Headlamp into an open proxy
inside the cluster network: anyone who reaches it can make requests to
internal services and cloud metadata endpoints (SSRF).

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
          args:
            - -in-cluster
            - -proxy-urls=https://*
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
          args:
            - -in-cluster
            - -proxy-urls=https://prometheus.example.com/*
```

## Options
None.

## References
- https://headlamp.dev/docs/latest/installation/base-url/
- https://owasp.org/www-community/attacks/Server_Side_Request_Forgery
"""

from __future__ import annotations

from typing import Iterator

from linter.diagnostics import Finding, Severity
from linter.rules.base import RuleMeta

RULE = RuleMeta(
    id="HL507",
    name="open-proxy-urls",
    title="Headlamp's proxy allow-list is a broad glob",
    severity=Severity.ERROR,
    security_severity=8.0,
    tags=("server", "ssrf"),
)


def is_broad(pattern: str) -> bool:
    """Does this ``-proxy-urls`` glob allow (nearly) any host?"""
    pattern = pattern.strip()
    if "*" not in pattern:
        return False
    _, sep, rest = pattern.partition("://")
    if not sep:
        rest = pattern
    host = rest.split("/", 1)[0].rsplit("@", 1)[-1]
    host = host.split(":", 1)[0] if not host.startswith("[") else host
    if not host or host.startswith("*") and "." not in host:
        return True  # "*", "http://*", "*://*", "https://*:8443"
    if host.startswith("*."):
        return "." not in host[2:]  # "*.com": every host under a top-level domain
    return False


def check(model, ctx) -> Iterator[Finding]:
    for installation in model.installations:
        for server in installation.servers:
            setting = server.get("proxy-urls")
            if setting is None or not isinstance(setting.value, str):
                continue
            broad = [p.strip() for p in setting.value.split(",") if is_broad(p)]
            if broad:
                yield Finding(
                    setting.fact.location,
                    f"{installation.name}: -proxy-urls ({setting.describe()}) allows any host with"
                    f" {', '.join(repr(p) for p in broad)}; list the exact URLs Headlamp may proxy to",
                    installation.ref,
                    setting.fact.key,
                )
