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

`--fix` (safe) removes `-dev` from the Headlamp container's `args` and `command`
(in values files: from `config.extraArgs`). Development mode is never needed in
production, so removing it only hardens.

## Options
None.

## References
- https://developer.mozilla.org/en-US/docs/Web/HTTP/CORS#requests_with_credentials
"""

from __future__ import annotations

from typing import Iterator

from linter.diagnostics import Finding, Severity
from linter.rules._server import phrase, servers
from linter.rules.base import FixEdit, FixSpec, RuleMeta

RULE = RuleMeta(
    id="HL109",
    name="dev-mode",
    title="Headlamp runs in development mode",
    severity=Severity.ERROR,
    security_severity=8.0,
    tags=("headlamp",),
)



# The flag is removed wherever it is written: the container's args or command, or the chart's config.extraArgs.
_DEV = r"--?dev(=(1|t|T|true|TRUE|True))?"
FIX = FixSpec(
    "safe",
    "removes -dev from the Headlamp container's args and command (values files: config.extraArgs)",
    (
        FixEdit("args", "", relative_to="container", remove_item=_DEV),
        FixEdit("command", "", relative_to="container", remove_item=_DEV),
        FixEdit("config.extraArgs", "", relative_to="values", remove_item=_DEV),
    ),
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
