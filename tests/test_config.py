"""Configuration: discovery, precedence, located errors, the schema, `config` and `init`."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from linter.config import (
    Overrides,
    find_config,
    load_config,
    load_effective,
    settings_kwargs,
    starter_config,
    validate,
)
from linter.config_schema import SCHEMA_FILES, schema_text
from linter.diagnostics import Severity
from linter.errors import LintError
from tests.conftest import FIXTURES, ROOT, run_cli

BAD_CAPS = FIXTURES / "rules" / "hl406_dangerous_capabilities" / "bad.yaml"


def repo(tmp_path: Path) -> Path:
    """A fake repository root (``.git``) so discovery never walks above the test folder."""
    (tmp_path / ".git").mkdir(parents=True)
    return tmp_path


def write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


# --- discovery ---------------------------------------------------------------------


def test_discovery_prefers_yaml_then_yml_then_pyproject_in_one_directory(tmp_path):
    root = repo(tmp_path)
    write(root / "pyproject.toml", "[tool.headlamp-lint]\nselect = ['HL4']\n")
    assert find_config(root) == root / "pyproject.toml"
    write(root / ".headlamp-lint.yml", "select: [HL4]\n")
    assert find_config(root) == root / ".headlamp-lint.yml"
    write(root / ".headlamp-lint.yaml", "select: [HL4]\n")
    assert find_config(root) == root / ".headlamp-lint.yaml"


def test_pyproject_without_the_table_is_skipped(tmp_path):
    root = repo(tmp_path)
    write(root / "pyproject.toml", "[project]\nname = 'x'\n")
    write(root / "sub" / "pyproject.toml", "[tool.ruff]\nline-length = 80\n")
    assert find_config(root / "sub") is None


def test_discovery_walks_up_and_the_nearest_file_wins(tmp_path):
    root = repo(tmp_path)
    write(root / ".headlamp-lint.yaml", "select: [HL4]\n")
    deep = root / "a" / "b"
    deep.mkdir(parents=True)
    assert find_config(deep) == root / ".headlamp-lint.yaml"
    write(root / "a" / "pyproject.toml", "[tool.headlamp-lint]\nfail-level = 'error'\n")
    assert find_config(deep) == root / "a" / "pyproject.toml"


def test_discovery_stops_at_the_repository_root(tmp_path):
    write(tmp_path / ".headlamp-lint.yaml", "select: [HL4]\n")  # above the repository: not used
    inner = repo(tmp_path / "project")
    (inner / "deploy").mkdir()
    assert find_config(inner / "deploy") is None
    # .git may also be a file (worktrees, submodules)
    (inner / ".git").rmdir()
    (inner / ".git").write_text("gitdir: elsewhere\n")
    assert find_config(inner / "deploy") is None


# --- precedence ---------------------------------------------------------------------


def test_file_overrides_defaults_and_command_line_overrides_file(tmp_path):
    root = repo(tmp_path)
    write(
        root / ".headlamp-lint.yaml",
        "select: [HL4]\nignore: [HL412]\nfail-level: error\nall-workloads: true\n"
        "rules:\n  dangerous-capabilities:\n    severity: warning\n    warning-capabilities: [NET_BIND_SERVICE]\n",
    )
    effective = load_effective(Overrides(), None, False, cwd=root)
    kwargs = settings_kwargs(effective)
    assert kwargs["select"] == ("HL4",)
    assert kwargs["fail_level"] is Severity.ERROR
    assert kwargs["all_workloads"] is True
    assert kwargs["severity_overrides"] == {"HL406": Severity.WARNING}
    assert kwargs["rule_options"] == {"HL406": {"warning-capabilities": ["NET_BIND_SERVICE"]}}
    assert effective.sources["fail-level"] == ".headlamp-lint.yaml:3"
    assert effective.sources["exclude"] == "default"

    cli = Overrides(select=("HL401",), ignore=("HL405",), fail_level="info", all_workloads=False)
    effective = load_effective(cli, None, False, cwd=root)
    kwargs = settings_kwargs(effective)
    assert kwargs["select"] == ("HL401",)  # replaces the file's
    assert kwargs["ignore"] == ("HL412", "HL405")  # adds to the file's
    assert kwargs["fail_level"] is Severity.INFO
    assert kwargs["all_workloads"] is False
    assert effective.sources["select"] == "command line"
    assert effective.sources["ignore"] == ".headlamp-lint.yaml:2 + command line"


def test_isolated_ignores_files_and_config_picks_one(tmp_path):
    root = repo(tmp_path)
    write(root / ".headlamp-lint.yaml", "fail-level: error\n")
    other = write(root / "other.yml", "fail-level: info\n")
    assert load_effective(Overrides(), None, True, cwd=root).values["fail-level"] == "warning"
    assert load_effective(Overrides(), other, False, cwd=root).values["fail-level"] == "info"
    with pytest.raises(LintError, match="exclude each other"):
        load_effective(Overrides(), other, True, cwd=root)


def test_check_uses_the_discovered_config_and_cli_flags_win(tmp_path):
    root = repo(tmp_path)
    write(root / "deploy" / "pod.yaml", BAD_CAPS.read_text())
    write(root / ".headlamp-lint.yaml", "select: [HL406]\nrules:\n  HL406:\n    warning-capabilities: []\n")

    def rules(*args):
        out = run_cli("check", "-f", "json", "--exit-zero", *args, "pod.yaml", cwd=root / "deploy").stdout
        return sorted((d["rule"], d["line"]) for d in json.loads(out)["diagnostics"])

    assert rules() == [("HL406", 13), ("HL406", 14)]  # NET_RAW no longer a warning
    assert rules("--select", "HL403") == []
    assert ("HL406", 15) in rules("--isolated")


def test_config_globs_are_relative_to_the_config_file(tmp_path):
    root = repo(tmp_path)
    for name in ("deploy/a.yaml", "deploy/legacy/b.yaml", "deploy/skip/c.yaml"):
        write(root / name, BAD_CAPS.read_text())
    write(
        root / ".headlamp-lint.yaml",
        "select: [HL406]\nexclude: ['deploy/skip']\nper-file-ignores:\n  'deploy/legacy/*.yaml': [dangerous-capabilities]\n",
    )
    for cwd, shown in ((root, "deploy/a.yaml"), (root / "deploy", "a.yaml")):
        out = run_cli("check", "-f", "json", "--exit-zero", ".", cwd=cwd).stdout
        assert {d["path"] for d in json.loads(out)["diagnostics"]} == {shown}, cwd


# --- errors, located ------------------------------------------------------------------

YAML_ERRORS = [
    ("selct: [HL4]\n", "1:1", "unknown setting 'selct'; did you mean 'select'?"),
    ("ignore: [HL401, HL99x]\n", "1:17", "unknown rule 'HL99x'"),
    ("select: [run-as-rot]\n", "1:10", "unknown rule 'run-as-rot'; did you mean 'run-as-root'?"),
    ("fail-level: warnin\n", "1:13", "fail-level: 'warnin' is not one of"),
    ("exclude: deploy\n", "1:10", "exclude: 'deploy' is not of type 'array'"),
    ("all-workloads: maybe\n", "1:16", "all-workloads: 'maybe' is not of type 'boolean'"),
    ("chart-version: latest\n", "1:16", "chart-version: 'latest' is not a chart version"),
    ("per-file-ignores:\n  'a/*.yaml': [HL401, nope]\n", "2:23", "unknown rule 'nope'"),
    ("files:\n  'v/*.yaml': helm\n", "2:15", "files.v/*.yaml: 'helm' is not one of ['manifest', 'values']"),
    ("suppressions:\n  require-reasons: true\n", "2:3", "unknown setting 'require-reasons' in suppressions"),
    ("rules:\n  HL4O6: {}\n", "2:3", "unknown rule 'HL4O6'; did you mean 'HL406'?"),
    ("rules:\n  HL406:\n    dangerous-caps: []\n", "3:5", "unknown option 'dangerous-caps' for HL406"),
    ("rules:\n  HL406:\n    dangerous-capabilities: SYS_ADMIN\n", "3:29", "is not of type 'array'"),
    ("rules:\n  HL406:\n    dangerous-capabilities: [1]\n", "3:30", "1 is not of type 'string'"),
    ("rules:\n  HL401:\n    severity: fatal\n", "3:15", "'fatal' is not one of ['error', 'warning', 'info']"),
    ("rules:\n  HL406: {}\n  dangerous-capabilities: {}\n", "3:3", "HL406 is configured twice"),
    ("select: [HL4\n", "2:1", "expected ',' or ']'"),
    ("select: [HL4]\nselect: [HL1]\n", "2:1", "duplicate key 'select'"),
    ("- select\n", "1:1", "the configuration must be a mapping"),
    ("select: [HL4]\n---\nignore: []\n", "2:1", "one YAML document"),
    ("select: !!python/object:os.system [HL4]\n", "1:9", "unsupported YAML tag"),
]


@pytest.mark.parametrize("text,where,message", YAML_ERRORS, ids=[e[2][:40] for e in YAML_ERRORS])
def test_every_yaml_config_error_is_located(tmp_path, text, where, message):
    root = repo(tmp_path)
    write(root / ".headlamp-lint.yaml", text)
    with pytest.raises(LintError) as caught:
        load_effective(Overrides(), None, False, cwd=root)
    assert str(caught.value).startswith(f".headlamp-lint.yaml:{where}: "), str(caught.value)
    assert message in str(caught.value)


def test_config_error_exits_2_with_located_message_and_no_traceback(tmp_path):
    root = repo(tmp_path)
    write(root / ".headlamp-lint.yaml", "fail-level: warnin\n")
    result = run_cli("check", ".", cwd=root)
    assert result.returncode == 2
    assert result.stdout == ""
    assert result.stderr.startswith("headlamp-lint: error: .headlamp-lint.yaml:1:13: fail-level: 'warnin'")
    assert "Traceback" not in result.stderr


def test_all_errors_are_reported_each_on_its_own_line(tmp_path):
    root = repo(tmp_path)
    write(root / ".headlamp-lint.yaml", "selct: []\nfail-level: x\nrules:\n  HL999: {}\n")
    result = run_cli("config", cwd=root)
    assert result.returncode == 2
    lines = result.stderr.splitlines()
    assert [re.match(r"headlamp-lint: error: \.headlamp-lint\.yaml:(\d+:\d+):", l).group(1) for l in lines] == [
        "1:1",
        "2:13",
        "4:3",
    ]


TOML_ERRORS = [
    ("[tool.headlamp-lint]\nselct = ['HL4']\n", "2:1", "unknown setting 'selct'"),
    ("[tool.headlamp-lint]\nfail-level = 'eror'\n", "2:14", "fail-level: 'eror' is not one of"),
    ("[tool.headlamp-lint.rules.HL406]\ndangerous-caps = []\n", "2:1", "unknown option 'dangerous-caps' for HL406"),
    ("[tool.headlamp-lint.rules]\nHL4O6 = {}\n", "2:1", "unknown rule 'HL4O6'"),
    ("[tool.headlamp-lint]\nignore = [\n  'HL401',\n  'HL99x',\n]\n", "4:3", "unknown rule 'HL99x'"),
    ("[tool.headlamp-lint]\nselect = ['HL4', 'HL0', \"nope\"]  # c\n", "2:25", "unknown rule 'nope'"),
    ("[tool.headlamp-lint]\nvalues-groups = [['a', 7]]\n", "2:17", "values-groups[0][1]: 7 is not of type 'string'"),
    ("[tool.headlamp-lint]\nselect = [\n", "2:11", "invalid TOML"),
    ("[tool.headlamp-lint]\nselect = 'HL4'\n", "2:10", "select: 'HL4' is not of type 'array'"),
]


@pytest.mark.parametrize("text,where,message", TOML_ERRORS, ids=[e[2][:40] for e in TOML_ERRORS])
def test_every_pyproject_config_error_is_located(tmp_path, text, where, message):
    root = repo(tmp_path)
    write(root / "pyproject.toml", "[project]\nname = 'demo'\n\n" + text)
    line, column = where.split(":")
    with pytest.raises(LintError) as caught:
        load_effective(Overrides(), None, False, cwd=root)
    assert str(caught.value).startswith(f"pyproject.toml:{int(line) + 3}:{column}: "), str(caught.value)
    assert message in str(caught.value)


def test_config_path_that_does_not_exist_is_a_usage_error(tmp_path):
    result = run_cli("check", "--config", str(tmp_path / "nope.yaml"), str(BAD_CAPS))
    assert result.returncode == 2
    assert "no such file" in result.stderr


# --- schema -----------------------------------------------------------------------------


def test_published_and_packaged_schemas_are_the_generated_one():
    text = schema_text()
    for name in SCHEMA_FILES:
        assert (ROOT / name).read_text(encoding="utf-8") == text, (
            f"{name} is stale: run python -m linter.config_schema --write"
        )


def test_schema_lists_every_rule_option_by_id_and_name():
    from linter.rules import all_rules

    schema = json.loads(schema_text())
    for rule in all_rules():
        assert schema["properties"]["rules"]["properties"][rule.name] == {"$ref": f"#/$defs/rule-{rule.id}"}
        props = schema["$defs"][f"rule-{rule.id}"]["properties"]
        assert set(props) == {"severity"} | {o.name for o in rule.meta.options}


def test_starter_config_is_valid_and_uncommented_rules_block_too(tmp_path):
    root = repo(tmp_path)
    path = write(root / ".headlamp-lint.yaml", starter_config())
    validate(load_config(path, root))
    # Uncommenting the rules block gives a valid configuration as well.
    lines = starter_config().splitlines()
    start = lines.index("# rules:")
    text = "\n".join(lines[:start] + [l[2:] for l in lines[start:]]) + "\n"
    validate(load_config(write(root / "uncommented.yaml", text), root))


# --- commands -----------------------------------------------------------------------------


def test_config_command_shows_values_and_sources(tmp_path):
    root = repo(tmp_path)
    write(root / ".headlamp-lint.yaml", "# settings\nfail-level: error\nrules:\n  HL406:\n    severity: warning\n")
    (root / "sub").mkdir()
    result = run_cli("config", "--ignore", "HL405", cwd=root / "sub")
    assert result.returncode == 0, result.stderr
    out = result.stdout
    assert "# configuration file: ../.headlamp-lint.yaml" in out
    assert 'fail-level: "error"  # ../.headlamp-lint.yaml:2' in out
    assert 'ignore: ["HL405"]  # command line' in out
    assert 'select: []  # default' in out
    assert 'severity: "warning"  # ../.headlamp-lint.yaml:5' in out
    data = json.loads(run_cli("config", "-f", "json", cwd=root).stdout)
    assert data["settings"]["fail-level"] == {"value": "error", "source": ".headlamp-lint.yaml:2"}
    assert data["rules"]["HL406"]["warning-capabilities"] == {"value": ["NET_RAW"], "source": "default"}


def test_init_writes_and_refuses_to_overwrite(tmp_path):
    root = repo(tmp_path)
    result = run_cli("init", cwd=root)
    assert result.returncode == 0, result.stderr
    written = (root / ".headlamp-lint.yaml").read_text()
    assert written == starter_config()
    (root / ".headlamp-lint.yaml").write_text("fail-level: error\n")
    result = run_cli("init", cwd=root)
    assert result.returncode == 2
    assert "already exists" in result.stderr
    assert (root / ".headlamp-lint.yaml").read_text() == "fail-level: error\n"
    assert run_cli("init", "--force", cwd=root).returncode == 0
    assert (root / ".headlamp-lint.yaml").read_text() == written
    assert run_cli("check", "--exit-zero", str(BAD_CAPS), cwd=root).returncode == 0


def test_import_linter_config_does_not_import_jsonschema():
    import subprocess
    import sys

    code = "import sys, linter.config, linter.suppress, linter.baseline; print('jsonschema' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT)
    assert out.stdout.strip() == "False", out.stderr


def test_readme_configuration_example_is_valid(tmp_path):
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    section = readme.split("## Configuration\n", 1)[1].split("\n## ", 1)[0]
    block = re.search(r"```yaml\n(.*?)```", section, re.S).group(1)
    path = write(repo(tmp_path) / ".headlamp-lint.yaml", block)
    raw = load_config(path, tmp_path)
    validate(raw)
    kwargs = settings_kwargs(load_effective(Overrides(), path, False, cwd=tmp_path))
    assert kwargs["values_groups"] == (("deploy/values.yaml", "deploy/values-prod.yaml"),)
    assert kwargs["file_kinds"] == (("deploy/values*.yaml", "values"),)
    assert kwargs["chart_version"] == "0.30.0"


def test_severity_override_changes_output_and_exit_code(tmp_path):
    root = repo(tmp_path)
    write(root / "pod.yaml", BAD_CAPS.read_text())
    write(root / ".headlamp-lint.yaml", "select: [HL406]\nrules:\n  HL406:\n    severity: info\n")
    result = run_cli("check", "-f", "json", "pod.yaml", cwd=root)
    assert result.returncode == 0, result.stderr  # info does not fail
    assert {d["severity"] for d in json.loads(result.stdout)["diagnostics"]} == {"info"}
    assert run_cli("check", "--fail-level", "info", "pod.yaml", cwd=root).returncode == 1


def test_a_toml_file_given_with_config_holds_settings_at_its_top(tmp_path):
    root = repo(tmp_path)
    path = write(root / "lint.toml", "fail-level = 'error'\n\n[rules.HL406]\nseverity = 'warning'\nfoo = 1\n")
    with pytest.raises(LintError) as caught:
        load_effective(Overrides(), path, False, cwd=root)
    assert str(caught.value).startswith("lint.toml:5:1: unknown option 'foo' for HL406")
    path.write_text("fail-level = 'error'\n\n[rules.HL406]\nseverity = 'warning'\n")
    effective = load_effective(Overrides(), path, False, cwd=root)
    assert effective.values["fail-level"] == "error"
    assert effective.sources["fail-level"] == "lint.toml:1"
    assert effective.rules["HL406"]["severity"] == ("warning", "lint.toml:4")


def test_a_folder_the_search_may_not_look_into_is_an_error_not_the_defaults(tmp_path, monkeypatch):
    """Linting with the defaults while a configuration may sit in a folder we cannot read would be wrong."""
    import os

    from linter.config import find_config, load_effective
    from linter.errors import ConfigError

    inner = tmp_path / "project" / "deploy"
    inner.mkdir(parents=True)
    real_stat = os.stat

    def denied(path, *args, **kwargs):
        if Path(path).parent == inner.parent:
            raise PermissionError(13, "Permission denied", str(path))
        return real_stat(path, *args, **kwargs)

    monkeypatch.setattr(os, "stat", denied)
    with pytest.raises(ConfigError) as raised:
        find_config(inner)
    assert str(raised.value) == (f"{inner.parent}: cannot look for a configuration file here: Permission denied"
                                 " (pass --config FILE, or --isolated for the defaults)")
    from linter.config import Overrides

    assert load_effective(Overrides(), None, True, cwd=inner).config is None  # --isolated does not look
