"""The composite GitHub Action (action.yml): its shape, its safety, and its lint step run for real in bash."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys

import pytest

from tests.conftest import FIXTURES, ROOT


def _action() -> dict:
    from ruamel.yaml import YAML

    return YAML(typ="safe").load((ROOT / "action.yml").read_text())


def test_action_is_composite_and_every_input_is_described_and_documented():
    action = _action()
    assert action["runs"]["using"] == "composite"
    readme = (ROOT / "README.md").read_text()
    for name, spec in action["inputs"].items():
        assert spec["description"], name
        assert f"`{name}`" in readme, f"input {name} is not documented in the README"
    text = (ROOT / "action.yml").read_text()
    used = set(re.findall(r"inputs\.([a-z][a-z0-9-]*)", text))
    assert used <= set(action["inputs"]), used - set(action["inputs"])
    uses = [step.get("uses", "") for step in action["runs"]["steps"]]
    assert any(u.startswith("github/codeql-action/upload-sarif@") for u in uses)


def test_action_never_substitutes_expressions_into_scripts():
    """Inputs reach scripts through env only: `${{ }}` in a run: block is a script-injection hole."""
    for step in _action()["runs"]["steps"]:
        if "run" in step:
            assert "${{" not in step["run"], step.get("name")
            assert step["shell"] == "bash"


def _lint_step() -> str:
    return next(step["run"] for step in _action()["runs"]["steps"] if step.get("id") == "lint")


@pytest.fixture
def runner(tmp_path):
    """A stand-in for the runner: the venv's headlamp-lint is this checkout, and GitHub's files are temp files."""
    if shutil.which("bash") is None:
        pytest.skip("bash is not installed")
    bin_dir = tmp_path / "temp" / "headlamp-lint-venv" / "bin"
    bin_dir.mkdir(parents=True)
    shim = bin_dir / "headlamp-lint"
    shim.write_text(f'#!/bin/sh\nPYTHONPATH="{ROOT}" exec "{sys.executable}" -m linter "$@"\n')
    shim.chmod(0o755)
    (bin_dir / "python").symlink_to(sys.executable)
    work = tmp_path / "work"
    (work / "deploy").mkdir(parents=True)
    shutil.copy(FIXTURES / "reports" / "headlamp.yaml", work / "deploy" / "headlamp.yaml")

    def run(**inputs: str) -> tuple[subprocess.CompletedProcess, dict]:
        env = {k: v for k, v in os.environ.items() if not k.startswith(("GITHUB_", "INPUT_"))}
        env.update(
            RUNNER_TEMP=str(tmp_path / "temp"),
            GITHUB_OUTPUT=str(tmp_path / "output"),
            GITHUB_STEP_SUMMARY=str(tmp_path / "summary.md"),
            INPUT_PATHS=inputs.get("paths", "."),
            INPUT_ARGS=inputs.get("args", ""),
            INPUT_SARIF_FILE=inputs.get("sarif-file", "headlamp-lint.sarif"),
            INPUT_ANNOTATE=inputs.get("annotate", "true"),
            INPUT_STEP_SUMMARY=inputs.get("step-summary", "true"),
        )
        (tmp_path / "output").write_text("")
        result = subprocess.run(["bash", "-e", "-c", _lint_step()], cwd=work, env=env, capture_output=True,
                                text=True, timeout=120)
        outputs = dict(line.split("=", 1) for line in (tmp_path / "output").read_text().splitlines())
        return result, outputs

    run.work = work
    run.tmp = tmp_path
    return run


def test_lint_step_annotates_writes_sarif_and_summary(runner):
    result, outputs = runner(args="--select HL403,HL405")
    assert result.returncode == 0, result.stderr  # the last step fails the job, after the upload
    assert outputs == {"exit-code": "1"}
    lines = result.stdout.splitlines()
    assert "::error file=deploy/headlamp.yaml,line=14,col=25,endLine=14,endColumn=29," in lines[1]
    assert lines[0].startswith("::warning file=deploy/headlamp.yaml,line=13,")
    sarif = json.loads((runner.work / "headlamp-lint.sarif").read_text())
    assert [r["ruleId"] for r in sarif["runs"][0]["results"]] == ["HL405", "HL403"]
    summary = (runner.tmp / "summary.md").read_text()
    assert summary.startswith("## headlamp-lint") and "HL403" in summary


def test_lint_step_treats_inputs_as_data(runner):
    result, outputs = runner(args="$(touch pwned) `touch pwned2`", paths="deploy;touch pwned3")
    assert outputs == {"exit-code": "2"}
    assert not any((runner.work / name).exists() for name in ("pwned", "pwned2", "pwned3"))


def test_lint_step_clean_run(runner):
    result, outputs = runner(args="--select HL409", annotate="false", **{"step-summary": "false"})
    assert outputs == {"exit-code": "0"} and result.stdout == ""
    assert not (runner.tmp / "summary.md").exists()


def test_lint_step_reads_args_and_paths_as_shell_words(runner):
    """Quotes group words and are removed, as in a shell: --exclude "skip me*" excludes, a quoted path
    with a space is one path."""
    (runner.work / "skip me").mkdir()
    shutil.copy(FIXTURES / "reports" / "headlamp.yaml", runner.work / "skip me" / "x.yaml")
    (runner.work / "my deploy").mkdir()
    shutil.copy(FIXTURES / "reports" / "headlamp.yaml", runner.work / "my deploy" / "a.yaml")
    result, outputs = runner(args='--select HL403 --exclude "skip me*"', paths="'my deploy' deploy 'skip me'",
                             **{"step-summary": "false"})
    assert outputs == {"exit-code": "1"}, result.stderr
    files = sorted({re.search(r"file=([^,]+),", line).group(1) for line in result.stdout.splitlines()})
    assert files == ["deploy/headlamp.yaml", "my deploy/a.yaml"]


def test_lint_step_refuses_an_unclosed_quote(runner):
    result, outputs = runner(args='--exclude "vendor/*')
    assert outputs == {"exit-code": "2"}
    assert "headlamp-lint: error: the args input is not shell words: No closing quotation" in result.stderr
    assert "Traceback" not in result.stderr
