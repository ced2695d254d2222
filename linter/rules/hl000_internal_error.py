"""## What it does
Reports that headlamp-lint itself failed while checking a file: a rule raised
an unexpected error (the other rules, and the same rule on the other files,
still ran; only this rule's results for this file are missing), or building
the model of the file did (that file is not linted; the others are).

## Why is this bad?
A crash that silently dropped results would let a real problem through. This
diagnostic makes the gap visible instead, and fails the run.

## Example
There is no input that is meant to trigger it: it is a bug in headlamp-lint.

## Use instead
Report it with the file that triggers it (`--debug` prints the traceback).

## Options
None. It is reported whatever `--select`, `--ignore` and the configuration's
`select`/`ignore` say: results lost to a crash are never passed off as a
clean run because this rule was not selected. (A suppression comment or
`per-file-ignores` entry that names it still applies: that is a decision
about one place.)

## References
- https://github.com/kubernetes-sigs/headlamp
"""

from linter.diagnostics import Severity
from linter.rules.base import RuleMeta

RULE = RuleMeta(
    id="HL000",
    name="internal-error",
    title="headlamp-lint failed while checking this file",
    severity=Severity.ERROR,
    security_severity=5.0,
    tags=("tool",),
)
