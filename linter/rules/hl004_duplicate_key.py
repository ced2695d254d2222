"""## What it does
Reports a mapping that repeats a key. It points at the repeated key and names
the line of the first one.

## Why is this bad?
Kubernetes keeps the last value. A `privileged: true` can hide below an
earlier `privileged: false` that a reviewer reads first.

## Example
```yaml
# manifest
apiVersion: v1
kind: ConfigMap
metadata:
  name: settings
  name: headlamp-settings
```

## Use instead
```yaml
# manifest
apiVersion: v1
kind: ConfigMap
metadata:
  name: headlamp-settings
```

## Options
None.

## References
- https://yaml.org/spec/1.2.2/#mapping
"""

from linter.diagnostics import Severity
from linter.rules.base import RuleMeta

RULE = RuleMeta(
    id="HL004",
    name="duplicate-key",
    title="A mapping repeats a key",
    severity=Severity.ERROR,
    security_severity=5.0,
    tags=("input",),
)
