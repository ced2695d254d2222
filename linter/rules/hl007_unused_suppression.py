"""## What it does
Reports a suppression that does not do what it says: a
`# headlamp-lint: disable=…` comment or a `headlamp-lint.io/ignore`
annotation that silenced no finding, one that names an unknown rule, a
malformed or misplaced comment (`disable-file` outside the file's first
comment block), and a suppression without a reason after `--`.

A suppression of a rule that is not selected (or is ignored for the file by
`per-file-ignores`) is not reported as unused: another configuration may
need it.

## Why is this bad?
A stale suppression hides the next real finding at that place without anyone
deciding so; a misspelt rule id silences nothing while looking like it does.
A suppression without a reason cannot be reviewed.

## Example
```yaml
# manifest
apiVersion: v1
kind: ServiceAccount
metadata:
  name: headlamp  # headlamp-lint: disable=HL401 -- nothing runs here
```

```yaml
# values
replicaCount: 1  # headlamp-lint: disable=run-as-rot -- typo: no such rule
```

## Use instead
```yaml
# manifest
apiVersion: v1
kind: ServiceAccount
metadata:
  name: headlamp
```

## Options
None. To accept suppressions without a reason, set
`suppressions.require-reason: false` in the configuration.

## References
- https://docs.astral.sh/ruff/rules/unused-noqa/
"""

from linter.diagnostics import Severity
from linter.rules.base import RuleMeta

RULE = RuleMeta(
    id="HL007",
    name="unused-suppression",
    title="A suppression silences nothing, names an unknown rule or gives no reason",
    severity=Severity.WARNING,
    security_severity=2.0,
    tags=("input", "suppression"),
)
