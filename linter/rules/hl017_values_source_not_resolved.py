"""## What it does
Reports what a Headlamp release declared in a Flux HelmRelease, an Argo CD
Application or a kustomization takes from somewhere headlamp-lint cannot
see: a `valuesFrom` ConfigMap or Secret that is not in the input, an Argo
CD value file inside the chart package or at a URL, `fileParameters`, a
`chartRef` object that is not in the input, `postRenderers` (patches
applied after Helm, not applied here), `helm.values` that Argo CD ignores
because `helm.valuesObject` is set, a `--set` path with list indexes.
Once, at the entry; the findings about the release's objects say which
values were not seen.

For a kustomization's plain manifests (headlamp-lint applies its `images:`
transformer to the manifests its `resources:` list, through base folders):
a remote `resources:` entry (a URL, never fetched), an entry that is not in
the input, and the fields it does not apply: `namespace:` (where it would
move an object), `patches:`, `patchesStrategicMerge:`, `patchesJson6902:`,
`replacements:`, `components:`, an image's `tagSuffix`, and `images:` over
the objects of `helmCharts:`. The findings about the objects it lists say
which fields were not applied.

## Why is this bad?
The release is linted without those values, so a finding may already be
fixed by them, or a problem they introduce is missed: lint them too
(include the ConfigMap's file in the run, or lint the value file).

## Example
```yaml
# manifest
apiVersion: helm.toolkit.fluxcd.io/v2
kind: HelmRelease
metadata:
  name: headlamp
  namespace: headlamp
spec:
  chart:
    spec:
      chart: headlamp
      version: 0.40.1
  valuesFrom:
    - kind: ConfigMap
      name: headlamp-values
```

## Use instead
```yaml
# manifest
apiVersion: v1
kind: ConfigMap
metadata:
  name: headlamp-values
  namespace: headlamp
data:
  values.yaml: |
    config:
      oidc:
        clientID: headlamp
```

## Options
None.

## References
- https://fluxcd.io/flux/components/helm/helmreleases/#values-references
- https://argo-cd.readthedocs.io/en/stable/user-guide/helm/
"""

from linter.diagnostics import Severity
from linter.rules.base import RuleMeta

RULE = RuleMeta(
    id="HL017",
    name="values-source-not-resolved",
    title="A Headlamp release takes values or patches headlamp-lint does not see",
    severity=Severity.INFO,
    security_severity=2.0,
    tags=("input",),
)
