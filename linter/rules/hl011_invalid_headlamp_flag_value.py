"""## What it does
Reports a Headlamp server flag (container argument or `HEADLAMP_CONFIG_*`
variable) whose value does not parse as the flag's type: an integer flag
such as `-session-ttl` or `-port` given `2e+06` or `30d`, a boolean flag
given `yes`, a float flag given text.

In a Helm values file this catches what Helm prints: Helm reads values as
JSON numbers and prints a number of 1,000,000 or more in exponent form, so
`config.sessionTTL: 2592000` (30 days) renders `-session-ttl=2.592e+06`.

## Why is this bad?
Headlamp parses its flags with Go's `flag` package and its environment with
strict type conversion: a value that is not of the flag's type stops the
server at start-up (`invalid value "2.592e+06" for flag -session-ttl`), so
the Deployment never becomes ready.

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
      args: ["-in-cluster", "-session-ttl=2.592e+06"]
```

```yaml
# values
config:
  sessionTTL: 2592000
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
      args: ["-in-cluster", "-session-ttl=86400"]
```

```yaml
# values
config:
  sessionTTL: "2592000"  # a string is printed as written
```

## Options
None.

## References
- https://pkg.go.dev/flag
- https://github.com/helm/helm/issues/1707
"""

from __future__ import annotations

import re
from typing import Iterator

from linter.diagnostics import Finding, Severity
from linter.located import Location, Origin
from linter.model.server import Setting, flag_table
from linter.rules._server import Server, servers, value_location
from linter.rules.base import RuleMeta

RULE = RuleMeta(
    id="HL011",
    name="invalid-headlamp-flag-value",
    title="Headlamp server flag value is not of the flag's type",
    severity=Severity.ERROR,
    security_severity=2.0,
    tags=("headlamp", "configuration"),
)

# Go's strconv.ParseInt(s, 0, 64) syntax (what flag.Int accepts): a sign, a base prefix, digits, underscores.
_GO_INT = re.compile(r"[+-]?(?:0[xX]_?[0-9a-fA-F](?:_?[0-9a-fA-F])*|0[bB]_?[01](?:_?[01])*"
                     r"|0[oO]_?[0-7](?:_?[0-7])*|0(?:_?[0-7])*|[1-9](?:_?[0-9])*)")
_GO_BOOL = frozenset(("1", "t", "T", "TRUE", "true", "True", "0", "f", "F", "FALSE", "false", "False"))
_EXPONENT = re.compile(r"[+-]?\d(?:\.\d+)?e[+-]\d\d+")
_KIND = {"int": "an integer", "bool": "a boolean (true or false)", "float": "a number"}


def valid(kind: str, raw: str) -> bool:
    """Whether Go would read ``raw`` as a value of the flag type ``kind``."""
    if kind == "int":
        return _GO_INT.fullmatch(raw) is not None
    if kind == "bool":
        return raw in _GO_BOOL
    if kind == "float":
        try:
            float(raw)
        except ValueError:
            return False
        return raw == raw.strip()
    return True


def check(model, ctx) -> Iterator[Finding]:
    table = flag_table()
    for server in servers(model):
        for setting in server.settings.settings.values():
            if setting.via not in ("arg", "env") or not setting.literal or setting.from_secret:
                continue
            spec = table.get(setting.flag)
            if spec is None or spec.type not in _KIND or valid(spec.type, setting.raw):
                continue
            yield server.finding(
                _where(server, setting),
                f"-{setting.flag}={setting.raw} ({setting.describe()}) is not {_KIND[spec.type]}: the server"
                f" refuses to start{_hint(setting)}",
                setting.flag,
            )


def _where(server: Server, setting: Setting) -> Location:
    """The value's text: the env var's value for ``HEADLAMP_CONFIG_*``, else where the arg's text comes from."""
    if setting.via == "env":
        for var in server.container.env:
            if var.name == setting.env_name and var.source is None:
                return var.value.location
    return value_location(server, setting)


def _hint(setting: Setting) -> str:
    if setting.fact.origin is Origin.VALUES and _EXPONENT.fullmatch(setting.raw):
        return ("; Helm prints numbers of 1,000,000 and more in exponent form: quote the value in your values"
                " (a string is printed as written)")
    return ""
