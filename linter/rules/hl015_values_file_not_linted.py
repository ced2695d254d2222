"""## What it does
Reports a file that looks like Headlamp Helm values but is not linted as
values, says why, and how to lint it. headlamp-lint reads a file as
Headlamp values when it is named like a values file (`values*.yaml`,
`*.values.yaml`, `*-values.yaml`, `*_values.yaml`, `values/*.yaml`) and
either sits next to the headlamp chart's `Chart.yaml`, is named on the
command line, or has mostly Headlamp chart keys; or, whatever its name
(`headlamp.yaml`, `prod.yaml`), when its top-level keys are mostly Headlamp
chart keys and one is Headlamp-specific (`config.oidc`, `pluginsManager`, a
Headlamp `image.repository`…). This rule fires when a file has such a
Headlamp-specific key but is still not read as values:

- most of its top-level keys are not Headlamp chart keys (values nested
  under another key, a different tool's config, or many typos);
- it sits next to the `Chart.yaml` of another chart that does not depend on
  the `headlamp` chart, so it is that chart's values;
- it is the values of an umbrella chart that depends on `headlamp`, but has
  Headlamp's keys at its top level instead of under `headlamp:` (or the
  dependency's alias): Helm gives them to the umbrella chart, not to
  Headlamp. The finding is on the first such key.

A Kubernetes manifest (`apiVersion` and `kind`) is never values.

## Why is this bad?
Nothing in the file is checked: a cluster-admin binding or a root container
configured in it goes unreported.

## Example
```yaml
# manifest
config:
  oidc:
    clientID: headlamp
deployment:
  replicas: 2
monitoring:
  enabled: true
alerts: []
```

## Use instead
Lint it as values: `headlamp-lint check --values prod.yaml`, or map its
name to `values` under `files:` in `.headlamp-lint.yaml`.

```yaml
# manifest
config:
  oidc:
    clientID: headlamp
clusterRoleBinding:
  create: false
```

## Options
None (`--values FILE`, or `files: {"<glob>": values}` in the config file).

## References
- https://helm.sh/docs/chart_template_guide/values_files/
- https://helm.sh/docs/chart_template_guide/subcharts_and_globals/
"""

from linter.diagnostics import Severity
from linter.rules.base import RuleMeta

RULE = RuleMeta(
    id="HL015",
    name="values-file-not-linted",
    title="A file looks like Headlamp values but is not linted as values",
    severity=Severity.INFO,
    security_severity=1.0,
    tags=("input", "values"),
)
