"""## What it does
Reports an object whose `apiVersion` has been removed from Kubernetes, for
example an Ingress under `extensions/v1beta1` or
`networking.k8s.io/v1beta1`, or RBAC objects under
`rbac.authorization.k8s.io/v1beta1`. It points at the `apiVersion` value and
names the release that removed it and the version to use.

## Why is this bad?
Current clusters refuse the object, so the security setting it carries (the
Ingress TLS, the narrow Role) never takes effect; old examples copied from
the web are a common source.

## Example
```yaml
# manifest
apiVersion: extensions/v1beta1
kind: Ingress
metadata:
  name: headlamp
spec:
  backend:
    serviceName: headlamp
    servicePort: 80
```

## Use instead
```yaml
# manifest
apiVersion: networking.k8s.io/v1
kind: Ingress
metadata:
  name: headlamp
spec:
  defaultBackend:
    service:
      name: headlamp
      port:
        number: 80
```

## Options
None.

## References
- https://kubernetes.io/docs/reference/using-api/deprecation-guide/
"""

from __future__ import annotations

from typing import Iterator

from linter.data import load_json
from linter.diagnostics import Finding, Severity
from linter.rules.base import RuleMeta

RULE = RuleMeta(
    id="HL008",
    name="deprecated-api-version",
    title="An object uses an apiVersion removed from Kubernetes",
    severity=Severity.WARNING,
    security_severity=3.0,
    tags=("input", "kubernetes"),
)


def check(model, ctx) -> Iterator[Finding]:
    removed = {(kind, api): (release, use) for kind, api, release, use in load_json("removed_apis.json")["removed"]}
    for obj in model.objects:
        entry = removed.get((obj.kind, obj.api_version))
        if entry is None or obj.api_version_location is None:
            continue
        release, use = entry
        yield Finding(
            obj.api_version_location,
            f"{obj.ref} uses apiVersion {obj.api_version}, removed in Kubernetes {release}; use {use}",
            obj.ref,
            "apiVersion",
        )
