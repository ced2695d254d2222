"""End to end: a hardened Headlamp yields no HL1xx/HL2xx (or HL006) finding; an insecure one yields each at its line."""

from __future__ import annotations

import json

import pytest

from linter.rules import all_rules
from tests.cli import invoke
from tests.conftest import FIXTURES
from tests.fixture_expectations import expectations, lint_args

OUR_RULES = {r.id for r in all_rules() if r.id[:3] in ("HL1", "HL2")} | {"HL006"}


def our_findings(path) -> set[tuple[int, int, str]]:
    result = invoke(["check", "-f", "json", "--exit-zero", *lint_args(path), str(path)])
    assert result.exit_code == 0, result.output
    return {(d["line"], d["column"], d["rule"]) for d in json.loads(result.stdout)["diagnostics"] if d["rule"] in OUR_RULES}


def test_hardened_headlamp_has_no_authentication_or_tls_finding():
    assert our_findings(FIXTURES / "e2e" / "hardened.yaml") == set()


def test_insecure_headlamp_yields_every_rule_at_its_line():
    path = FIXTURES / "e2e" / "insecure.yaml"
    expected = expectations(path)
    assert {rule for _, _, rule in expected} == OUR_RULES, "the insecure fixture must exercise every rule"
    assert our_findings(path) == expected


@pytest.mark.parametrize("name", ["hardened.yaml", "insecure.yaml"])
def test_e2e_fixtures_have_no_shape_or_parse_problems(name):
    result = invoke(["check", "-f", "json", "--exit-zero", "--select", "HL001,HL004,HL009,HL010",
                     str(FIXTURES / "e2e" / name)])
    assert json.loads(result.stdout)["diagnostics"] == []
