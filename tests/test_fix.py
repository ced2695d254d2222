"""--fix and --diff: golden results, idempotence, byte preservation, safety."""

from __future__ import annotations

import difflib
import shutil

import pytest

from linter.engine import lint_paths
from linter.fix import plan_fixes, write_fixes
from linter.rules import all_rules
from linter.settings import Settings
from tests.conftest import FIXTURES, run_cli

SOURCE = FIXTURES / "fixes" / "deployment.yaml"
GOLDEN = FIXTURES / "fixes" / "deployment.fixed.yaml"
FIXED_RULES = {"HL401", "HL402", "HL404", "HL405", "HL407", "HL408"}
SAFE = {r.id: r.fix for r in all_rules() if r.fix is not None and r.fix.applicability == "safe"}


@pytest.fixture
def work(tmp_path):
    path = tmp_path / "deployment.yaml"
    shutil.copy(SOURCE, path)
    return path


def test_fix_matches_golden_and_relints_clean(work):
    result = run_cli("check", "--fix", "-f", "concise", str(work))
    assert work.read_text() == GOLDEN.read_text()
    remaining = {line.rsplit("[", 1)[1].rstrip("]") for line in result.stdout.splitlines()}
    assert not remaining & FIXED_RULES
    assert "fixed 10 problems in 1 file" in result.stderr


def test_fix_is_idempotent(work):
    run_cli("check", "--fix", str(work))
    once = work.read_bytes()
    second = run_cli("check", "--fix", str(work))
    assert work.read_bytes() == once
    assert "fixed 0 problems" in second.stderr


def test_untouched_lines_are_preserved_byte_for_byte():
    before = SOURCE.read_text().splitlines()
    after = GOLDEN.read_text().splitlines()
    matcher = difflib.SequenceMatcher(a=before, b=after, autojunk=False)
    replaced = []
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag in ("replace", "delete"):
            replaced.extend(before[i1:i2])
    # Only the two lines whose values the fixes change are rewritten; comments, quotes and flow style stay.
    assert replaced == ["            allowPrivilegeEscalation: true", "            capabilities: {drop: [NET_RAW]}"]


def test_diff_prints_and_writes_nothing(work):
    original = work.read_bytes()
    result = run_cli("check", "--diff", str(work))
    assert result.returncode == 1
    assert work.read_bytes() == original
    assert "+            allowPrivilegeEscalation: false" in result.stdout
    assert result.stdout.startswith("--- a/")


def test_diff_exit_0_when_nothing_to_fix(tmp_path):
    path = tmp_path / "clean.yaml"
    shutil.copy(GOLDEN, path)
    assert run_cli("check", "--diff", str(path)).returncode == 0


def test_crlf_and_bom_are_kept(tmp_path):
    path = tmp_path / "crlf.yaml"
    path.write_bytes(b"\xef\xbb\xbf" + SOURCE.read_text().replace("\n", "\r\n").encode())
    run_cli("check", "--fix", str(path))
    data = path.read_bytes()
    assert data.startswith(b"\xef\xbb\xbf")
    assert b"\n" not in data.replace(b"\r\n", b"")
    assert data[3:].decode().replace("\r\n", "\n") == GOLDEN.read_text()


def test_refuses_to_write_a_file_changed_since_it_was_linted(work):
    result = lint_paths([str(work)], Settings())
    fixes = plan_fixes(result, SAFE)
    work.write_text(work.read_text() + "# edited meanwhile\n")
    errors = write_fixes(fixes, result)
    assert errors and "changed on disk" in errors[0]
    assert work.read_text().endswith("# edited meanwhile\n")


def test_stdin_is_never_written(tmp_path):
    """With '-', --fix prints the fixed text to standard output (as ruff does) and writes no file."""
    result = run_cli("check", "--fix", "-", stdin=SOURCE.read_text(), cwd=tmp_path)
    assert "fixed 10 problems in 1 file" in result.stderr
    assert list(tmp_path.iterdir()) == []
    assert result.stdout != SOURCE.read_text() and "allowPrivilegeEscalation: false" in result.stdout


def test_every_fix_is_documented_in_rule_docs():
    for rule in all_rules():
        if rule.fix is not None:
            assert rule.meta.fix == rule.fix.applicability
            assert "--fix" in rule.doc, f"{rule.id} docs do not say what --fix does"



def _rules(path) -> set[str]:
    return {line.rsplit("[", 1)[1].rstrip("]") for line in run_cli("check", "-f", "concise", str(path)).stdout.splitlines()}


@pytest.mark.parametrize(
    ("api_version", "kind"),
    [
        ("argoproj.io/v1alpha1", "Rollout"),
        ("apps.openshift.io/v1", "DeploymentConfig"),
        ("example.com/v1", "Workload"),  # a kind we do not know, with a pod template at spec.template.spec
    ],
)
def test_fixes_reach_every_workload_kind_the_model_reads(api_version, kind, tmp_path):
    """A finding marked fixable on a Rollout (or any kind the model reads) is fixed there too:
    the fixes find the pod spec where the model does."""
    path = tmp_path / "workload.yaml"
    path.write_text(
        f"apiVersion: {api_version}\nkind: {kind}\nmetadata:\n  name: headlamp\n"
        "spec:\n  template:\n    spec:\n      containers:\n        - name: headlamp\n"
        "          image: ghcr.io/headlamp-k8s/headlamp:v0.45.0\n"
        "          securityContext:\n            allowPrivilegeEscalation: true\n"
    )
    assert {"HL404", "HL405"} <= _rules(path)
    run_cli("check", "--fix", str(path))
    assert not _rules(path) & FIXED_RULES


MIRRORED = """\
apiVersion: apps/v1
kind: Deployment
metadata:
  name: console
  namespace: ops
spec:
  selector:
    matchLabels: {app: console}
  template:
    metadata:
      labels: {app: console}
    spec:
      containers:
        - name: console
          image: IMAGE
          args: ["-in-cluster"]
        - name: proxy
          image: quay.io/oauth2-proxy/oauth2-proxy:v7.6.0
"""


@pytest.mark.parametrize("image, config", [
    # A mirror: the repository ends in headlamp and the container takes Headlamp's server flags.
    ("harbor.corp.example/dockerhub-proxy/headlamp:v0.40.1", None),
    # A repository named by the configuration's headlamp-images.
    ("registry.corp.example/platform/console:2.1.0", "headlamp-images: [registry.corp.example/platform/console]\n"),
])
def test_headlamp_only_fixes_follow_the_models_recognition_of_mirrors(tmp_path, image, config):
    path = tmp_path / "deployment.yaml"
    path.write_text(MIRRORED.replace("IMAGE", image))
    if config is not None:
        (tmp_path / ".headlamp-lint.yaml").write_text(config)
    listed = run_cli("check", "-f", "concise", "--select", "HL401", str(path), cwd=tmp_path)
    marked = {line.split(": ")[0].rsplit(":", 2)[-2]: "[*]" in line for line in listed.stdout.splitlines()}
    assert marked == {"14": True, "17": False}  # the Headlamp container's finding is fixable, the proxy's not
    run_cli("check", "--fix", "--select", "HL401", str(path), cwd=tmp_path)
    assert path.read_text() == MIRRORED.replace("IMAGE", image).replace(
        '          args: ["-in-cluster"]\n',
        '          args: ["-in-cluster"]\n          securityContext:\n            runAsUser: 100\n')
