"""## What it does
Reports a Headlamp release (Flux HelmRelease, Argo CD Application,
kustomize `helmCharts`) whose chart version, or version range (`0.40.x`,
`^0.38.0`, `>=0.30.0 <0.41.0`), matches no Headlamp chart release
headlamp-lint knows: newer than its data, older than the oldest, or not a
version. Its values are not linted: findings from another chart version's
defaults and templates would be wrong.

The same holds for a Headlamp values file: a `--chart-version` (or
`chart-version` in the config file) that is not a release (at line 1 of the
values file), the `version:` of the headlamp chart's own `Chart.yaml` next to
it when that version was never released, or an umbrella chart's dependency
`version:` that no known release satisfies (on that key). Every release from
0.1.0 on is known; a range resolves to the newest known release that
satisfies it (Helm's Masterminds semver syntax: `^0.40.0`, `0.38.x`,
`>=0.30 <0.41`, `>= 0.30.0, < 0.41.0`, `0.30.0 - 0.40.0`, `~0.39`, `*`).

## Why is this bad?
Nothing of that release is checked.

## Example
```yaml
# manifest
apiVersion: argoproj.io/v1alpha1
kind: Application
metadata:
  name: headlamp
spec:
  source:
    repoURL: https://kubernetes-sigs.github.io/headlamp/
    chart: headlamp
    targetRevision: 0.0.9
```

```yaml
# values
# lint-args: --chart-version 0.99.0
clusterRoleBinding:
  create: true
```

## Use instead
Use a chart version headlamp-lint knows (update headlamp-lint for newer ones).

```yaml
# manifest
apiVersion: argoproj.io/v1alpha1
kind: Application
metadata:
  name: headlamp
spec:
  source:
    repoURL: https://kubernetes-sigs.github.io/headlamp/
    chart: headlamp
    targetRevision: 0.40.1
    helm:
      valuesObject:
        config:
          oidc:
            clientID: headlamp
```

## Options
None (`--chart-version` picks the chart of values files).

## References
- https://github.com/kubernetes-sigs/headlamp/releases
"""

from linter.diagnostics import Severity
from linter.rules.base import RuleMeta

RULE = RuleMeta(
    id="HL019",
    name="unknown-chart-version",
    title="No known Headlamp chart matches the chart version of a release or values file",
    severity=Severity.WARNING,
    security_severity=4.0,
    tags=("input", "values"),
)
