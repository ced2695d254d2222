"""## What it does
Reports a file or document that cannot be read as YAML: a syntax error (at
the parser's position), invalid UTF-8, a binary file, a file over
`--max-file-size`, an alias bomb, nesting deeper than 200 levels, or a tag
that would construct objects (`!!python/object/apply:…`, which is never
constructed). The other documents of the file and the other files are still
linted.

## Why is this bad?
Kubernetes and Helm refuse the file, or read something other than what it
seems to say; and a linter that skipped it silently would report a clean
result for unchecked content.

## Example
```yaml
# manifest
apiVersion: v1
kind: Service
metadata: {name: headlamp
```

## Use instead
```yaml
# manifest
apiVersion: v1
kind: Service
metadata: {name: headlamp}
```

## Options
None (the file size limit is the `--max-file-size` option).

## References
- https://yaml.org/spec/1.2.2/
"""

from linter.diagnostics import Severity
from linter.rules.base import RuleMeta

RULE = RuleMeta(
    id="HL001",
    name="yaml-syntax-error",
    title="A file or document cannot be parsed",
    severity=Severity.ERROR,
    security_severity=4.0,
    tags=("input",),
)
