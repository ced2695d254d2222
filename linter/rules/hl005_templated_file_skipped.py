"""## What it does
Reports a file that holds Helm (Go) template syntax, which is not YAML until
it is rendered, and is therefore not linted. A file counts as a template when
it contains `{{` and does not load as YAML, or has a line that starts with a
template action outside a string. Manifests that merely carry `{{ … }}`
inside string values (alert rules, dashboards) are linted normally.

In a Headlamp values file it reports a template expression that headlamp-lint
cannot evaluate without Helm in a value the chart passes through `tpl`
(`extraManifests`, `podLabels`, Ingress backend names), at the expression;
that object is still linted, with the expression left as its text.

## Why is this bad?
Nothing in the file was checked. Directory scans skip a chart's `templates/`
folder for this reason.

## Example
```yaml
# manifest
apiVersion: apps/v1
kind: Deployment
metadata:
  name: {{ include "headlamp.fullname" . }}
```

## Use instead
Lint the chart's values file (`headlamp-lint check values.yaml`) or its
rendered output (`helm template … | headlamp-lint check -`).

```yaml
# manifest
apiVersion: v1
kind: ConfigMap
metadata:
  name: headlamp
```

## Options
None.

## References
- https://helm.sh/docs/chart_template_guide/
"""

from linter.diagnostics import Severity
from linter.rules.base import RuleMeta

RULE = RuleMeta(
    id="HL005",
    name="templated-file-skipped",
    title="A file contains template syntax and is not linted",
    severity=Severity.INFO,
    security_severity=1.0,
    tags=("input",),
)
