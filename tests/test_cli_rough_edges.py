"""What a new user of the command line hits first: standard input with --fix and --diff, closed pipes,
missing paths, the summary line, --statistics, the fixable marker, --show-fixes, --quiet, --show-files,
the concise summary on a terminal and each rule's documentation link."""

from __future__ import annotations

import json
import os
import pty
import shutil
import subprocess
import sys

import pytest

from linter import __version__
from linter.reporters import _common
from linter.reporters._common import help_uri, rule_docs_base
from linter.rules import all_rules
from tests.cli import invoke
from tests.conftest import FIXTURES, ROOT

DEPLOYMENT = FIXTURES / "fixes" / "deployment.yaml"
FIXED = FIXTURES / "fixes" / "deployment.fixed.yaml"
REPORT = FIXTURES / "reports" / "headlamp.yaml"
ENV = {**os.environ, "PYTHONPATH": str(ROOT)}


def run(*args: str, stdin: str | None = None, cwd=None) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "linter", *args], input=stdin, capture_output=True, text=True,
                          cwd=cwd or ROOT, env=ENV, timeout=120)


# --- standard input with --fix and --diff --------------------------------------------------------------------------


def test_fix_on_stdin_prints_the_fixed_text_and_reports_what_remains(tmp_path):
    """As ruff does: the fixed text on standard output, the report on standard error; the same text and the
    same remaining findings as --fix on a file."""
    on_disk = tmp_path / "deploy.yaml"
    shutil.copy(DEPLOYMENT, on_disk)
    by_file = run("check", "--fix", "-f", "concise", "deploy.yaml", cwd=tmp_path)
    piped = run("check", "--fix", "-f", "concise", "--stdin-filename", "deploy.yaml", "-",
                stdin=DEPLOYMENT.read_text(), cwd=tmp_path)
    assert piped.stdout == on_disk.read_text() == FIXED.read_text()
    assert piped.returncode == by_file.returncode == 1
    remaining = [line for line in piped.stderr.splitlines() if line.startswith("deploy.yaml:")]
    assert remaining == by_file.stdout.splitlines() and remaining
    assert "[*]" not in piped.stderr  # what --fix left is what it could not fix
    assert sorted(p.name for p in tmp_path.iterdir()) == ["deploy.yaml"]  # nothing written for stdin


def test_fix_on_stdin_with_nothing_to_fix_prints_the_input_unchanged():
    text = "apiVersion: v1\nkind: ServiceAccount\nmetadata:\n  name: headlamp\n"
    result = run("check", "--fix", "-", stdin=text)
    assert (result.returncode, result.stdout) == (0, text)
    assert "All checks passed (1 file checked)." in result.stderr


def test_fix_on_stdin_keeps_crlf_line_ends():
    text = DEPLOYMENT.read_text().replace("\n", "\r\n")
    result = subprocess.run([sys.executable, "-m", "linter", "check", "--fix", "-"], input=text.encode(),
                            capture_output=True, cwd=ROOT, env=ENV, timeout=120)
    assert result.stdout == FIXED.read_text().replace("\n", "\r\n").encode()


def test_diff_on_stdin_prints_the_diff(tmp_path):
    shutil.copy(DEPLOYMENT, tmp_path / "deploy.yaml")
    by_file = run("check", "--diff", "deploy.yaml", cwd=tmp_path)
    piped = run("check", "--diff", "--stdin-filename", "deploy.yaml", "-", stdin=DEPLOYMENT.read_text(),
                cwd=tmp_path)
    assert piped.stdout == by_file.stdout and piped.stdout.startswith("--- a/deploy.yaml\n+++ b/deploy.yaml\n")
    assert piped.returncode == 1
    assert "10 fixes in 1 file (not written)" in piped.stderr


# --- closed pipes --------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("args", [["rules"], ["explain", "HL401"], ["--help"], ["check", "-f", "concise", "examples"],
                                  ["data"], ["check", "--help"]])
def test_a_closed_pipe_ends_the_command_quietly(args):
    """`headlamp-lint rules | head -1`: the reader is gone before the first write."""
    read_end, write_end = os.pipe()
    os.close(read_end)
    try:
        done = subprocess.run([sys.executable, "-m", "linter", *args], stdout=write_end, stderr=subprocess.PIPE,
                              text=True, cwd=ROOT, env=ENV, timeout=120)
    finally:
        os.close(write_end)
    assert (done.returncode, done.stderr) == (141, "")


def test_a_pipe_closed_by_head_loses_nothing_before_it():
    done = subprocess.run(f"'{sys.executable}' -m linter explain HL401 | head -1", shell=True, capture_output=True,
                          text=True, cwd=ROOT, env=ENV, timeout=120)
    assert done.stdout == "# HL401 run-as-root: Container may run as root\n" and done.stderr == ""


# --- the summary line ----------------------------------------------------------------------------------------------


def test_a_missing_path_gives_no_success_summary():
    result = run("check", "does-not-exist.yaml")
    assert result.returncode == 2
    assert "All checks passed" not in result.stdout
    assert result.stdout == ("0 files checked, none with problems; the run failed with 1 error (on standard"
                             " error).\n")
    assert result.stderr == "headlamp-lint: error: does-not-exist.yaml: no such file or directory\n"


def test_the_summary_counts_files_checked_and_files_with_problems():
    result = run("check", "--select", "HL403", str(REPORT.relative_to(ROOT)), "examples/headlamp-hardened.yaml")
    assert result.stdout.splitlines()[-1] == "Found 1 problem (1 error); 2 files checked, 1 with problems."
    failed = run("check", "--select", "HL403", str(REPORT.relative_to(ROOT)), "nowhere.yaml")
    assert failed.stdout.splitlines()[-1] == ("Found 1 problem (1 error); 1 file checked, 1 with problems; the run"
                                              " failed with 1 error (on standard error).")


def test_the_summary_counts_what_fix_would_fix():
    result = run("check", "--select", "HL404,HL405,HL412", str(DEPLOYMENT.relative_to(ROOT)))
    assert result.stdout.splitlines()[-1] == ("Found 5 problems (2 errors, 3 warnings); 1 file checked, 1 with"
                                              " problems; [*] 4 fixable with --fix.")


# --- --statistics, the [*] marker, --show-fixes, --quiet ------------------------------------------------------------


def test_statistics_counts_findings_per_rule():
    result = run("check", "--statistics", "--select", "HL404,HL405,HL412,HL501", "examples/headlamp-insecure.yaml")
    assert result.returncode == 1
    assert result.stdout.splitlines() == [
        "1  HL404  [*] privilege-escalation-allowed",
        "1  HL405  [*] capabilities-not-dropped",
        "1  HL412  [ ] missing-resource-limits",
        "1  HL501  [ ] no-network-policy",
        "Found 4 problems (1 error, 3 warnings); 1 file checked, 1 with problems; [*] 2 fixable with --fix.",
    ]
    as_json = json.loads(run("check", "--statistics", "-f", "json", "--select", "HL404,HL411,HL602",
                             "examples/headlamp-insecure.values.yaml", "examples/headlamp-insecure.yaml").stdout)
    assert as_json == [
        {"rule": "HL404", "name": "privilege-escalation-allowed", "count": 2, "fixable": 2},
        {"rule": "HL411", "name": "host-users", "count": 2, "fixable": 0},
        {"rule": "HL602", "name": "image-not-pinned-by-digest", "count": 2, "fixable": 0},
    ]


def test_statistics_takes_only_text_or_json():
    result = invoke(["check", "--statistics", "-f", "sarif", "examples"])
    assert (result.exit_code, result.stderr) == (
        2, "headlamp-lint: error: --statistics prints a table or JSON: use it with -f full, concise or json\n")


def test_fixable_findings_are_marked_in_both_text_formats():
    args = ["check", "--select", "HL404,HL412", str(DEPLOYMENT.relative_to(ROOT))]
    concise = invoke([*args, "-f", "concise"]).stdout.splitlines()
    assert [(line.split(": ", 2)[2][:4], line[-7:]) for line in concise] == [
        ("[*] ", "[HL404]"), ("[*] ", "[HL404]"), ("cont", "[HL412]")]
    full = invoke(args).stdout
    heads = [line for line in full.splitlines() if line.startswith("fixtures/")]
    assert [(" [*] " in line, line.split()[-1]) for line in heads] == [
        (True, "privilege-escalation-allowed]"), (True, "privilege-escalation-allowed]"),
        (False, "missing-resource-limits]")]


def test_unsafe_fixes_are_marked_only_with_unsafe_fixes():
    args = ["check", "-f", "concise", "--select", "HL601", "fixtures/rules/hl601_mutable_image_tag/bad.values.yaml"]
    rule = next(r for r in all_rules() if r.id == "HL601")
    assert rule.fix is not None and rule.fix.applicability == "unsafe"
    assert "[*]" not in invoke(args).stdout
    marked = [": [*] " in line for line in invoke([*args, "--unsafe-fixes"]).stdout.splitlines()]
    assert marked == [False, True]  # the fix is for image.tag, not for pluginsManager.baseImage


def test_show_fixes_says_what_each_fix_does_and_lists_what_fix_fixed(tmp_path):
    shown = invoke(["check", "--select", "HL404", "--show-fixes", str(DEPLOYMENT)]).stdout
    spec = next(r for r in all_rules() if r.id == "HL404").fix
    assert f"   = fix (safe): {spec.description}\n" in shown
    target = tmp_path / "deploy.yaml"
    shutil.copy(DEPLOYMENT, target)
    fixed = run("check", "--fix", "--show-fixes", "--select", "HL404,HL405", "deploy.yaml", cwd=tmp_path)
    assert fixed.stdout == (
        "Fixed 4 problems:\n- deploy.yaml:\n    2 × HL404 (privilege-escalation-allowed)\n"
        "    2 × HL405 (capabilities-not-dropped)\nAll checks passed (1 file checked).\n")
    shutil.copy(DEPLOYMENT, target)
    would = run("check", "--diff", "--show-fixes", "--select", "HL404", "deploy.yaml", cwd=tmp_path)
    assert "Would fix 2 problems:\n- deploy.yaml:\n    2 × HL404 (privilege-escalation-allowed)\n" in would.stderr
    assert target.read_text() == DEPLOYMENT.read_text()


def test_quiet_prints_findings_and_errors_only(tmp_path):
    (tmp_path / "README.md").write_text("x")
    loud = run("check", str(tmp_path), "nowhere.yaml")
    assert "no YAML or JSON files found" in loud.stderr and "checked" in loud.stdout
    quiet = run("check", "--quiet", str(tmp_path), "nowhere.yaml")
    assert (quiet.returncode, quiet.stdout) == (2, "")
    assert quiet.stderr == "headlamp-lint: error: nowhere.yaml: no such file or directory\n"
    findings = run("check", "-q", "--select", "HL403", str(REPORT))
    assert findings.returncode == 1 and findings.stdout.count("[HL403 privileged-container]") == 1
    assert "Found" not in findings.stdout


# --- --show-files -------------------------------------------------------------------------------------------------


def test_show_files_lists_what_was_read_as_what_and_what_was_skipped(tmp_path):
    shutil.copy(REPORT, tmp_path / "app.yaml")
    shutil.copy(ROOT / "examples" / "headlamp-hardened.values.yaml", tmp_path / "values.yaml")
    (tmp_path / "ci.yml").write_text("on: push\n")
    (tmp_path / "tpl.yaml").write_text("{{- if .Values.x }}\nkind: Pod\n{{- end }}\n")
    (tmp_path / "vendor").mkdir()
    (tmp_path / "vendor" / "x.yaml").write_text("a: 1\n")
    (tmp_path / "node_modules").mkdir()
    chart = tmp_path / "chart"
    (chart / "templates").mkdir(parents=True)
    (chart / "Chart.yaml").write_text("apiVersion: v2\nname: x\nversion: 0.1.0\n")
    result = run("check", "--show-files", "--exclude", "vendor", ".", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines() == [
        "app.yaml: Kubernetes manifest (1 object)",
        "chart/Chart.yaml: no Kubernetes objects: not linted",
        "ci.yml: no Kubernetes objects: not linted",
        "tpl.yaml: Helm template: not linted (HL005)",
        "values.yaml: Headlamp Helm values (chart 0.45.0)",
        "chart/templates/: skipped: Helm chart templates folder (lint the values or the rendered output)",
        "node_modules/: skipped: folder never scanned (version control, dependencies, caches)",
        "vendor/: skipped: excluded (--exclude or exclude)",
        "5 files read, 3 paths skipped.",
    ]
    (tmp_path / "bin.yaml").write_bytes(b"\x00\x01")
    unread = run("check", "--show-files", "bin.yaml", "nowhere.yaml", cwd=tmp_path)
    assert unread.returncode == 2
    assert unread.stdout.splitlines() == ["bin.yaml: not read: binary file (NUL byte); not YAML (HL001)",
                                          "0 files read, 0 paths skipped."]
    assert unread.stderr == "headlamp-lint: error: nowhere.yaml: no such file or directory\n"


# --- the concise format's summary on a terminal ---------------------------------------------------------------------


def _on_a_terminal(*args: str) -> str:
    """What the command prints when its standard output is a terminal."""
    leader, follower = pty.openpty()
    try:
        done = subprocess.run([sys.executable, "-m", "linter", *args], stdout=follower, stderr=subprocess.DEVNULL,
                              cwd=ROOT, env={**ENV, "NO_COLOR": "1"}, timeout=120)
        os.close(follower)
        follower = -1
        chunks = []
        while True:
            try:
                chunk = os.read(leader, 65536)
            except OSError:  # EIO: the other side is closed and drained
                break
            if not chunk:
                break
            chunks.append(chunk)
    finally:
        os.close(leader)
        if follower != -1:
            os.close(follower)
    assert done.returncode == 1
    return b"".join(chunks).decode().replace("\r\n", "\n")


def test_concise_output_ends_with_the_summary_on_a_terminal_only():
    args = ("check", "-f", "concise", "--select", "HL403", str(REPORT.relative_to(ROOT)))
    shown = _on_a_terminal(*args).splitlines()
    assert shown[0].endswith("[HL403]")
    assert shown[1:] == ["Found 1 problem (1 error); 1 file checked, 1 with problems."]
    assert run(*args).stdout.splitlines() == shown[:1]  # piped: the lines only, for tools
    assert _on_a_terminal(*args, "--quiet").splitlines() == shown[:1]


# --- each rule's documentation link ---------------------------------------------------------------------------------


def test_every_rule_links_to_this_projects_documentation_of_it():
    # This checkout's package names no repository: each link is the rule's module beside the running code.
    assert _common.repository_url() is None
    for rule in all_rules():
        module = rule.module.rpartition(".")[2]
        assert help_uri(rule) == (ROOT / "linter" / "rules" / f"{module}.py").resolve().as_uri()
        assert (ROOT / "linter" / "rules" / f"{module}.py").is_file()


def test_a_published_package_links_rules_into_its_repository_at_the_release_tag(monkeypatch):
    class Metadata:
        def get_all(self, name):
            assert name == "Project-URL"
            return ["Homepage, https://example.org", "Repository, https://git.example.org/team/headlamp-lint/"]

    monkeypatch.setattr("importlib.metadata.metadata", lambda name: Metadata())
    _common.repository_url.cache_clear()
    try:
        rule = next(r for r in all_rules() if r.id == "HL007")
        assert help_uri(rule) == (f"https://git.example.org/team/headlamp-lint/blob/v{__version__}"
                                  "/linter/rules/hl007_unused_suppression.py")
    finally:
        _common.repository_url.cache_clear()


def test_sarif_links_hl007_to_its_own_docs_not_another_tools(tmp_path):
    manifest = tmp_path / "x.yaml"
    manifest.write_text(REPORT.read_text().replace("privileged: true", "privileged: true  # headlamp-lint: disable=HL999 -- x"))
    document = json.loads(run("check", "-f", "sarif", "--select", "HL007,HL403", str(manifest)).stdout)
    links = {r["id"]: r["helpUri"] for r in document["runs"][0]["tool"]["driver"]["rules"]}
    assert links["HL007"] == f"{rule_docs_base()}/hl007_unused_suppression.py"
    assert all(link.startswith(rule_docs_base() + "/") for link in links.values())
