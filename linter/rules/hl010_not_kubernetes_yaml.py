"""## What it does
Reports a document that is not a Kubernetes object (no `apiVersion` and
`kind`; a scalar or a list) in a file named on the command line or in a file
that also holds Kubernetes objects, and an explicitly named empty file.
Other YAML found by a directory scan (CI configs, chart metadata) is skipped
silently.

## Why is this bad?
It is not linted. A stray document in a manifest file is usually a mistake
(a missing `---`, an indentation slip), and a file you asked to lint that has
nothing to lint is worth knowing about.

## Example
```yaml
# manifest
apiVersion: v1
kind: ServiceAccount
metadata:
  name: headlamp
---
- just
- a list
```

## Use instead
```yaml
# manifest
apiVersion: v1
kind: ServiceAccount
metadata:
  name: headlamp
```

## Options
None.

## References
- https://kubernetes.io/docs/concepts/overview/working-with-objects/
"""

from linter.diagnostics import Severity
from linter.rules.base import RuleMeta

RULE = RuleMeta(
    id="HL010",
    name="not-kubernetes-yaml",
    title="A document is not a Kubernetes object and is not linted",
    severity=Severity.INFO,
    security_severity=1.0,
    tags=("input",),
)
