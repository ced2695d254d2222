"""Baselines: stable fingerprints, hidden and stale counts."""

from __future__ import annotations

import json
import os
from dataclasses import dataclass

import pytest

from tests.cli import invoke as invoke_cli
from tests.conftest import run_cli

POD = """\
apiVersion: v1
kind: Pod
metadata:
  name: {name}
spec:
  containers:
    - name: headlamp
      image: ghcr.io/headlamp-k8s/headlamp:v0.45.0
      securityContext:
        privileged: true
        runAsUser: 0
"""
SA = "apiVersion: v1\nkind: ServiceAccount\nmetadata:\n  name: headlamp\n"


@dataclass
class Ran:
    returncode: int
    stdout: str
    stderr: str


def invoke(cwd, *args) -> Ran:
    """The CLI in-process (a subprocess per run would make this file slow), from ``cwd``."""
    old = os.getcwd()
    os.chdir(cwd)
    try:
        result = invoke_cli(args)
    finally:
        os.chdir(old)
    return Ran(result.exit_code, result.stdout, result.stderr)


def check(cwd, *args):
    result = invoke(cwd, "check", "-f", "json", "--isolated", *args)
    assert result.returncode in (0, 1), result.stderr
    return json.loads(result.stdout), result


@pytest.fixture
def project(tmp_path):
    (tmp_path / "deploy").mkdir()
    (tmp_path / "deploy" / "pods.yaml").write_text(POD.format(name="a") + "---\n" + POD.format(name="b"))
    (tmp_path / "deploy" / "sa.yaml").write_text(SA)
    result = invoke(tmp_path, "check", "--isolated", "--write-baseline", "baseline.json", "deploy")
    assert result.returncode == 0, result.stderr
    assert "wrote" in result.stderr
    return tmp_path


def test_baseline_hides_everything_recorded(project):
    report, result = check(project, "--baseline", "baseline.json", "deploy")
    assert report["diagnostics"] == []
    recorded = len(json.loads((project / "baseline.json").read_text())["findings"])
    assert recorded > 4
    assert report["baseline"] == {"hidden": recorded, "stale": 0}
    assert result.returncode == 0
    assert f"{recorded} known findings hidden" in result.stderr


def test_entries_hold_no_line_numbers_and_are_readable(project):
    entries = json.loads((project / "baseline.json").read_text())["findings"]
    assert all(set(e) == {"fingerprint", "rule", "path", "object", "key", "message"} for e in entries)
    assert {e["path"] for e in entries} == {"deploy/pods.yaml"}
    assert any(e["object"] == "Pod/default/a" and e["key"].endswith("securityContext.privileged") for e in entries)


def test_stable_when_lines_are_inserted_above(project):
    path = project / "deploy" / "pods.yaml"
    path.write_text("# a new header\n# more text\n\n" + path.read_text().replace("  name: a\n", "  name: a\n  labels: {x: y}\n"))
    report, _ = check(project, "--baseline", "baseline.json", "deploy")
    assert report["diagnostics"] == []
    assert report["baseline"]["stale"] == 0


def test_stable_when_documents_are_reordered(project):
    path = project / "deploy" / "pods.yaml"
    path.write_text(POD.format(name="b") + "---\n" + POD.format(name="a"))
    report, _ = check(project, "--baseline", "baseline.json", "deploy")
    assert report["diagnostics"] == []


def test_stable_from_another_working_directory(project):
    report, _ = check(project / "deploy", "--baseline", "../baseline.json", ".")
    assert report["diagnostics"] == []


def test_new_findings_are_reported_and_fixed_ones_are_stale(project):
    path = project / "deploy" / "pods.yaml"
    # Pod a: privileged fixed (its HL403 entry is now stale); Pod c: new, all of it reported.
    path.write_text(
        POD.format(name="a").replace("privileged: true", "privileged: false")
        + "---\n"
        + POD.format(name="b")
        + "---\n"
        + POD.format(name="c")
    )
    report, result = check(project, "--baseline", "baseline.json", "deploy")
    objects = {d["object"]["name"] for d in report["diagnostics"]}
    assert objects == {"c"}
    before = json.loads((project / "baseline.json").read_text())["findings"]
    fixed = [e for e in before if e["object"] == "Pod/default/a" and e["rule"] == "HL403"]
    assert len(fixed) == 1
    assert report["baseline"]["stale"] == len(fixed)
    assert f"{len(fixed)} entries no longer match" in result.stderr
    assert result.returncode == 1


def test_equal_fingerprints_are_counted(project):
    # One more identical container finding in the same object and key would share the fingerprint:
    # duplicate the whole file's Pod b (same kind/namespace/name) and only one copy is hidden.
    path = project / "deploy" / "pods.yaml"
    path.write_text(path.read_text() + "---\n" + POD.format(name="b"))
    report, _ = check(project, "--baseline", "baseline.json", "deploy")
    assert report["diagnostics"] and {d["object"]["name"] for d in report["diagnostics"]} == {"b"}
    assert all(d["line"] > 22 for d in report["diagnostics"])  # the later copy is the new one


def test_unselected_rules_and_unchecked_files_are_not_stale(project):
    report, _ = check(project, "--baseline", "baseline.json", "--select", "HL401", "deploy")
    assert report["baseline"]["stale"] == 0
    report, _ = check(project, "--baseline", "baseline.json", "deploy/sa.yaml")
    assert report["baseline"] == {"hidden": 0, "stale": 0}


def test_bad_baseline_files_are_usage_errors(project):
    (project / "bad.json").write_text("{not json")
    for name, message in (("bad.json", "not a headlamp-lint baseline"), ("missing.json", "no such file")):
        result = run_cli("check", "--isolated", "--baseline", name, "deploy", cwd=project)
        assert result.returncode == 2
        assert message in result.stderr
        assert "Traceback" not in result.stderr


def test_the_baseline_file_is_not_linted_as_input(project):
    assert invoke(project, "check", "--isolated", "--write-baseline", "deploy/bl.json", "deploy").returncode == 0
    report, _ = check(project / "deploy", "--baseline", "bl.json", ".")
    assert report["files_checked"] == 2
    assert report["diagnostics"] == []
