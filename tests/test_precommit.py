"""The pre-commit hooks, checked with the real ``pre-commit``.

``try-repo`` installs the hook the way users get it: pre-commit builds a
virtualenv and pip-installs this repository into it, which needs the
package index for the dependencies. Where the index cannot be reached the
test skips and says so; any other failure fails it.
"""

from __future__ import annotations

import os
import re
import shlex
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import FIXTURES, ROOT, run_cli

HOOKS_FILE = ROOT / ".pre-commit-hooks.yaml"
NETWORK_TROUBLE = re.compile(
    r"No matching distribution found|Could not find a version that satisfies|Failed to establish a new connection"
    r"|Temporary failure in name resolution|Network is unreachable|ProxyError|Max retries exceeded"
)


def _hooks() -> list[dict]:
    from ruamel.yaml import YAML

    return YAML(typ="safe").load(HOOKS_FILE.read_text())


def _pre_commit() -> list[str]:
    pytest.importorskip("pre_commit", reason="pre-commit is not installed (it is in the test extra)")
    if shutil.which("git") is None:
        pytest.skip("git is not installed; pre-commit needs it")
    return [sys.executable, "-m", "pre_commit"]


def _git(cwd: Path, *args: str) -> None:
    env = dict(os.environ, GIT_AUTHOR_NAME="t", GIT_AUTHOR_EMAIL="t@example.invalid",
               GIT_COMMITTER_NAME="t", GIT_COMMITTER_EMAIL="t@example.invalid")
    subprocess.run(["git", *args], cwd=cwd, check=True, capture_output=True, env=env)


def test_manifest_declares_a_file_hook_and_a_project_hook():
    hooks = {hook["id"]: hook for hook in _hooks()}
    files = hooks["headlamp-lint"]
    assert files["language"] == "python" and files["types"] == ["yaml"]
    assert re.search(files["exclude"], "charts/headlamp/templates/deployment.yaml")
    assert not re.search(files["exclude"], "deploy/headlamp.yaml")
    assert files.get("pass_filenames", True) is True
    project = hooks["headlamp-lint-project"]
    assert project["language"] == "python" and project["pass_filenames"] is False
    assert project["entry"].split()[-1] == "."
    readme = (ROOT / "README.md").read_text()
    assert "id: headlamp-lint\n" in readme and "id: headlamp-lint-project" in readme


def test_validate_manifest():
    result = subprocess.run([*_pre_commit(), "validate-manifest", str(HOOKS_FILE)], capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr


def test_validate_manifest_can_fail(tmp_path):
    broken = tmp_path / "hooks.yaml"
    broken.write_text("- id: x\n  language: python\n")  # no name, no entry
    result = subprocess.run([*_pre_commit(), "validate-manifest", str(broken)], capture_output=True, text=True)
    assert result.returncode != 0


def test_hook_entry_run_directly_skips_other_yaml(tmp_path):
    """What pre-commit runs, without pre-commit: the entry with the staged files appended."""
    entry = shlex.split({h["id"]: h for h in _hooks()}["headlamp-lint"]["entry"])
    assert entry[0] == "headlamp-lint"
    (tmp_path / "ci.yml").write_text("on: push\njobs: {}\n")
    shutil.copy(FIXTURES / "reports" / "headlamp.yaml", tmp_path / "headlamp.yaml")
    clean = run_cli(*entry[1:], "ci.yml", cwd=tmp_path)
    assert clean.returncode == 0 and clean.stdout.startswith("All checks passed"), clean.stdout + clean.stderr
    found = run_cli(*entry[1:], "-f", "concise", "ci.yml", "headlamp.yaml", cwd=tmp_path)
    assert found.returncode == 1
    assert "headlamp.yaml:14:25: error:" in found.stdout and "ci.yml" not in found.stdout


def _hook_repo(tmp_path: Path) -> Path:
    """A git repository holding this worktree's tracked files as they are now."""
    if not (ROOT / ".git").exists():
        pytest.skip("not a git checkout: try-repo needs this project's files from git")
    repo = tmp_path / "hook-repo"
    listed = subprocess.run(["git", "ls-files", "-z", "--cached", "--others", "--exclude-standard"], cwd=ROOT,
                            capture_output=True, check=True).stdout.decode().split("\0")
    for name in filter(None, listed):
        source = ROOT / name
        if source.is_file():
            (repo / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, repo / name)
    _git(repo, "init", "-q")
    _git(repo, "add", "-A")
    _git(repo, "commit", "-q", "-m", "hook repo")
    return repo


def _target_repo(tmp_path: Path) -> Path:
    target = tmp_path / "target"
    (target / "chart" / "templates").mkdir(parents=True)
    shutil.copy(FIXTURES / "reports" / "headlamp.yaml", target / "headlamp.yaml")
    (target / "chart" / "Chart.yaml").write_text("apiVersion: v2\nname: x\nversion: 0.1.0\n")
    (target / "chart" / "templates" / "deployment.yaml").write_text("{{- if .Values.x }}\nkind: Pod\n{{- end }}\n")
    (target / "other").mkdir()
    shutil.copy(FIXTURES / "reports" / "headlamp.yaml", target / "other" / "headlamp.yaml")
    (target / "ci.yml").write_text("on: push\n")
    _git(target, "init", "-q")
    _git(target, "add", "-A")
    return target


def _try_repo(tmp_path: Path, target: Path, repo: Path, *args: str) -> subprocess.CompletedProcess:
    env = dict(os.environ, PRE_COMMIT_HOME=str(tmp_path / "pre-commit-home"), PRE_COMMIT_COLOR="never",
               NO_COLOR="1")
    env.pop("PYTHONPATH", None)  # the hook must run from its own installed environment
    result = subprocess.run([*_pre_commit(), "try-repo", str(repo), *args], cwd=target, capture_output=True,
                            text=True, env=env, timeout=600)
    if "An unexpected error has occurred" in result.stdout + result.stderr:
        log = tmp_path / "pre-commit-home" / "pre-commit.log"
        details = result.stdout + result.stderr + (log.read_text() if log.exists() else "")
        if NETWORK_TROUBLE.search(details):
            pytest.skip("pre-commit could not install the hook's dependencies: the package index is unreachable")
    return result


def test_try_repo_runs_both_hooks_from_a_fresh_clone(tmp_path):
    """One try-repo run (each run installs a fresh environment, about half a minute): both hooks, three files."""
    repo, target = _hook_repo(tmp_path), _target_repo(tmp_path)
    result = _try_repo(tmp_path, target, repo, "--files", "headlamp.yaml", "ci.yml", "chart/templates/deployment.yaml")
    output = result.stdout + result.stderr
    assert result.returncode == 1, output
    assert re.search(r"^headlamp-lint\.+Failed$", result.stdout, re.M), output
    assert re.search(r"^headlamp-lint \(whole repository\)\.+Failed$", result.stdout, re.M), output
    # Each hook prints the finding at its exact position; the chart template and ci.yml are not reported.
    assert output.count("\nheadlamp.yaml:14:25: error: ") == 2, output
    assert output.count("\nheadlamp.yaml:13:11: warning: ") >= 2, output
    assert "templates/deployment.yaml" not in output and "ci.yml" not in output and "HL010" not in output
    # The project hook lints the whole repository, not only the files pre-commit passed.
    assert output.count("\nother/headlamp.yaml:14:25: error: ") == 1, output
