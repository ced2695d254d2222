"""Engine guarantees: a failing rule costs only its own results, for the file that broke it."""

from __future__ import annotations

from linter import engine
from linter.diagnostics import Finding
from linter.rules.base import Rule, RuleMeta
from linter.diagnostics import Severity
from linter.settings import Settings
from tests.conftest import FIXTURES

BAD = FIXTURES / "rules" / "hl403_privileged_container" / "bad.yaml"
OTHER = FIXTURES / "rules" / "hl409_host_namespaces" / "bad.yaml"


def test_internal_error_in_one_rule_on_one_file_becomes_hl000(monkeypatch):
    def explode_on_daemonset(model, ctx):
        for workload in model.workloads:
            if workload.obj.kind == "DaemonSet":
                raise RuntimeError("boom")
            yield Finding(workload.pod.anchor, "seen", workload.obj.ref)

    broken = Rule(
        RuleMeta("HL499", "test-broken", "t", Severity.WARNING, 1.0), "doc", explode_on_daemonset, "x"
    )
    real = engine.selected_rules
    monkeypatch.setattr(engine, "selected_rules", lambda settings: real(settings) + [broken])
    result = engine.lint_paths([str(BAD), str(OTHER)], Settings())
    by_rule = {}
    for d in result.diagnostics:
        by_rule.setdefault(d.rule_id, []).append(d)
    assert [d.path.endswith("hl403_privileged_container/bad.yaml") for d in by_rule["HL000"]] == [True]
    assert "RuntimeError: boom" in by_rule["HL000"][0].message
    assert [d.path.endswith("hl409_host_namespaces/bad.yaml") for d in by_rule["HL499"]] == [True]
    assert "HL403" in by_rule and "HL409" in by_rule  # other rules unaffected
