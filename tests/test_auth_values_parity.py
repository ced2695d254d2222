"""Every authentication/TLS rule that can fire from a values file (RULES.md "Where" V or F) does, in our own
values/rendered pairs (fixtures/values/pairs/, compared finding for finding by tests/test_values_parity.py)."""

from __future__ import annotations

import json

from tests.cli import invoke
from tests.conftest import FIXTURES

# HL205-HL207 read certificates from TLS Secrets, which the chart never renders: manifests only.
FROM_VALUES = {
    "HL006", "HL101", "HL102", "HL103", "HL104", "HL105", "HL106", "HL107", "HL108", "HL109", "HL110",
    "HL201", "HL202", "HL203", "HL204", "HL208", "HL209",
}


def rules_fired(*args: str) -> set[str]:
    result = invoke(["check", "-f", "json", "--exit-zero", "--select", "HL006,HL1,HL2", *args])
    assert result.exit_code == 0, result.output
    return {d["rule"] for d in json.loads(result.stdout)["diagnostics"]}


def test_own_pairs_fire_every_auth_and_tls_rule_from_values_and_rendered():
    from_values: set[str] = set()
    from_rendered: set[str] = set()
    for case in sorted((FIXTURES / "values" / "pairs").iterdir()):
        from_values |= rules_fired("--chart-version", "0.45.0", "--values", str(case / "values.yaml"))
        from_rendered |= rules_fired(str(case / "rendered.yaml"))
    assert FROM_VALUES <= from_values
    assert from_values == from_rendered
