"""## What it does
Reports a Headlamp values file whose chart version headlamp-lint does not
know, so it cannot tell what the chart renders from it: a `--chart-version`
(or `chart-version` in the config file) that is not a release of the
`headlamp` chart, a `Chart.yaml` of the headlamp chart with a `version:` that
was never released, or an umbrella chart's dependency `version:` constraint
that no known release satisfies (newer than the packaged chart data, or
before the first release, 0.1.0). The finding is on the version that was
written (the `Chart.yaml` key, or line 1 of the values file for the option).

The file is then not linted at all: linting it with another chart version
would report settings that version has and yours may not (or miss ones yours
has), so no finding from another chart is given. Every release from 0.1.0 to
the newest in `headlamp-lint data` is known; constraints (`^0.40.0`,
`0.38.x`, `>=0.30 <0.41`, `0.30.0 - 0.40.0`, `~0.39`, `*`) resolve to the
newest known release that satisfies them, as `helm dependency update` would.

This is an input rule: the values loader reports it
(`linter/model/from_values.py`), so the module has no `check` function.

## Why is this bad?
Nothing in the file is checked: a cluster-admin binding or a root container
in it goes unreported until the version is one headlamp-lint knows.

## Example
```yaml
# values
# lint-args: --chart-version 0.99.0
clusterRoleBinding:
  create: true
```

## Use instead
```yaml
# values
# lint-args: --chart-version 0.45.0
clusterRoleBinding:
  create: false
```

## Options
None. Pick the version with `--chart-version`; update headlamp-lint for
chart releases newer than its data.

## References
- https://helm.sh/docs/topics/charts/#chart-dependencies
- https://github.com/Masterminds/semver#checking-version-constraints
"""

from linter.diagnostics import Severity
from linter.rules.base import RuleMeta

RULE = RuleMeta(
    id="HL014",
    name="unsupported-chart-version",
    title="A values file's Headlamp chart version is not known, so it is not linted",
    severity=Severity.ERROR,
    security_severity=3.0,
    tags=("input", "values"),
)
