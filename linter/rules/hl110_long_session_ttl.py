"""## What it does
Reports `-session-ttl` (values `config.sessionTTL`) above the configured
maximum, 86400 seconds (one day) by default.

## Why is this bad?
The session TTL is the lifetime of Headlamp's authentication cookie. A long
one keeps a stolen or forgotten browser session valid for weeks after the
user left (Headlamp accepts up to a year).

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
      args: ["-in-cluster", "-session-ttl=2592000"]
```

```yaml
# values
config:
  sessionTTL: 604800  # 7 days
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
      args: ["-in-cluster", "-session-ttl=28800"]
```

## Options
- `max-session-ttl` (integer, default 86400): the longest acceptable session, in seconds.

## References
- https://cheatsheetseries.owasp.org/cheatsheets/Session_Management_Cheat_Sheet.html#session-expiration
"""

from __future__ import annotations

from typing import Iterator

from linter.diagnostics import Finding, Severity
from linter.rules._server import default_hint, phrase, servers, value_location
from linter.rules.base import Option, RuleMeta

RULE = RuleMeta(
    id="HL110",
    name="long-session-ttl",
    title="Session lifetime is longer than the maximum",
    severity=Severity.WARNING,
    security_severity=3.0,
    tags=("headlamp",),
    options=(Option("max-session-ttl", "integer", 86400, "The longest acceptable session TTL, in seconds."),),
)


def check(model, ctx) -> Iterator[Finding]:
    maximum = int(ctx.option(RULE, "max-session-ttl"))
    for server in servers(model):
        setting = server.get("session-ttl")
        if setting is None or not isinstance(setting.value, int) or setting.value <= maximum:
            continue
        yield server.finding(
            value_location(server, setting),
            f"{phrase(setting)} is {setting.value} s ({setting.value / 86400:.1f} days), above the maximum of"
            f" {maximum} s: a stolen session stays valid that long{default_hint(setting, maximum)}",
            "session-ttl",
        )
