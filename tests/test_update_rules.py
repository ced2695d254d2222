"""Update and patch rules (HL6xx): advisory conditions over the model, options, --now, `headlamp-lint data`."""

from __future__ import annotations

import dataclasses
import datetime as dt
import json

import pytest

from linter.engine import lint_paths
from linter.model.updates import evaluate_conditions, headlamp_containers, runtime_plugin_fetches
from linter.releases import release_data
from linter.rules import hl604_vulnerable_headlamp
from linter.settings import Settings, parse_now
from linter.errors import UsageError
from linter.versions import Version
from tests.cli import invoke
from tests.test_server_settings import model_of

DEPLOYMENT = """\
apiVersion: apps/v1
kind: Deployment
metadata:
  name: headlamp
  namespace: kube-system
spec:
  template:
    spec:
      containers:
        - name: headlamp
          image: {image}
{body}
"""


def target_of(body: str, image: str = "ghcr.io/headlamp-k8s/headlamp:v0.38.0"):
    model = model_of(DEPLOYMENT.format(image=image, body=body))
    (installation,) = model.installations
    (target,) = headlamp_containers(installation)
    return target


CVE = {"in_cluster": True, "flags_enabled": ["enable-helm"]}


@pytest.mark.parametrize(
    ("body", "holds"),
    [
        ('          args: ["-in-cluster", "-enable-helm"]', True),
        ('          args: ["--in-cluster=1", "--enable-helm=true"]', True),
        # Env var, and $(VAR) expansion: a string search in args would get these wrong.
        ('          args: ["-in-cluster"]\n          env:\n            - {name: HEADLAMP_CONFIG_ENABLE_HELM, value: "true"}',
         True),
        ('          args: ["-in-cluster", "-enable-helm=$(HELM)"]\n          env:\n            - {name: HELM, value: "true"}',
         True),
        ('          args: ["-in-cluster", "-enable-helm=$(HELM)"]\n          env:\n            - {name: HELM, value: "false"}',
         False),
        # An explicit flag beats the env var.
        ('          args: ["-in-cluster", "-enable-helm=false"]\n          env:\n'
         '            - {name: HEADLAMP_CONFIG_ENABLE_HELM, value: "true"}', False),
        # Go's flag parsing stops at the first positional argument.
        ('          args: ["-in-cluster", "serve", "-enable-helm"]', False),
        ('          args: ["-enable-helm"]', False),  # not in-cluster
        ('          args: ["-in-cluster", "-enable-helm-extra"]', False),
        ('          args: ["-in-cluster"]', False),
    ],
)
def test_cve_conditions_are_evaluated_over_server_settings(body, holds):
    result = evaluate_conditions(CVE, target_of(body))
    assert result.holds is holds
    if holds:
        assert any("in-cluster" in r for r in result.reasons) and any("-enable-helm" in r for r in result.reasons)


def test_root_image_condition_reads_the_effective_security_context():
    condition = {"runs_as_image_user": True}
    assert evaluate_conditions(condition, target_of("")).holds
    assert not evaluate_conditions(condition, target_of("          securityContext: {runAsUser: 100}")).holds
    pod_level = DEPLOYMENT.replace("    spec:\n      containers:", "    spec:\n      securityContext: {{runAsUser: 7}}\n"
                                   "      containers:")
    model = model_of(pod_level.format(image="ghcr.io/headlamp-k8s/headlamp:v0.17.0", body=""))
    (target,) = headlamp_containers(model.installations[0])
    assert not evaluate_conditions(condition, target).holds  # inherited from the pod


def test_unknown_condition_is_an_error():
    with pytest.raises(ValueError, match="unknown advisory condition"):
        evaluate_conditions({"args_contain": "-enable-helm"}, target_of(""))


def test_hl604_follows_the_data_not_hard_coded_strings(monkeypatch, tmp_path):
    """A different advisory table changes what HL604 reports: the conditions are data."""
    data = release_data()
    invented = dataclasses.replace(
        data.advisory("CVE-2025-14269"), id="CVE-2099-0001", conditions={"in_cluster": False,
                                                                         "flags_enabled": ["dev"]}
    )
    fake = dataclasses.replace(data, advisories=(invented,))
    monkeypatch.setattr(hl604_vulnerable_headlamp, "release_data", lambda: fake)
    path = tmp_path / "d.yaml"
    path.write_text(DEPLOYMENT.format(image="ghcr.io/headlamp-k8s/headlamp:v0.38.0",
                                      body='          args: ["-dev", "-enable-helm"]'), encoding="utf-8")
    found = [d for d in lint_paths([str(path)], Settings(select=("HL604",))).diagnostics]
    assert [(d.line, d.column) for d in found] == [(11, 18)]
    assert "CVE-2099-0001" in found[0].message and "-dev is enabled" in found[0].message


def _lint(tmp_path, text: str, **settings):
    path = tmp_path / "in.yaml"
    path.write_text(text, encoding="utf-8")
    return lint_paths([str(path)], Settings(**settings)).diagnostics


def test_hl604_message_names_advisory_fix_and_reason(tmp_path):
    (d,) = _lint(tmp_path, DEPLOYMENT.format(image="ghcr.io/headlamp-k8s/headlamp:v0.38.0",
                                           body='          args: ["-in-cluster", "-enable-helm"]'),
                 select=("HL604",))
    assert (d.line, d.column, d.rule_id) == (11, 18, "HL604")
    for part in ("CVE-2025-14269", "CVSS 8.8", "0.38.0", "upgrade to 0.39.0", "chart 0.39.0", "arg -enable-helm"):
        assert part in d.message


def test_hl603_option_and_message(tmp_path):
    text = DEPLOYMENT.format(image="ghcr.io/headlamp-k8s/headlamp:v0.44.0", body="")
    assert _lint(tmp_path, text, select=("HL603",)) == []
    (d,) = _lint(tmp_path, text, select=("HL603",), rule_options={"HL603": {"max-minor-releases-behind": 0}})
    assert (d.line, d.column) == (11, 18)
    assert "1 minor release behind the newest known release 0.45.0 of 2026-08-21" in d.message
    assert "set image: ghcr.io/headlamp-k8s/headlamp:v0.45.0" in d.message


def test_hl605_allow_list_option(tmp_path):
    text = DEPLOYMENT.format(image="registry.example.com/mirror/headlamp-k8s/headlamp:v0.45.0", body="")
    (d,) = _lint(tmp_path, text, select=("HL605",))
    assert "not an allowed repository" in d.message
    mirror = {"HL605": {"allowed-repositories": ["registry.example.com/mirror/*"]}}
    assert _lint(tmp_path, text, select=("HL605",), rule_options=mirror) == []
    official = DEPLOYMENT.format(image="ghcr.io/headlamp-k8s/headlamp:v0.45.0", body="")
    (d,) = _lint(tmp_path, official, select=("HL605",), rule_options=mirror)  # the list replaces the default
    assert "ghcr.io/headlamp-k8s/headlamp" in d.message


@pytest.mark.parametrize(("days", "limit", "fires"), [
    (100, 180, False),
    (180, 180, False),  # exactly the limit
    (181, 180, True),
    (100, 90, True),
    (-1, 0, False),  # a clock before the data date
])
def test_hl607_age_against_now(tmp_path, days, limit, fires):
    """Relative to the shipped data's date, so that refreshing the data keeps the test meaningful."""
    updated = release_data().updated
    now = dt.datetime.combine(updated + dt.timedelta(days=days), dt.time(12), tzinfo=dt.timezone.utc)
    text = DEPLOYMENT.format(image="ghcr.io/headlamp-k8s/headlamp:v0.45.0", body="")
    found = _lint(tmp_path, text, select=("HL607",), now=now, rule_options={"HL607": {"max-age-days": limit}})
    assert [(d.line, d.column) for d in found] == ([(11, 18)] if fires else [])
    if fires:
        assert updated.isoformat() in found[0].message and f"{days} days old (more than {limit})" in found[0].message


def test_now_option_on_the_command_line(tmp_path):
    path = tmp_path / "in.yaml"
    path.write_text(DEPLOYMENT.format(image="ghcr.io/headlamp-k8s/headlamp:v0.45.0", body=""), encoding="utf-8")
    late = invoke(["check", "-f", "json", "--select", "HL607", "--now", "2099-01-01T00:00:00Z", str(path)])
    assert [d["rule"] for d in json.loads(late.stdout)["diagnostics"]] == ["HL607"]
    assert late.exit_code == 0  # info does not fail by default
    early = invoke(["check", "-f", "json", "--select", "HL607", "--now", "2026-09-01", str(path)])
    assert json.loads(early.stdout)["diagnostics"] == []


def test_parse_now():
    assert parse_now("2026-11-29") == dt.datetime(2026, 11, 29, tzinfo=dt.timezone.utc)
    assert parse_now("2026-11-29T10:30:00Z") == dt.datetime(2026, 11, 29, 10, 30, tzinfo=dt.timezone.utc)
    assert parse_now("2026-11-29T10:30:00+02:00").utcoffset() == dt.timedelta(hours=2)
    with pytest.raises(UsageError, match="--now"):
        parse_now("yesterday")


def test_plugin_fetches_found_by_what_they_run():
    body = (
        '        - name: anything\n'
        '          image: node:22.11.0-alpine\n'
        '          command: ["sh", "-c", "npx --yes @headlamp-k8s/pluginctl@latest install && '
        'npx @headlamp-k8s/pluginctl@1.0.0 list"]'
    )
    model = model_of(DEPLOYMENT.format(image="ghcr.io/headlamp-k8s/headlamp:v0.45.0", body=body))
    fetches = list(runtime_plugin_fetches(model.installations[0]))
    assert [(f.container.name, f.version, f.pinned) for f in fetches] == [
        ("anything", "latest", False),
        ("anything", "1.0.0", True),
    ]


def test_data_command_full_and_json():
    full = invoke(["data", "--now", "2026-11-29"])
    assert full.exit_code == 0
    assert "updated 2026-08-21 (100 days ago)" in full.stdout
    assert "Newest Headlamp release: 0.45.0 (2026-08-21)" in full.stdout
    assert "CVE-2025-14269" in full.stdout and "fixed in 0.39.0" in full.stdout
    result = invoke(["data", "-f", "json", "--now", "2026-11-29"])
    doc = json.loads(result.stdout)
    assert doc["updated"] == "2026-08-21" and doc["age_days"] == 100
    assert doc["newest_headlamp"] == {"version": "0.45.0", "date": "2026-08-21"}
    assert doc["newest_chart"]["version"] == "0.45.0"
    (cve,) = [a for a in doc["advisories"] if a["id"] == "CVE-2025-14269"]
    assert cve["cvss"]["score"] == 8.8 and cve["fixed"] == "0.39.0" and cve["conditions"] == CVE
    bad = invoke(["data", "--now", "soon"])
    assert bad.exit_code != 0


def test_hl401_reads_the_root_image_boundary_from_the_advisory_data(monkeypatch, tmp_path):
    from linter.rules import hl401_run_as_root

    text = DEPLOYMENT.format(image="ghcr.io/headlamp-k8s/headlamp:v0.18.0",
                             body="          securityContext: {runAsNonRoot: true}")
    assert _lint(tmp_path, text, select=("HL401",)) == []
    data = release_data()
    moved = dataclasses.replace(data.advisory("HEADLAMP-ROOT-IMAGE"), last_affected=Version(0, 18, 0),
                                fixed=Version(0, 18, 1))
    fake = dataclasses.replace(data, advisories=(moved,))
    monkeypatch.setattr(hl401_run_as_root, "release_data", lambda: fake)
    (d,) = _lint(tmp_path, text, select=("HL401",))
    assert (d.line, d.column) == (11, 18) and "up to v0.18.0" in d.message and "0.18.1" in d.message


def test_values_and_rendered_parity_for_every_update_rule():
    """The HL6xx findings of a values file equal those of its rendering (HL607 needs a late --now)."""
    from tests.conftest import FIXTURES
    from tests.test_values_parity import findings

    case = FIXTURES / "values" / "pairs" / "update-and-patch"
    late = ("--now", "2099-01-01", "--select", "HL6")
    from_values = findings(*late, "--chart-version", "0.45.0", "--values", str(case / "values.yaml"))
    from_rendered = findings(*late, str(case / "rendered.yaml"))
    assert from_values == from_rendered
    deployment = "Deployment/default/headlamp"
    assert from_values == {
        ("HL601", deployment, "headlamp-plugin"),
        ("HL602", deployment, "headlamp"),
        ("HL602", deployment, "headlamp-plugin"),
        ("HL603", deployment, "headlamp"),
        ("HL604", deployment, "headlamp"),
        ("HL606", deployment, "headlamp-plugin"),
        ("HL607", deployment, ""),  # about the data, not a container
    }


def test_hl604_values_positions_and_wording(tmp_path):
    """image.tag v0.38.0 with config.enableHelm: true names the CVE and 0.39.0 at the tag; Helm off: only HL603."""
    values = tmp_path / "values.yaml"
    values.write_text("image:\n  tag: v0.38.0\nconfig:\n  enableHelm: true\n", encoding="utf-8")
    found = lint_paths([], Settings(select=("HL603", "HL604"), values_files=(str(values),))).diagnostics
    assert sorted((d.rule_id, d.line, d.column) for d in found) == [("HL603", 2, 8), ("HL604", 2, 8)]
    (cve,) = [d for d in found if d.rule_id == "HL604"]
    assert "CVE-2025-14269" in cve.message and "0.39.0" in cve.message and "values key config.enableHelm" in cve.message
    values.write_text("image:\n  tag: v0.38.0\n", encoding="utf-8")
    found = lint_paths([], Settings(select=("HL603", "HL604"), values_files=(str(values),))).diagnostics
    assert [(d.rule_id, d.line, d.column) for d in found] == [("HL603", 2, 8)]
