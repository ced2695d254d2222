"""## What it does
Reports `-dev` (or `HEADLAMP_CONFIG_DEV`).

## Why is this bad?
Development mode makes the server accept cross-origin requests with
credentials from any origin, and redirects OIDC logins to
`http://localhost:3000/`: any web page a logged-in user visits can call the
Kubernetes API through Headlamp as that user.

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
      args: ["-in-cluster", "-dev"]
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
      args: ["-in-cluster"]
```

## Options
None.

## References
- https://developer.mozilla.org/en-US/docs/Web/HTTP/CORS#requests_with_credentials
"""

from __future__ import annotations

from typing import Iterator

from linter.diagnostics import Finding, Severity
from linter.rules._server import phrase, servers
from linter.rules.base import RuleMeta

RULE = RuleMeta(
    id="HL109",
    name="dev-mode",
    title="Headlamp runs in development mode",
    severity=Severity.ERROR,
    security_severity=8.0,
    tags=("headlamp",),
)


def check(model, ctx) -> Iterator[Finding]:
    for server in servers(model):
        if server.enabled("dev"):
            setting = server.get("dev")
            assert setting is not None
            yield server.finding(
                setting.fact.location,
                f"{phrase(setting)}: any origin may make credentialed requests (development mode)",
                "dev",
            )
