"""The command line as a user runs it: exit codes, stdin, selection, formats, errors."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import click
import pytest

import linter.engine
from linter import __version__
from linter.cli import cli, summary
from tests.cli import invoke
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
    result = run_cli("--version")
    assert (result.returncode, result.stdout, result.stderr) == (0, f"headlamp-lint {__version__}\n", "")


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


# --- parsing: the typer command line -------------------------------------------------------------------------------

# The command-line contract: every command's options (and positional arguments, by metavar) as --help lists them.
EXPECTED_OPTIONS = {
    "check": {
        "PATH", "-f", "--output-format", "-o", "--output-file", "--exit-zero", "--select", "--extend-select",
        "--ignore", "--fail-level", "--all-workloads", "--no-all-workloads", "--exclude", "--chart-version",
        "--stdin-filename", "--max-file-size", "--follow-symlinks", "--config", "--isolated", "--baseline",
        "--write-baseline", "--color", "--now", "--cert-expiry-days", "--fix", "--unsafe-fixes", "--diff", "--debug",
        "--values", "--release-name", "--namespace", "--values-glob", "-j", "--jobs", "--no-cache",
    },
    "config": {
        "-f", "--output-format", "--select", "--extend-select", "--ignore", "--fail-level", "--all-workloads",
        "--no-all-workloads", "--exclude", "--chart-version", "--config", "--isolated",
    },
    "init": {"--path", "--force"},
    "harden-values": {"--chart-version"},
    "problem-matcher": {"KIND"},
    "server": {"--stdio"},
    "rules": {"-f", "--output-format"},
    "data": {"-f", "--output-format", "--now"},
    "explain": {"RULE"},
}
HELP = {"-h", "--help"}
COMPLETION = {"--install-completion", "--show-completion"}
COMMANDS = cli().commands


def declared_options(command: click.Command) -> set[str]:
    """The flags (and positional metavars) a click command declares."""
    found: set[str] = set()
    for param in command.params:
        if isinstance(param, click.Argument):
            found.add(param.metavar.rstrip("."))
        else:
            found.update(param.opts, param.secondary_opts)
    return found


def test_every_command_is_declared_with_its_options():
    assert list(COMMANDS) == list(EXPECTED_OPTIONS)
    for name, expected in EXPECTED_OPTIONS.items():
        assert declared_options(COMMANDS[name]) == expected, name
    assert declared_options(cli()) == {"--version"} | COMPLETION


def test_defaults_are_those_of_the_argparse_command_line():
    """Defaults did not move in the port to typer: flags off, lists empty, tri-states absent."""
    defaults = {p.name: p.default for p in COMMANDS["check"].params}
    assert defaults["release_name"] == "headlamp" and defaults["namespace"] == "default"
    assert defaults["color"] == "auto"
    assert {defaults[n] for n in ("exit_zero", "isolated", "fix", "unsafe_fixes", "diff", "debug", "no_cache")} == {
        False
    }
    assert {defaults[n] for n in ("all_workloads", "follow_symlinks", "fail_level", "jobs", "max_file_size")} == {
        None
    }
    assert {p.name: p.default for p in COMMANDS["init"].params}["path"] == Path(".headlamp-lint.yaml")
    assert {p.name: p.default for p in COMMANDS["rules"].params}["output_format"] == "full"


@pytest.mark.parametrize("name", list(EXPECTED_OPTIONS))
def test_command_help_exits_0_and_lists_every_option(name):
    result = invoke([name, "--help"])
    assert result.exit_code == 0 and result.stderr == ""
    assert result.stdout.startswith(f"Usage: headlamp-lint {name} ")
    assert summary(COMMANDS[name]) in " ".join(result.stdout.split())  # the docstring, however it wraps
    assert listed_options(result.stdout) == EXPECTED_OPTIONS[name] | HELP
    squeezed = "".join(result.stdout.split())  # click wraps lines at spaces and after hyphens
    for param in COMMANDS[name].params:  # every help text, whole
        assert "".join(param.help.split()) in squeezed, param.name


def listed_options(help_text: str) -> set[str]:
    """The options (and positional metavars) in the help: the first column of each section's rows."""
    found: set[str] = set()
    in_section = False
    for line in help_text.splitlines():
        if not line:  # a blank line ends a section
            in_section = False
        elif not line.startswith(" "):
            in_section = line.endswith(":") and not line.startswith("Usage:")
        elif in_section and line.startswith("  ") and not line.startswith("   "):
            invocation = re.split(r"\s{2,}", line.strip())[0]  # "-f, --output-format FORMAT[=PATH]  Output ..."
            for part in re.split(r", | / ", invocation):
                found.add(part.split()[0].strip("[]."))
    return found


def test_check_help_is_grouped_by_panel():
    text = invoke(["check", "--help"]).stdout
    headings = [line[:-1] for line in text.splitlines() if line.endswith(":") and not line.startswith(" ")]
    assert headings == ["Arguments", "Output", "Rule selection", "Input files", "Helm values",
                        "Configuration and baseline", "Fixes", "Run", "Options"]
    fixes = text.split("\nFixes:\n", 1)[1].split("\n\n", 1)[0]
    assert listed_options("Fixes:\n" + fixes) == {"--fix", "--unsafe-fixes", "--diff"}


def test_readme_documents_every_check_option():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    table = readme.split("Options of `check`:\n\n", 1)[1].split("\n\n", 1)[0]
    first_column = " ".join(line.split(" | ")[0] for line in table.splitlines()[2:])
    documented = set(re.findall(r"(?<![\w-])(--?[a-z][\w-]*)", first_column))
    assert documented == EXPECTED_OPTIONS["check"] - {"PATH"}


def test_top_level_help_lists_the_commands_by_group():
    result = invoke(["--help"])
    assert result.exit_code == 0
    assert result.stdout.startswith("Usage: headlamp-lint [OPTIONS] COMMAND [ARGS]...\n")
    assert listed_options(result.stdout) == set(COMMANDS) | {"--version"} | COMPLETION | HELP
    rows = " ".join(result.stdout.split()).replace("- ", "-")  # click wraps after hyphens too
    for name, command in COMMANDS.items():
        assert f"{name} {summary(command)}" in rows, name
    headings = [line for line in result.stdout.splitlines() if line.endswith(":") and not line.startswith(" ")]
    assert headings == ["Options:", "Linting:", "Rules and data:", "Set-up and integrations:"]


def test_no_arguments_prints_the_help_to_stderr_and_exits_2():
    result = invoke([])
    assert (result.exit_code, result.stdout) == (2, "")
    assert result.stderr == invoke(["--help"]).stdout


def test_version_in_process():
    assert invoke(["--version"]) == invoke(["--version", "check"])  # handled before the command, as before
    result = invoke(["--version"])
    assert (result.exit_code, result.stdout, result.stderr) == (0, f"headlamp-lint {__version__}\n", "")


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["check", "--bogus", "x.yaml"], "No such option: --bogus Did you mean --jobs? (see 'headlamp-lint check --help')"),
        (["config", "--debug"], "No such option: --debug (see 'headlamp-lint config --help')"),
        (["--bogus"], "No such option: --bogus (see 'headlamp-lint --help')"),
        # No abbreviations: a later option (--selective...) must not change what an old command line means.
        (["check", "--sel", "HL4", "x.yaml"],
         "No such option: --sel (Possible options: --baseline, --help, --select) (see 'headlamp-lint check --help')"),
        (["check", "--select"], "Option '--select' requires an argument. (see 'headlamp-lint check --help')"),
        (["check", "--max-file-size", "big"],
         "Invalid value for '--max-file-size': 'big' is not a valid integer. (see 'headlamp-lint check --help')"),
        (["explain"], "Missing argument 'RULE'. (see 'headlamp-lint explain --help')"),
        (["problem-matcher"],
         "Missing argument 'KIND'. Choose from: github, vscode (see 'headlamp-lint problem-matcher --help')"),
        (["rules", "extra"], "Got unexpected extra argument (extra) (see 'headlamp-lint rules --help')"),
        (["lint", "x.yaml"],
         "unknown command 'lint' (choose from check, config, init, harden-values, problem-matcher, server, rules,"
         " data, explain) (see 'headlamp-lint --help')"),
        (["check", "--no-follow-symlinks"],
         "No such option: --no-follow-symlinks Did you mean --follow-symlinks? (see 'headlamp-lint check --help')"),
    ],
)
def test_usage_errors_are_one_line_and_exit_2(args, message):
    result = invoke(args)
    assert (result.exit_code, result.stdout, result.stderr) == (2, "", f"headlamp-lint: error: {message}\n")


@pytest.mark.parametrize(
    ("args", "option", "value"),
    [
        (["check", "--fail-level", "bad", "x.yaml"], "'--fail-level'", "bad"),
        (["config", "--fail-level", "warnings"], "'--fail-level'", "warnings"),
        (["check", "--color", "sometimes"], "'--color'", "sometimes"),
        (["rules", "-f", "yaml"], "'-f' / '--output-format'", "yaml"),
        (["problem-matcher", "emacs"], "'KIND'", "emacs"),
    ],
)
def test_bad_choice_is_a_usage_error_naming_option_and_value(args, option, value):
    result = invoke(args)
    assert result.exit_code == 2 and result.stdout == ""
    assert result.stderr.startswith(f"headlamp-lint: error: Invalid value for {option}: '{value}' is not one of ")
    assert result.stderr.count("\n") == 1


@pytest.mark.parametrize("shell", ["bash", "zsh", "fish"])
def test_show_completion_prints_a_script_for_each_shell(shell):
    result = invoke(["--show-completion", shell])
    assert result.exit_code == 0, result.output
    assert "_HEADLAMP_LINT_COMPLETE" in result.stdout and f"complete_{shell}" in result.stdout


@pytest.mark.parametrize("shell", ["bash", "zsh", "fish"])
def test_install_completion_writes_the_shell_configuration(tmp_path, monkeypatch, shell):
    monkeypatch.setenv("HOME", str(tmp_path))
    result = invoke(["--install-completion", shell])
    assert result.exit_code == 0, result.output
    assert f"{shell} completion installed in" in result.stdout
    written = "\n".join(p.read_text() for p in tmp_path.rglob("*") if p.is_file())
    assert "_HEADLAMP_LINT_COMPLETE" in written or "headlamp-lint" in written


def test_completion_completes_commands_and_options():
    env = {"_HEADLAMP_LINT_COMPLETE": "complete_bash", "COMP_WORDS": "headlamp-lint che", "COMP_CWORD": "1"}
    done = run_cli(env=env)
    assert done.returncode == 0, done.stderr
    assert done.stdout.split() == ["check"]
    env = {"_HEADLAMP_LINT_COMPLETE": "complete_bash", "COMP_WORDS": "headlamp-lint check --fail", "COMP_CWORD": "2"}
    assert run_cli(env=env).stdout.split() == ["--fail-level"]


def test_options_may_follow_the_paths():
    result = invoke(["check", str(BAD), "-f", "concise", "--select", "HL403"])
    assert result.exit_code == 1, result.output
    assert result.stdout.splitlines() and all(line.endswith("[HL403]") for line in result.stdout.splitlines())


def test_stdin_in_process():
    result = invoke(["check", "-f", "concise", "--select", "HL403", "--stdin-filename", "in.yaml", "-"],
                    input=BAD.read_text())
    assert result.exit_code == 1, result.output
    assert result.stdout.startswith("in.yaml:12:25: error:")


@pytest.fixture
def seen_settings(monkeypatch):
    """The Settings each ``check`` hands to the engine."""
    seen = []
    real = linter.engine.lint_paths

    def spy(paths, settings):
        seen.append(settings)
        return real(paths, settings)

    monkeypatch.setattr(linter.engine, "lint_paths", spy)
    return seen


@pytest.mark.parametrize(
    ("configured", "flag", "expected"),
    [
        (None, [], False),
        (None, ["--all-workloads"], True),
        (None, ["--no-all-workloads"], False),
        (True, [], True),  # absent: the configuration file decides
        (True, ["--no-all-workloads"], False),
        (False, ["--all-workloads"], True),
        (True, ["--all-workloads", "--no-all-workloads"], False),  # the last one wins
    ],
)
def test_all_workloads_is_tri_state(tmp_path, seen_settings, configured, flag, expected):
    config = tmp_path / "lint.yaml"
    config.write_text("" if configured is None else f"all-workloads: {str(configured).lower()}\n")
    result = invoke(["check", "--exit-zero", "--config", str(config), *flag, str(GOOD)])
    assert result.exit_code == 0, result.output
    assert [s.all_workloads for s in seen_settings] == [expected]


def test_all_workloads_absent_leaves_the_configuration_source():
    def source(*flag):
        result = invoke(["config", "-f", "json", "--isolated", *flag])
        assert result.exit_code == 0, result.output
        return json.loads(result.stdout)["settings"]["all-workloads"]

    assert source() == {"value": False, "source": "default"}
    assert source("--all-workloads")["value"] is True and source("--all-workloads")["source"] != "default"
    assert source("--no-all-workloads")["value"] is False and source("--no-all-workloads")["source"] != "default"


def test_select_is_repeatable_and_comma_separated(seen_settings):
    result = invoke(["check", "--isolated", "--select", "HL403,HL404", "--select", " HL405 ,", "--ignore", "HL404",
                     "--extend-select", "HL1,run-as-root", "--exit-zero", str(GOOD)])
    assert result.exit_code == 0, result.output
    [settings] = seen_settings
    assert settings.select == ("HL403", "HL404", "HL405")
    assert settings.ignore == ("HL404",)
    assert settings.extend_select == ("HL1", "run-as-root")


def test_repeatable_values_keep_their_order(seen_settings, tmp_path):
    a, b = tmp_path / "a.yaml", tmp_path / "b.yaml"
    a.write_text("replicaCount: 1\n")
    b.write_text("replicaCount: 2\n")
    result = invoke(["check", "--isolated", "--exit-zero", "--values", str(a), "--values", str(b),
                     "--values-glob", "x/*.yaml", "--release-name", "hl", "--namespace", "tools"])
    assert result.exit_code == 0, result.output
    [settings] = seen_settings
    assert settings.values_files == (str(a), str(b))
    assert ("x/*.yaml", "values") in settings.file_kinds
    assert (settings.release_name, settings.default_namespace) == ("hl", "tools")


def test_check_defaults_reach_the_settings(seen_settings, tmp_path):
    result = invoke(["check", "--isolated", "--exit-zero", str(GOOD)])
    assert result.exit_code == 0, result.output
    [settings] = seen_settings
    assert (settings.release_name, settings.default_namespace, settings.values_files) == ("headlamp", "default", ())
    assert (settings.follow_symlinks, settings.debug, settings.baseline) == (False, False, None)


def test_keyboard_interrupt_exits_130(monkeypatch):
    def interrupted(paths, settings):
        raise KeyboardInterrupt

    monkeypatch.setattr(linter.engine, "lint_paths", interrupted)
    result = invoke(["check", str(GOOD)])
    assert (result.exit_code, result.stdout) == (130, "")


def test_lint_error_prints_each_line(tmp_path):
    config = tmp_path / "lint.yaml"
    config.write_text("fail-level: warnin\nselect: 3\n")
    result = invoke(["check", "--config", str(config), str(GOOD)])
    assert result.exit_code == 2 and result.stdout == ""
    lines = result.stderr.splitlines()
    assert len(lines) >= 2 and all(line.startswith("headlamp-lint: error: ") for line in lines)


# --- start-up: what the command line imports -----------------------------------------------------------------------

HEAVY = ("rich", "shellingham", "jsonschema", "jinja2", "ruamel", "linter.engine", "linter.model", "linter.rules")
_REPORT_HEAVY = f"""
import atexit, sys
HEAVY = {HEAVY!r}
def report():
    loaded = sorted(m for m in sys.modules if any(m == h or m.startswith(h + ".") for h in HEAVY))
    sys.__stderr__.write("HEAVY:" + ",".join(loaded) + "\\n")
atexit.register(report)
"""


def heavy_imports(statement: str) -> tuple[list[str], subprocess.CompletedProcess]:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    result = subprocess.run([sys.executable, "-c", _REPORT_HEAVY + statement], capture_output=True, text=True,
                            cwd=ROOT, env=env, timeout=60)
    marker = [line for line in result.stderr.splitlines() if line.startswith("HEAVY:")]
    assert len(marker) == 1, result.stderr
    return [m for m in marker[0][len("HEAVY:"):].split(",") if m], result


def test_import_linter_cli_is_light():
    loaded, result = heavy_imports("import linter, linter.cli")
    assert result.returncode == 0 and loaded == []


@pytest.mark.parametrize("args", [["--version"], ["--help"], ["check", "--help"], ["config", "--help"], []])
def test_version_and_help_import_nothing_heavy(args):
    loaded, result = heavy_imports(f"from linter.cli import main; main({args!r})")
    assert result.returncode == (2 if not args else 0), result.stderr
    assert loaded == []


def test_the_check_path_does_import_the_engine():
    """The probe above can see an import: a real check loads the engine and the rules."""
    loaded, result = heavy_imports(f"from linter.cli import main; main(['check', '--isolated', '--exit-zero', {str(GOOD)!r}])")
    assert result.returncode == 0, result.stderr
    assert "linter.engine" in loaded and "linter.rules" in loaded and "rich" not in loaded


_VALUES_MACHINERY = ("linter.model.from_values", "linter.values.render", "linter.values.merge", "linter.values.chart",
                     "linter.values.check", "linter.values.detect", "importlib.resources")
# Off a one-file run's start-up too: only --fix needs file digests; only a served certificate needs certs.
# (difflib is not on this list: typer.core imports it for its own suggestions.)
_NOT_AT_START = _VALUES_MACHINERY + ("hashlib", "linter.model.certs")
_REPORT_LOADED = f"""
import atexit, sys
def report():
    loaded = sorted(m for m in {_NOT_AT_START!r} if m in sys.modules)
    sys.__stderr__.write("LOADED:" + ",".join(loaded) + "\\n")
atexit.register(report)
"""


def _start_up_loaded(args: list[str]) -> list[str]:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    code = _REPORT_LOADED + f"from linter.cli import main; main({args!r})"
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, env=env,
                            timeout=60)
    assert result.returncode == 0, result.stderr
    marker = [line for line in result.stderr.splitlines() if line.startswith("LOADED:")]
    assert len(marker) == 1, result.stderr
    return [m for m in marker[0][len("LOADED:"):].split(",") if m]


def test_a_manifest_check_does_not_import_the_values_machinery():
    """A file whose name is not a values file's is read as manifests without importing the chart
    renderer, the merge, the chart data or importlib.resources: most of a one-file run's start-up.
    Nor hashlib (file digests are for --fix) or certificate parsing."""
    manifest = str(ROOT / "examples" / "headlamp-hardened.yaml")
    assert _start_up_loaded(["check", "--isolated", "--exit-zero", "--no-cache", manifest]) == []


def test_a_values_check_does_import_the_values_machinery(tmp_path):
    """The probe above can see the imports: a values file loads the renderer; --fix hashes the files."""
    values = str(ROOT / "examples" / "headlamp-hardened.values.yaml")
    loaded = _start_up_loaded(["check", "--isolated", "--exit-zero", "--no-cache", values])
    assert "linter.model.from_values" in loaded and "linter.values.render" in loaded
    manifest = tmp_path / "insecure.yaml"
    manifest.write_bytes((ROOT / "examples" / "headlamp-insecure.yaml").read_bytes())
    assert "hashlib" in _start_up_loaded(["check", "--isolated", "--exit-zero", "--no-cache", "--fix", str(manifest)])
    assert manifest.read_bytes() != (ROOT / "examples" / "headlamp-insecure.yaml").read_bytes()  # fixes were written
