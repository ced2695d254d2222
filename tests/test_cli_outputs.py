"""The command line's output options: repeatable FORMAT[=PATH], --output-file, problem matchers."""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET
from importlib.resources import files

from tests.conftest import FIXTURES, ROOT, run_cli

BAD = (FIXTURES / "reports" / "headlamp.yaml").relative_to(ROOT).as_posix()


def test_several_outputs_in_one_run(tmp_path):
    sarif = tmp_path / "results.sarif"
    junit = tmp_path / "junit.xml"
    result = run_cli("check", "-f", "github", "-f", f"sarif={sarif}", "-f", f"junit={junit}", BAD)
    assert result.returncode == 1, result.stderr
    assert result.stdout.startswith("::")
    assert all(line.startswith(("::error ", "::warning ", "::notice ")) for line in result.stdout.splitlines())
    results = json.loads(sarif.read_text())["runs"][0]["results"]
    assert len(results) == len(result.stdout.splitlines())
    assert ET.parse(junit).getroot().tag == "testsuites"


def test_default_is_full_on_stdout_and_a_path_only_format_prints_nothing_else(tmp_path):
    report = tmp_path / "r.html"
    result = run_cli("check", "-f", f"html={report}", BAD)
    assert result.returncode == 1 and result.stdout == ""
    assert report.read_text().startswith("<!DOCTYPE html>")
    assert "^^^" in run_cli("check", BAD).stdout


def test_output_file_applies_to_the_format_without_a_path(tmp_path):
    out, sarif = tmp_path / "out.md", tmp_path / "x.sarif"
    result = run_cli("check", "-f", "markdown", "-f", f"sarif={sarif}", "-o", str(out), BAD)
    assert result.returncode == 1 and result.stdout == ""
    assert out.read_text().startswith("## headlamp-lint") and sarif.exists()


def test_explicit_dash_is_stdout(tmp_path):
    result = run_cli("check", "-f", "concise=-", BAD)
    assert result.returncode == 1 and result.stdout.startswith(BAD + ":")


def test_output_usage_errors(tmp_path):
    two = run_cli("check", "-f", "github", "-f", "concise", BAD)
    assert two.returncode == 2 and "would both go to standard output" in two.stderr
    unknown = run_cli("check", "-f", "yaml", BAD)
    assert unknown.returncode == 2 and "unknown format 'yaml'" in unknown.stderr and "sarif" in unknown.stderr
    empty = run_cli("check", "-f", "sarif=", BAD)
    assert empty.returncode == 2 and "empty" in empty.stderr
    all_paths = run_cli("check", "-f", f"sarif={tmp_path / 'a'}", "-o", str(tmp_path / "b"), BAD)
    assert all_paths.returncode == 2 and "--output-file" in all_paths.stderr
    same = run_cli("check", "-f", f"sarif={tmp_path / 'a'}", "-f", f"json={tmp_path / 'a'}", BAD)
    assert same.returncode == 2 and "two formats would write" in same.stderr
    for result in (two, unknown, empty, all_paths, same):
        assert "Traceback" not in result.stderr


def test_unwritable_output_is_exit_2_without_traceback(tmp_path):
    result = run_cli("check", "-f", f"sarif={tmp_path / 'missing-dir' / 'x.sarif'}", BAD)
    assert result.returncode == 2 and "cannot write report" in result.stderr and "Traceback" not in result.stderr


def test_problem_matcher_command_prints_the_shipped_files():
    for kind in ("github", "vscode"):
        result = run_cli("problem-matcher", kind)
        assert result.returncode == 0
        shipped = files("linter.data").joinpath(f"problem-matcher-{kind}.json").read_text(encoding="utf-8")
        assert result.stdout == shipped
        json.loads(result.stdout)
    assert run_cli("problem-matcher", "emacs").returncode == 2


def test_readme_vscode_task_uses_the_shipped_matcher():
    import re

    readme = (ROOT / "README.md").read_text()
    block = re.search(r"```jsonc?\n(\{\n  \"version\": \"2.0.0\".*?)```", readme, re.S)
    assert block, "README shows a VS Code tasks.json"
    tasks = json.loads(block.group(1))
    matcher = json.loads(files("linter.data").joinpath("problem-matcher-vscode.json").read_text(encoding="utf-8"))
    task = tasks["tasks"][0]
    assert task["problemMatcher"] == matcher
    assert "-f" in task["args"] and "concise" in task["args"]


def test_readme_snippets_are_valid_and_use_real_formats_and_hooks():
    import re

    from ruamel.yaml import YAML

    from linter.reporters import REPORTERS

    readme = (ROOT / "README.md").read_text()
    blocks = re.findall(r"```yaml\n(.*?)```", readme, re.S)
    loaded = [YAML(typ="safe").load(block) for block in blocks]
    assert any(isinstance(doc, dict) and "repos" in doc for doc in loaded), "a pre-commit config"
    assert any(isinstance(doc, dict) and "jobs" in doc for doc in loaded), "a GitHub workflow"
    gitlab = [doc for doc in loaded if isinstance(doc, dict) and "headlamp-lint" in doc]
    assert gitlab and gitlab[0]["headlamp-lint"]["artifacts"]["reports"]["codequality"]
    hook_ids = {hook["id"] for doc in loaded if isinstance(doc, dict) and "repos" in doc
                for repo in doc["repos"] for hook in repo["hooks"]}
    shipped = {hook["id"] for hook in YAML(typ="safe").load((ROOT / ".pre-commit-hooks.yaml").read_text())}
    assert hook_ids == shipped
    for spec in re.findall(r"-f \"?([a-z]+)(?:=|\b)", readme):
        assert spec in REPORTERS, spec


def test_hostile_file_name_and_object_name_through_every_format(tmp_path):
    """A real run: the object name and the file name carry markup, quotes, %, :: and an ANSI escape."""
    import re

    from linter.reporters import REPORTERS

    name = 'x<script>"q"%::.yaml'
    text = (FIXTURES / "reports" / "headlamp.yaml").read_text().replace(
        "  name: headlamp\n  namespace", '  name: "<script>alert(1)</script>\'\\"%0A::warning::x\\e[31m"\n  namespace', 1
    )
    (tmp_path / name).write_text(text)
    args = [f"{fmt}={tmp_path / ('out.' + fmt)}" for fmt in REPORTERS if fmt != "full"]
    result = run_cli("check", "-f", "full", *[a for spec in args for a in ("-f", spec)], name, cwd=tmp_path)
    assert result.returncode == 1, result.stderr
    assert "<script>alert(1)</script>" in result.stdout  # full, to the terminal: shown as text
    assert "\x1b" not in result.stdout
    out = {fmt: (tmp_path / ("out." + fmt)).read_text() for fmt in REPORTERS if fmt != "full"}
    assert "<script>" not in out["html"] and "&lt;script&gt;alert(1)&lt;/script&gt;" in out["html"]
    assert "<script>" not in out["markdown"]
    assert ET.fromstring(out["junit"]).tag == "testsuites"
    for fmt in ("json", "sarif", "gitlab"):
        assert "<script>alert(1)</script>" in json.dumps(json.loads(out[fmt]), ensure_ascii=False)
    for line in out["github"].splitlines():
        assert re.fullmatch(r"::(error|warning|notice) [^:]*::.*", line), line
    assert all("\x1b" not in body for body in out.values())
