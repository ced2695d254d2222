"""## What it does
Reports a key in a Headlamp values file that the Headlamp chart (of the
chart version in use) does not have, with a "did you mean" suggestion
(`clusterRolebinding` → `clusterRoleBinding`). Keys the chart documents only
in comments (`securityContext.capabilities`, `config.tlsCertPath`, `env`…)
and the contents of free-form maps (`podAnnotations`, `resources`,
`securityContext`, `nodeSelector`…) are known. The key tree is published as
`schemas/headlamp-values-<chart version>.strict.schema.json`.

This is an input rule: the values loader reports it while reading the file
(`linter/values/check.py`), so the module has no `check` function.

## Why is this bad?
Helm silently ignores unknown keys. A misspelt hardening setting
(`clusterRolebinding.create: false`) looks applied in review but the chart
default (a cluster-admin binding) is what gets deployed.

## Example
```yaml
# values
clusterRolebinding:
  create: false
```

## Use instead
```yaml
# values
clusterRoleBinding:
  create: false
```

## Options
None (pick the chart version with `--chart-version`).

## References
- https://helm.sh/docs/chart_template_guide/values_files/
- https://github.com/kubernetes-sigs/headlamp/blob/main/charts/headlamp/values.yaml
"""

from linter.diagnostics import Severity
from linter.rules.base import RuleMeta

RULE = RuleMeta(
    id="HL002",
    name="unknown-values-key",
    title="A values file sets a key the Headlamp chart does not have",
    severity=Severity.WARNING,
    security_severity=4.0,
    tags=("input", "values"),
)
