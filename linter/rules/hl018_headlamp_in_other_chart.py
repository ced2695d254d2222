"""## What it does
Reports a Flux HelmRelease, an Argo CD Application or a kustomize
`helmCharts` entry of another chart (a generic application chart such as
`app-template`) whose values name a Headlamp image. headlamp-lint renders
only the Headlamp chart, so it cannot tell what that chart makes of the
values. Once, at the image.

## Why is this bad?
Nothing of that Headlamp installation is checked unless you lint the
chart's rendered output.

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
      chart: app-template
  values:
    controllers:
      main:
        containers:
          main:
            image:
              repository: ghcr.io/headlamp-k8s/headlamp
              tag: v0.40.1
```

## Use instead
Install Headlamp with its own chart, or lint the rendered output
(`helm template … | headlamp-lint check -`).

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
- https://headlamp.dev/docs/latest/installation/in-cluster/
"""

from linter.diagnostics import Severity
from linter.rules.base import RuleMeta

RULE = RuleMeta(
    id="HL018",
    name="headlamp-in-other-chart",
    title="Headlamp is deployed through a chart headlamp-lint cannot render",
    severity=Severity.INFO,
    security_severity=3.0,
    tags=("input",),
)
