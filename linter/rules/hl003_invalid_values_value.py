"""## What it does
Reports a value in a Headlamp values file that the chart cannot use: one
that violates the chart's own `values.schema.json` for the chart version in
use (chart 0.23.0 and later: e.g. `service.type: Public`,
`config.sessionTTL: 0`), a key of the wrong type where the chart expects a
mapping or a list (`securityContext: "yes"`, which is then ignored), a values
file that is not a mapping, or an `extraManifests` item that is neither a
mapping nor a string. It points at the offending value in the last file
that set it.

This is an input rule: the values loader reports it while reading the file
(`linter/values/check.py`, `linter/values/merge.py`), so the module has no
`check` function. The schema is validated with `jsonschema`, imported only
when a values file is linted.

## Why is this bad?
`helm install` refuses values that break the schema, and a wrongly typed
security setting either breaks the rendering or is silently dropped, so the
hardening it was meant to apply is not there.

## Example
```yaml
# values
service:
  type: Public
securityContext: "yes"
```

## Use instead
```yaml
# values
service:
  type: ClusterIP
securityContext:
  runAsNonRoot: true
```

## Options
None (pick the chart version with `--chart-version`).

## References
- https://helm.sh/docs/topics/charts/#schema-files
- https://github.com/kubernetes-sigs/headlamp/blob/main/charts/headlamp/values.schema.json
"""

from linter.diagnostics import Severity
from linter.rules.base import RuleMeta

RULE = RuleMeta(
    id="HL003",
    name="invalid-values-value",
    title="A values file sets a value the Headlamp chart rejects",
    severity=Severity.ERROR,
    security_severity=5.0,
    tags=("input", "values"),
)
