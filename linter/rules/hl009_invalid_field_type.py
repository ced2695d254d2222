"""## What it does
Reports a field that headlamp-lint reads with the wrong type, for example
`containers: "x"`, `securityContext: 5` or a `runAsUser` that is not a
number. The field is then treated as absent and the rest of the object is
still checked.

## Why is this bad?
Kubernetes rejects the object, or (in a Helm values file) the chart renders
something else than intended; and the security setting the field was meant
to carry is not in effect.

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
      securityContext: 5
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
      securityContext:
        runAsUser: 100
```

## Options
None.

## References
- https://kubernetes.io/docs/reference/kubernetes-api/
"""

from linter.diagnostics import Severity
from linter.rules.base import RuleMeta

RULE = RuleMeta(
    id="HL009",
    name="invalid-field-type",
    title="A field has the wrong type",
    severity=Severity.ERROR,
    security_severity=4.0,
    tags=("input",),
)
