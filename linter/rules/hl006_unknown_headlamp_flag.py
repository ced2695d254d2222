"""## What it does
Reports a Headlamp container argument that is not a Headlamp server flag,
and a `HEADLAMP_CONFIG_*` environment variable that names no flag, with the
closest known flag. A flag newer than the image's version (the image tag,
e.g. `-proxy-auth` before v0.43.0) is reported too.

## Why is this bad?
Headlamp parses its arguments with Go's `flag` package: an unknown flag
makes the server exit at start-up. An unknown `HEADLAMP_CONFIG_*` variable
is silently ignored, so a misspelt hardening setting (say
`HEADLAMP_CONFIG_OIDC_USE_PKSE`) leaves the insecure default in place.

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
      args: ["-in-clustr"]
      env:
        - name: HEADLAMP_CONFIG_OIDC_USE_PKSE
          value: "true"
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
      env:
        - name: HEADLAMP_CONFIG_OIDC_USE_PKCE
          value: "true"
```

## Options
None.

## References
- https://headlamp.dev/docs/latest/installation/in-cluster/
"""

from __future__ import annotations

from typing import Iterator

from linter.diagnostics import Finding, Severity
from linter.model.server import flag_table
from linter.rules._server import Server, servers
from linter.versions import Version
from linter.rules.base import RuleMeta

RULE = RuleMeta(
    id="HL006",
    name="unknown-headlamp-flag",
    title="Unknown Headlamp server flag or HEADLAMP_CONFIG_* variable",
    severity=Severity.WARNING,
    security_severity=4.0,
    tags=("headlamp", "configuration"),
)


def check(model, ctx) -> Iterator[Finding]:
    for server in servers(model):
        for unknown in server.settings.unknown:
            if unknown.via == "env":
                hint = f"; did you mean {unknown.suggestion}?" if unknown.suggestion else ""
                message = (
                    f"env {unknown.text} of {server.subject} is not a Headlamp setting: it is silently"
                    f" ignored{hint}"
                )
            else:
                hint = f"; did you mean -{unknown.suggestion}?" if unknown.suggestion else ""
                message = (
                    f"{unknown.text} is not a Headlamp server flag ({server.subject}): the server refuses to"
                    f" start{hint}"
                )
            yield server.finding(unknown.fact.location, message, unknown.text.lstrip("-"))
        yield from _too_new(server)


def _too_new(server: Server) -> Iterator[Finding]:
    version = server.version
    if version is None:
        return
    for setting in server.settings.settings.values():
        if setting.via not in ("arg", "env"):
            continue
        since = Version.parse(flag_table()[setting.flag].since)
        if since is None or since <= version:
            continue
        consequence = "the server refuses to start" if setting.via == "arg" else "it is silently ignored"
        yield server.finding(
            setting.fact.location,
            f"-{setting.flag} ({setting.describe()}) does not exist in Headlamp {version}, the image's version"
            f" (added in {since}): {consequence}",
            setting.flag,
        )
