"""Every rule fixture yields exactly the findings its inline markers expect.

Fixtures live in ``fixtures/rules/<rule module>/`` (``*.values.yaml`` ones are
Headlamp values files, linted with ``--values``); the findings compared are
those of the rule named by the folder plus any rule a marker names, as
exact ``(line, column, rule)`` sets.
"""

from __future__ import annotations

import json

import pytest

from tests.cli import invoke
from tests.conftest import FIXTURES
from tests.fixture_expectations import expectations, lint_args

RULE_FIXTURES = sorted((FIXTURES / "rules").glob("*/*.yaml"))


def lint_json(*args: str) -> dict:
    result = invoke(["check", "-f", "json", "--exit-zero", *args])
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def findings_for(path, rules: set[str]) -> set[tuple[int, int, str]]:
    # `*.values.yaml` fixtures are Headlamp values files: lint them as `--values` (layered alone on the defaults)
    target = ["--values", str(path)] if path.name.endswith(".values.yaml") else [str(path)]
    report = lint_json(*lint_args(path), *target)
    return {(d["line"], d["column"], d["rule"]) for d in report["diagnostics"] if d["rule"] in rules}


@pytest.mark.parametrize("path", RULE_FIXTURES, ids=lambda p: f"{p.parent.name}/{p.name}")
def test_fixture_findings_match_markers(path):
    expected = expectations(path)
    rule_under_test = path.parent.name.split("_", 1)[0].upper()
    rules = {rule_under_test} | {rule for _, _, rule in expected}
    assert findings_for(path, rules) == expected


def test_every_bad_fixture_expects_something():
    for path in RULE_FIXTURES:
        if path.name.startswith("bad"):
            assert expectations(path), f"{path} has no # expect: marker"
