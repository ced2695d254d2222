"""Issue item 2: guarantees that hold whatever the input.

An internal error in one rule on one file, or while building the model of
one file, becomes HL000 for that file and the run completes; an internal
error elsewhere is one line on stderr and exit 2; a traceback appears only
with --debug. And a run over many hostile files at once completes them all.
"""

from __future__ import annotations

import codecs
import sys
from pathlib import Path

from tests.hostile.harness import (
    GOOD_DISPLAY,
    Run,
    assert_guarantees,
    good_alone,
    lint,
    linter_env,
    run_measured,
)

BOOM_POD = """\
apiVersion: v1
kind: Pod
metadata:
  name: boom
spec:
  containers:
  - name: headlamp
    image: ghcr.io/headlamp-k8s/headlamp:v0.30.0
    securityContext:
      privileged: true
"""

# Runs the real CLI after breaking one piece of it for files named boom*.
_BREAK = """\
import sys
from linter import engine
from linter.diagnostics import Severity
from linter.rules.base import Rule, RuleMeta

where = sys.argv[1]
if where == "rule":
    def check(model, ctx):
        for workload in model.workloads:
            if "boom" in workload.obj.path:
                raise RuntimeError("rule exploded")
        return iter(())
    broken = Rule(RuleMeta("HL499", "test-broken", "t", Severity.WARNING, 1.0), "doc", check, "x")
    real = engine.selected_rules
    engine.selected_rules = lambda settings: real(settings) + [broken]
elif where == "model":
    import linter.model.builder as builder
    real_build = builder.build_workload
    def build_workload(reader, obj, node, matcher):
        if "boom" in reader.path:
            raise KeyError("model exploded")
        return real_build(reader, obj, node, matcher)
    builder.build_workload = build_workload
elif where == "reporter":
    import linter.reporters
    def render(*args, **kwargs):
        raise ValueError("reporter exploded")
    linter.reporters.render = render

from linter.cli import main
main(sys.argv[2:])
"""


def broken_run(where: str, *args: str) -> Run:
    return run_measured([sys.executable, "-c", _BREAK, where, "check", *args], env=linter_env())


def test_rule_crash_on_one_file_is_hl000_for_that_file(tmp_path):
    boom = tmp_path / "boom.yaml"
    boom.write_text(BOOM_POD)
    run = broken_run("rule", "-f", "concise", str(boom), GOOD_DISPLAY)
    assert run.returncode == 1, run.stderr
    assert "Traceback" not in run.stderr
    internal = [d for d in run.of(boom.as_posix()) if d.rule == "HL000"]
    assert [(d.line, d.column) for d in internal] == [(1, 1)]
    assert "internal error in rule HL499 (RuntimeError: rule exploded)" in internal[0].message
    assert "Please report it" in internal[0].message and "--debug" in internal[0].message
    # The other rules still ran on the file that broke one, and the good file lost nothing.
    assert ("HL403", 10) in {(d.rule, d.line) for d in run.of(boom.as_posix())}
    assert run.of(GOOD_DISPLAY) == good_alone()


def test_rule_crash_with_debug_shows_the_traceback(tmp_path):
    boom = tmp_path / "boom.yaml"
    boom.write_text(BOOM_POD)
    run = broken_run("rule", "--debug", str(boom), GOOD_DISPLAY)
    assert run.returncode != 0
    assert "Traceback" in run.stderr and "RuntimeError: rule exploded" in run.stderr


def test_model_crash_on_one_file_is_hl000_and_the_others_are_linted(tmp_path):
    boom = tmp_path / "boom.yaml"
    boom.write_text(BOOM_POD)
    run = broken_run("model", "-f", "concise", str(boom), GOOD_DISPLAY)
    assert run.returncode == 1, run.stderr
    assert "Traceback" not in run.stderr
    assert [(d.line, d.column, d.rule) for d in run.of(boom.as_posix())] == [(1, 1, "HL000")]
    assert "internal error while reading this file (KeyError: 'model exploded')" in run.stdout
    assert run.of(GOOD_DISPLAY) == good_alone()


def test_internal_error_outside_the_engine_is_one_line_and_exit_2(tmp_path):
    run = broken_run("reporter", GOOD_DISPLAY)
    assert run.returncode == 2
    assert run.stderr.strip().splitlines() == [
        "headlamp-lint: internal error: ValueError: reporter exploded (run with --debug for the traceback,"
        " and please report it)"
    ]
    debug = broken_run("reporter", "--debug", GOOD_DISPLAY)
    assert "Traceback" in debug.stderr


def _hostile_folder(root: Path) -> dict[str, str]:
    """A folder of hostile files; returns name -> a word the file's first message must contain."""
    files = {
        "bomb.yaml": ("a0: &a0 [" + ", ".join(["x"] * 10) + "]\n" + "".join(
            f"a{i}: &a{i} [" + ", ".join([f"*a{i - 1}"] * 10) + "]\n" for i in range(1, 9)), "aliasing"),
        "deep.yaml": ("[" * 100_000 + "\n", "nesting"),
        "binary.yaml": (bytes(range(256)), "binary"),
        "latin1.yaml": ("name: caf\xe9\n".encode("latin-1"), "UTF-8"),
        "utf16.yaml": (codecs.BOM_UTF16_LE + "a: [\n".encode("utf-16-le"), "syntax"),
        "tabs.yaml": ("a:\n\tb: 1\n", "syntax"),
        "python.yaml": ("apiVersion: v1\nkind: ConfigMap\ndata: !!python/object/apply:os.system [id]\n", "tag"),
        "wrong.yaml": ("apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec: {containers: 5}\n", "should be"),
        "bigint.yaml": ("apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec: {hostPID: " + "9" * 50_000 + "}\n",
                        "should be"),
        "scalar.yaml": ("42\n", "not a Kubernetes object"),
    }
    for name, (content, _) in files.items():
        (root / name).write_bytes(content.encode() if isinstance(content, str) else content)
    return {name: word for name, (_, word) in files.items()}


def test_many_hostile_files_in_one_run_are_all_reported(tmp_path):
    folder = tmp_path / "hostile"
    folder.mkdir()
    expected = _hostile_folder(folder)
    # Named one by one (explicit), so even the scalar document is reported.
    run = lint("-f", "concise", *(str(folder / name) for name in sorted(expected)), GOOD_DISPLAY)
    assert_guarantees(run, hostile_files=len(expected))
    for name, word in expected.items():
        messages = [d.message for d in run.of((folder / name).as_posix())]
        assert any(word in m for m in messages), (name, messages)


def test_a_rule_crash_is_reported_whatever_select_and_ignore_say(tmp_path):
    boom = tmp_path / "boom.yaml"
    boom.write_text(BOOM_POD)
    # The broken rule HL499 runs whatever is selected; HL000 notes its crash though only HL403 is selected.
    for options in (["--select", "HL403"], ["--select", "HL403", "--ignore", "HL000"]):
        run = broken_run("rule", "-f", "concise", *options, str(boom))
        assert run.returncode == 1, run.stderr
        found = {(d.line, d.column, d.rule) for d in run.of(boom.as_posix())}
        assert found == {(1, 1, "HL000"), (10, 19, "HL403")}, options
