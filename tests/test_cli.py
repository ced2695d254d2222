"""The command line as a user runs it: exit codes, stdin, selection, formats, errors."""

from __future__ import annotations

import json
import subprocess
import sys

from tests.conftest import FIXTURES, ROOT, run_cli

BAD = FIXTURES / "rules" / "hl403_privileged_container" / "bad.yaml"
GOOD = FIXTURES / "rules" / "hl403_privileged_container" / "good.yaml"
CLEAN = """\
apiVersion: v1
kind: ServiceAccount
metadata:
  name: headlamp
"""


def test_exit_0_when_clean(tmp_path):
    path = tmp_path / "sa.yaml"
    path.write_text(CLEAN)
    result = run_cli("check", str(path))
    assert result.returncode == 0, result.stderr
    assert "All checks passed" in result.stdout


def test_exit_1_on_findings_and_concise_lines():
    result = run_cli("check", "-f", "concise", str(BAD.relative_to(ROOT)))
    assert result.returncode == 1
    lines = result.stdout.splitlines()
    assert "fixtures/rules/hl403_privileged_container/bad.yaml:12:25: error:" in "\n".join(lines)
    assert all(line.endswith("]") for line in lines)
    assert lines == sorted(lines, key=lambda l: (l.split(":")[0], int(l.split(":")[1]), int(l.split(":")[2])))


def test_exit_2_for_missing_path_but_other_files_still_linted():
    result = run_cli("check", "-f", "concise", "does-not-exist.yaml", str(BAD.relative_to(ROOT)))
    assert result.returncode == 2
    assert "does-not-exist.yaml: no such file or directory" in result.stderr
    assert "[HL403]" in result.stdout


def test_fail_level_and_exit_zero():
    assert run_cli("check", "--select", "HL411", str(BAD)).returncode == 0  # info never fails by default
    assert run_cli("check", "--select", "HL411", "--fail-level", "info", str(BAD)).returncode == 1
    assert run_cli("check", "--exit-zero", str(BAD)).returncode == 0


def test_select_and_ignore_by_id_name_and_prefix():
    def rules(*args):
        out = run_cli("check", "-f", "json", *args, str(BAD)).stdout
        return {d["rule"] for d in json.loads(out)["diagnostics"]}

    assert rules("--select", "HL403") == {"HL403"}
    assert rules("--select", "privileged-container") == {"HL403"}
    assert rules("--select", "HL40", "--ignore", "HL403,HL404") >= {"HL401", "HL405"}
    assert "HL403" not in rules("--ignore", "privileged-container")
    assert rules("--select", "HL4", "--ignore", "HL4") == set()


def test_unknown_rule_is_a_usage_error_with_suggestion():
    result = run_cli("check", "--select", "privileged-containr", str(BAD))
    assert result.returncode == 2
    assert "did you mean privileged-container" in result.stderr


def test_stdin_with_stdin_filename():
    text = BAD.read_text()
    result = run_cli("check", "-f", "concise", "--stdin-filename", "deploy/headlamp.yaml", "-", stdin=text)
    assert result.returncode == 1
    assert result.stdout.startswith("deploy/headlamp.yaml:")


def test_json_output_is_parseable_and_complete():
    result = run_cli("check", "-f", "json", str(BAD))
    report = json.loads(result.stdout)
    assert report["version"] == 1
    first = report["diagnostics"][0]
    assert set(first) >= {"rule", "name", "severity", "message", "path", "line", "column", "end_line", "end_column"}


def test_output_file(tmp_path):
    out = tmp_path / "report.txt"
    result = run_cli("check", "-f", "concise", "-o", str(out), str(BAD))
    assert result.returncode == 1
    assert result.stdout == ""
    assert "[HL403]" in out.read_text()


def test_full_format_shows_source_and_caret_without_color():
    result = run_cli("check", "--select", "HL403", str(BAD), env={"NO_COLOR": "1"})
    assert "            privileged: yes" in result.stdout
    assert "^^^" in result.stdout
    assert "\x1b[" not in result.stdout


def test_color_always_and_force_color():
    assert "\x1b[" in run_cli("check", "--color", "always", str(BAD)).stdout
    assert "\x1b[" in run_cli("check", str(BAD), env={"FORCE_COLOR": "1"}).stdout


def test_rules_and_explain():
    listing = run_cli("rules")
    assert listing.returncode == 0
    assert "HL401  run-as-root" in listing.stdout
    by_id = run_cli("explain", "HL401")
    by_name = run_cli("explain", "run-as-root")
    assert by_id.stdout == by_name.stdout
    assert "## Why is this bad?" in by_id.stdout
    unknown = run_cli("explain", "HL999")
    assert unknown.returncode == 2 and "unknown rule" in unknown.stderr


def test_version():
    from linter import __version__

    result = run_cli("--version")
    assert result.returncode == 0 and __version__ in result.stdout


def test_bad_inputs_each_get_one_line_and_the_run_completes(tmp_path):
    (tmp_path / "binary.yaml").write_bytes(b"\x00\x01\x02")
    (tmp_path / "latin1.yaml").write_bytes(b"name: caf\xe9\n")
    (tmp_path / "empty.yaml").write_text("")
    (tmp_path / "scalar.yaml").write_text("hello\n")
    (tmp_path / "list.yaml").write_text("- a\n- b\n")
    good = tmp_path / "good.yaml"
    good.write_text(BAD.read_text())
    names = ["binary.yaml", "latin1.yaml", "empty.yaml", "scalar.yaml", "list.yaml", "good.yaml"]
    result = run_cli("check", "-f", "concise", *names, cwd=tmp_path)
    out = result.stdout
    assert "binary.yaml:1:1: error: binary file (NUL byte); not YAML [HL001]" in out
    assert "latin1.yaml:1:1: error: invalid UTF-8 at byte 9 [HL001]" in out
    assert "empty.yaml:1:1: info: file is empty; nothing to lint [HL010]" in out
    assert "scalar.yaml:1:1: info: document 1 is a scalar" in out
    assert "list.yaml:1:1: info: document 1 is a list" in out
    assert "good.yaml:12:25: error:" in out
    assert result.returncode == 1
    assert "Traceback" not in result.stderr


def test_directory_discovery_skips_helm_templates_and_other_yaml(tmp_path):
    chart = tmp_path / "chart"
    (chart / "templates").mkdir(parents=True)
    (chart / "Chart.yaml").write_text("apiVersion: v2\nname: x\nversion: 0.1.0\n")
    (chart / "templates" / "deploy.yaml").write_text("{{- if .Values.x }}\nkind: Pod\n{{- end }}\n")
    (tmp_path / "ci.yml").write_text("on: push\n")
    (tmp_path / "node_modules").mkdir()
    (tmp_path / "node_modules" / "bad.yaml").write_text(BAD.read_text())
    (tmp_path / "app.yaml").write_text(BAD.read_text())
    (tmp_path / "skipme.yaml").write_text(BAD.read_text())
    result = run_cli("check", "-f", "concise", "--exclude", "skip*.yaml", ".", cwd=tmp_path)
    paths = {line.split(":")[0] for line in result.stdout.splitlines()}
    assert paths == {"app.yaml"}


def test_directory_without_yaml_is_noted(tmp_path):
    (tmp_path / "README.md").write_text("x")
    result = run_cli("check", str(tmp_path))
    assert result.returncode == 0
    assert "no YAML or JSON files found" in result.stderr


def test_import_linter_is_light():
    code = "import sys, linter, linter.cli; print(sorted(m for m in ('jsonschema', 'jinja2') if m in sys.modules))"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, check=True)
    assert out.stdout.strip() == "[]"
