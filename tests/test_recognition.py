"""Recognising Headlamp (issue 17, point 1) and pod templates of any kind (point 3).

Exact (line, column, rule) sets for the recognition rules, the reasons the
json output gives, and a check that nothing in the shared corpus is taken
for Headlamp.
"""

from __future__ import annotations

import json

import pytest

from linter.engine import lint_paths
from linter.model.headlamp import ContainerSignals, HeadlampMatcher
from linter.settings import Settings
from tests.cli import invoke
from tests.conftest import FIXTURES, shared_path

HERE = FIXTURES / "recognition"


def _run(*paths, **settings):
    return lint_paths([str(p) for p in paths], Settings(**settings))


def _recognised(result) -> dict[str, str]:
    return {f"{r.obj.kind} {r.obj.name}/{r.container}": r.reason for r in result.recognised}


def test_mirrored_private_digest_renamed_and_chart_labels_are_headlamp():
    result = _run(HERE / "mirrored.yaml")
    reasons = _recognised(result)
    assert set(reasons) == {
        "Deployment harbor/ui",
        "Deployment digest/dashboard",
        "Deployment entrypoint/server",
        "Deployment charted/headlamp",
        "Deployment named/headlamp",
    }
    assert "-in-cluster" in reasons["Deployment harbor/ui"]
    assert "HEADLAMP_CONFIG_IN_CLUSTER" in reasons["Deployment digest/dashboard"]
    assert "headlamp-server" in reasons["Deployment entrypoint/server"]
    assert "helm.sh/chart: headlamp-0.45.0" in reasons["Deployment charted/headlamp"]
    assert "app.kubernetes.io/name: headlamp" in reasons["Deployment named/headlamp"]
    # The Headlamp rules run on them: HL605 reports each mirror as an untrusted repository, at its image.
    hl605 = {(d.location.span.line, d.location.span.column) for d in result.diagnostics if d.rule_id == "HL605"}
    assert hl605 == {(12, 18), (25, 18), (40, 18), (55, 18), (72, 18)}
    # The chart's sidecar, an image named headlamp without Headlamp's signals, is only weakly similar: one info.
    hl022 = {(d.location.span.line, d.location.span.column) for d in result.diagnostics if d.rule_id == "HL022"}
    assert hl022 == {(57, 18)}


def test_weak_signal_is_reported_once_and_not_linted_as_headlamp():
    result = _run(FIXTURES / "rules" / "hl022_unrecognised_headlamp" / "bad.yaml")
    assert result.recognised == []
    assert {d.rule_id for d in result.diagnostics} == {"HL022"}
    assert sorted(d.location.span.line for d in result.diagnostics) == [11, 13]
    assert "headlamp-images" in result.diagnostics[0].message


def test_configured_pattern_recognises_and_says_so():
    path = FIXTURES / "rules" / "hl022_unrecognised_headlamp" / "bad.yaml"
    result = _run(path, headlamp_images=("harbor.corp.example/library/*",))
    assert _recognised(result) == {
        "Deployment dashboard/ui": "image harbor.corp.example/library/headlamp matches"
        " harbor.corp.example/library/* (a configured headlamp-images pattern)"
    }
    assert [(d.rule_id, d.location.span.line) for d in result.diagnostics if d.rule_id == "HL022"] == [("HL022", 13)]


def test_values_file_with_another_registry_is_headlamp_and_hl605_blames_it():
    result = _run(HERE / "values-mirror.values.yaml")
    assert _recognised(result) == {
        "Deployment headlamp/headlamp": "rendered by the Headlamp chart from the values file"
        f" {result.diagnostics[0].path}"
    }
    hl605 = [d for d in result.diagnostics if d.rule_id == "HL605"]
    # An untrusted registry is blamed at the values key that sets it.
    assert [(d.location.span.line, d.location.span.column) for d in hl605] == [(2, 13)]
    assert "values key image.registry" in hl605[0].message
    assert "harbor.corp.example/library/headlamp" in hl605[0].message


def test_json_output_says_why_each_installation_was_recognised():
    out = invoke(["check", "-f", "json", "--exit-zero", str(HERE / "mirrored.yaml")])
    document = json.loads(out.stdout)
    entries = {(i["object"]["name"], i["container"], i["line"]): i["recognised_by"] for i in document["installations"]}
    assert set(entries) == {("harbor", "ui", 11), ("digest", "dashboard", 24), ("entrypoint", "server", 39),
                            ("charted", "headlamp", 54), ("named", "headlamp", 71)}
    assert all(reason for reason in entries.values())


def test_debug_prints_the_reasons_as_notes():
    out = invoke(["check", "--debug", "-f", "concise", "--exit-zero", str(HERE / "mirrored.yaml")])
    notes = [line for line in out.stderr.splitlines() if ": Headlamp: container" in line]
    assert len(notes) == 5
    assert any('container "ui" of Deployment tools/harbor' in line and "-in-cluster" in line for line in notes)


@pytest.mark.parametrize(
    ("image", "name", "args", "env", "labels", "headlamp"),
    [
        ("harbor.example/headlamp:v1", "x", ("-oidc-client-id=a",), (), {}, True),
        ("harbor.example/headlamp", "x", ("--kubeconfig", "/k"), (), {}, True),
        ("harbor.example/headlamp", "x", ("serve",), (), {}, False),  # not a flag: weak
        ("harbor.example/headlamp-proxy", "x", ("-in-cluster",), (), {}, None),  # another image
        ("harbor.example/headlamp", "x", (), ("HEADLAMP_CONFIG_BASE_URL",), {}, True),
        ("nginx", "headlamp", (), (), {"app.kubernetes.io/name": "headlamp"}, True),
        ("nginx", "web", (), (), {"app.kubernetes.io/name": "headlamp"}, None),  # not the chart's container
        ("nginx", "headlamp", (), (), {"helm.sh/chart": "headlamp-0.40.1"}, True),
        ("nginx", "headlamp", (), (), {"helm.sh/chart": "headlamp-operator-1.0"}, None),
    ],
)
def test_matcher_signals(image, name, args, env, labels, headlamp):
    signals = ContainerSignals(image, name, True, (), args, env, labels, {})
    recognition = HeadlampMatcher()(signals)
    if headlamp is None:
        assert recognition is None
    else:
        assert recognition is not None and recognition.headlamp is headlamp and recognition.weak is (not headlamp)
        assert recognition.reason


def test_pod_templates_of_any_kind_are_workloads():
    result = _run(HERE / "kinds.yaml")
    assert set(_recognised(result)) == {
        "Rollout rollout/headlamp", "DeploymentConfig dc/headlamp", "Service knative/headlamp",
        "ScaledJob scaled/headlamp", "Dashboard custom/headlamp",
    }
    found = {(d.rule_id, d.location.span.line, d.location.span.column) for d in result.diagnostics
             if d.rule_id in ("HL023", "HL009", "HL401")}
    assert found == {
        ("HL401", 10, 11), ("HL401", 21, 11), ("HL401", 32, 11), ("HL401", 44, 13), ("HL401", 55, 11),
        ("HL023", 64, 5),  # Operator: containers at spec.runner.containers, reported once, not linted
        ("HL009", 74, 13),  # Rollout broken: spec.template is a string
    }


def test_no_false_recognition_on_the_corpus():
    corpus = shared_path("corpus")
    result = _run(corpus, jobs=1, cache=False)
    # The corpus holds no Headlamp: nothing may be recognised, and no container looks like it.
    assert result.recognised == []
    assert [d for d in result.diagnostics if d.rule_id == "HL022"] == []
    # The kinds whose containers sit outside a pod template headlamp-lint reads (HL023), kept stable.
    kinds = sorted({d.obj.kind for d in result.diagnostics if d.rule_id == "HL023" and d.obj is not None})
    assert kinds == ["JobSet", "LeaderWorkerSet", "MPIJob", "RayCluster", "RayJob", "RayService",
                     "SandboxTemplate", "WorkloadAllowlist"]
