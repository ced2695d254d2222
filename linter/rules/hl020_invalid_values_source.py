"""## What it does
Reports a values source of a Headlamp release that its tool rejects or
reads differently than written: `spec.values` or `valuesObject` that is not
a mapping, Argo CD `helm.values` that is not a string, a values string
that holds no mapping, a `valuesFrom` entry without a name or of another
kind, a `valuesFrom` key that the ConfigMap or Secret lacks (and is not
`optional`), a `targetPath` through a value that is not a mapping, an Argo
CD parameter without a name, a `$ref` value file with no such ref source, a
kustomize value file that does not exist, an unknown `valuesMerge`. The
release is not linted (a release with a missing layer would lint as
something else); the rest of the file is.

## Why is this bad?
Flux fails the release, Argo CD fails to render the application, or
kustomize fails the build: the values you reviewed are not the ones
deployed.

## Example
```yaml
# manifest
apiVersion: helm.toolkit.fluxcd.io/v2
kind: HelmRelease
metadata:
  name: headlamp
spec:
  chart:
    spec:
      chart: headlamp
      version: 0.40.1
  values:
    - config: {}
```

## Use instead
```yaml
# manifest
apiVersion: helm.toolkit.fluxcd.io/v2
kind: HelmRelease
metadata:
  name: headlamp
spec:
  chart:
    spec:
      chart: headlamp
      version: 0.40.1
  values:
    config:
      oidc:
        clientID: headlamp
```

## Options
None.

## References
- https://fluxcd.io/flux/components/helm/helmreleases/#values
"""

from linter.diagnostics import Severity
from linter.rules.base import RuleMeta

RULE = RuleMeta(
    id="HL020",
    name="invalid-values-source",
    title="A Flux, Argo CD or kustomize values source its tool rejects or misreads",
    severity=Severity.ERROR,
    security_severity=5.0,
    tags=("input",),
)
