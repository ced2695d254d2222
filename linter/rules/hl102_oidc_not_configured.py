"""## What it does
Reports a Headlamp server with neither OIDC (`-oidc-client-id` and
`-oidc-idp-issuer-url`) nor `-proxy-auth`, when it is not exposed outside
the cluster (exposed, it is HL101).

## Why is this bad?
Users then log in by pasting ServiceAccount tokens: long-lived shared
credentials, usually over-privileged (the chart's notes point to a
cluster-admin token), with no per-user identity in the audit log.

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
      args: ["-in-cluster"]
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
      args: ["-in-cluster", "-oidc-client-id=$(OIDC_CLIENT_ID)", "-oidc-idp-issuer-url=$(OIDC_ISSUER_URL)",
             "-oidc-client-secret=$(OIDC_CLIENT_SECRET)", "-oidc-use-pkce"]
      envFrom:
        - secretRef: {name: headlamp-oidc}
```

## Options
None.

## References
- https://headlamp.dev/docs/latest/installation/in-cluster/oidc/
"""

from __future__ import annotations

from typing import Iterator

from linter.diagnostics import Finding, Severity
from linter.rules._server import OIDC_VALUES_HINT, servers
from linter.rules.base import RuleMeta

RULE = RuleMeta(
    id="HL102",
    name="oidc-not-configured",
    title="Headlamp has no OIDC and no proxy authentication",
    severity=Severity.WARNING,
    security_severity=5.0,
    tags=("headlamp",),
)


def check(model, ctx) -> Iterator[Finding]:
    for server in servers(model):
        if server.installation.is_exposed or server.has_oidc or server.has_proxy_auth:
            continue
        yield server.finding(
            server.container.anchor,
            f"{server.subject} has no OIDC (-oidc-client-id and -oidc-idp-issuer-url) and no -proxy-auth:"
            " users log in by pasting ServiceAccount tokens" + (OIDC_VALUES_HINT if server.from_values else ""),
            "oidc-client-id",
        )
