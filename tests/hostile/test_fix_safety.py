"""--fix and --diff never corrupt: one line definition, exact bytes, verification, one parse per file.

The property test generates manifests and values files in block and flow
style, with anchors and aliases, comments, every line-end style (LF, CRLF,
mixed, a U+2028 or NEL inside a comment), with or without a BOM and a final
newline. For each: the planned fix either changes nothing (or refuses, and
then nothing is written), or gives a file that parses, reads as the
original plus exactly the planned edits, and is a fixed point; and the
``--diff`` output applied with ``patch`` gives exactly the bytes ``--fix``
writes.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import linter.fix as fix_module
from linter.engine import lint_paths
from linter.fix import apply_all, fix_specs, plan_fixes, write_all
from linter.settings import Settings
from linter.yamlpos import load
from tests.conftest import run_cli

PATCH = shutil.which("patch")
LONG_RUN = int(os.environ.get("HEADLAMP_LINT_FUZZ_EXAMPLES", "0"))  # as for test_fuzz: a longer random run
PROPERTY = settings(max_examples=LONG_RUN or 40, derandomize=not LONG_RUN, deadline=None, database=None,
                    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])
_WORKDIR = Path(tempfile.mkdtemp(prefix="headlamp-lint-fixprop-"))

# The example of the issue: a U+2028 in a comment once made --fix insert runAsUser under volumeMounts.
PRINTF = ("# note\u2028\napiVersion: v1\nkind: Pod\nmetadata:\n  name: p\nspec:\n  containers:\n    - name: headlamp\n"
          "      image: ghcr.io/headlamp-k8s/headlamp:v0.45.0\n      securityContext:\n"
          "        allowPrivilegeEscalation: true\n      volumeMounts:\n        - {name: x, mountPath: /x}\n"
          "  volumes:\n    - {name: x, emptyDir: {}}\n")


def _plan(path: Path, unsafe: bool = True):
    result = lint_paths([str(path)], Settings(digests=True))
    return result, plan_fixes(result, fix_specs(unsafe))


def _plain(text: str):
    from linter.fix import _plain as plain

    return [plain(d.root, {}) for d in load(text).documents]


# --- the cases ---------------------------------------------------------------


def test_printf_example_is_fixed_where_grep_says(tmp_path):
    path = tmp_path / "pod.yaml"
    path.write_text(PRINTF, encoding="utf-8")
    concise = run_cli("check", "-f", "concise", str(path)).stdout
    # grep -n: allowPrivilegeEscalation is on line 11 (U+2028 does not end a line).
    assert any(line.endswith("[HL404]") and ":11:35:" in line for line in concise.splitlines())
    result = run_cli("check", "--fix", str(path))
    fixed = path.read_text(encoding="utf-8")
    assert "fixed 5 problems in 1 file" in result.stderr
    lines = fixed.split("\n")
    sc = lines.index("      securityContext:")
    assert lines[sc + 1: sc + 3] == ["        allowPrivilegeEscalation: false", "        runAsUser: 100"]
    assert lines[lines.index("      volumeMounts:") + 1:lines.index("      volumeMounts:") + 3] == [
        "        - {name: x, mountPath: /x}", "        - {name: headlamp-tmp, mountPath: /tmp}"]
    assert not any(p for d in load(fixed).documents for p in d.problems)
    assert fixed.startswith("# note\u2028\n")


def test_values_variant_is_not_corrupted(tmp_path):
    path = tmp_path / "values.yaml"
    path.write_text("# note\u2028\nsecurityContext:\n  capabilities: {drop: [NET_RAW]}\n"
                    "  allowPrivilegeEscalation: true\n", encoding="utf-8")
    run_cli("check", "--fix", str(path))
    fixed = path.read_text(encoding="utf-8")
    assert fixed.startswith("# note\u2028\nsecurityContext:\n  capabilities: {drop: [NET_RAW, ALL]}\n"
                            "  allowPrivilegeEscalation: false\n")
    assert "capabilitie1" not in fixed and not load(fixed).documents[0].problems


def test_an_edit_through_an_alias_edits_the_anchor_once(tmp_path):
    path = tmp_path / "d.yaml"
    path.write_text(
        "apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: hl}\nspec:\n  template:\n    spec:\n"
        "      containers:\n        - name: headlamp\n          image: ghcr.io/headlamp-k8s/headlamp:v0.45.0\n"
        "          securityContext: &sc\n            allowPrivilegeEscalation: true\n"
        "        - name: other\n          image: ghcr.io/headlamp-k8s/headlamp:v0.45.0\n"
        "          securityContext: *sc\n")
    _, (planned,) = _plan(path, unsafe=False)
    assert planned.error is None
    assert planned.fixed.count("allowPrivilegeEscalation: false") == 1
    assert planned.fixed.count("runAsUser: 100") == 1
    assert "securityContext: *sc\n" in planned.fixed
    root = load(planned.fixed).documents[0].root
    containers = root.get("spec").get("template").get("spec").get("containers").items
    assert containers[0].get("securityContext") is containers[1].get("securityContext")
    write_all([planned], [tmp_path])
    _, again = _plan(path, unsafe=False)
    assert again == []


def test_edit_into_a_merged_mapping_is_refused_and_the_file_kept(tmp_path):
    """A key added to a mapping merged elsewhere with << would change that other mapping too: refused."""
    path = tmp_path / "d.yaml"
    text = ("apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec:\n  containers:\n    - name: headlamp\n"
            "      image: ghcr.io/headlamp-k8s/headlamp:v0.45.0\n      securityContext: &base\n"
            "        runAsNonRoot: true\n    - name: side\n      image: busybox\n      securityContext:\n"
            "        <<: *base\n        privileged: false\n")
    path.write_text(text)
    _, planned = _plan(path, unsafe=False)
    assert planned and planned[0].error is not None and planned[0].fixed == planned[0].original
    result = run_cli("check", "--fix", str(path))
    assert path.read_text() == text
    assert result.returncode == 2 and "left as it was" in result.stderr
    assert f"{path}:10: fixes not applied" in result.stderr and "containers[1].securityContext.runAsUser" in result.stderr


@pytest.mark.parametrize("name, data", [
    ("mixed", b"apiVersion: v1\r\nkind: Pod\nmetadata:\r\n  name: p\nspec:\r\n  containers:\n    - name: headlamp\r\n"
              b"      image: ghcr.io/headlamp-k8s/headlamp:v0.45.0\n      securityContext:\r\n"
              b"        allowPrivilegeEscalation: true\r\n"),
    ("lone-cr-in-comment", b"# a\r# b\napiVersion: v1\nkind: Pod\nmetadata:\n  name: p\nspec:\n  containers:\n"
                           b"    - name: headlamp\n      image: ghcr.io/headlamp-k8s/headlamp:v0.45.0\n"),
    ("nel-in-comment", "# a\x85# b\napiVersion: v1\nkind: Pod\nmetadata:\n  name: p\nspec:\n  containers:\n"
                       "    - name: headlamp\n      image: ghcr.io/headlamp-k8s/headlamp:v0.45.0\n".encode()),
    ("bom-no-final-newline", b"\xef\xbb\xbfapiVersion: v1\nkind: Pod\nmetadata:\n  name: p\nspec:\n  containers:\n"
                             b"    - name: headlamp\n      image: ghcr.io/headlamp-k8s/headlamp:v0.45.0"),
])
def test_line_ends_and_bom_are_kept_byte_for_byte(tmp_path, name, data):
    path = tmp_path / f"{name}.yaml"
    path.write_bytes(data)
    _, (planned,) = _plan(path)
    assert planned.error is None
    new = planned.data()
    # Every original line is still there with its own line end; new lines take their neighbour's.
    old_lines = data.split(b"\n")
    for line in old_lines[:-1]:
        if b"allowPrivilegeEscalation" not in line:  # the one line the fix rewrites
            assert line + b"\n" in new
    assert new.startswith(b"\xef\xbb\xbf") == data.startswith(b"\xef\xbb\xbf")
    assert b"allowPrivilegeEscalation: false\r\n" in new if name == "mixed" else True
    _assert_diff_applies(tmp_path, path, planned)


def test_cr_only_and_utf16_files_are_refused_with_a_message(tmp_path):
    cr = tmp_path / "cr.yaml"
    cr.write_bytes(PRINTF.replace("\u2028", "").replace("\n", "\r").encode())
    utf16 = tmp_path / "u16.yaml"
    utf16.write_bytes(PRINTF.encode("utf-16"))
    before = {p: p.read_bytes() for p in (cr, utf16)}
    result = run_cli("check", "--fix", str(cr), str(utf16))
    assert {p: p.read_bytes() for p in before} == before
    assert result.returncode == 2
    assert f"{cr}:1: the file ends its lines with CR only" in result.stderr
    assert f"{utf16}:1: the file is UTF-16" in result.stderr


@pytest.mark.skipif(PATCH is None, reason="the patch program is not installed")
def test_diff_without_final_newline_is_valid_and_applies(tmp_path):
    path = tmp_path / "v.yaml"
    path.write_text(PRINTF.rstrip("\n"))
    diff = run_cli("check", "--diff", str(path)).stdout
    assert "\\ No newline at end of file\n" in diff
    copy = tmp_path / "copy.yaml"
    shutil.copy(path, copy)
    subprocess.run([PATCH, "-s", str(copy)], input=diff.encode(), check=True)
    run_cli("check", "--fix", str(path))
    assert copy.read_bytes() == path.read_bytes()


# --- one parse per file ---------------------------------------------------------------


def _many(copies: int) -> str:
    doc = PRINTF.replace("# note\u2028\n", "").replace("name: p\n", "name: p{n}\n")
    return "---\n".join(doc.replace("{n}", str(i)) for i in range(copies))


@pytest.mark.parametrize("copies", [1, 20])
def test_the_fix_planner_parses_each_file_once(tmp_path, monkeypatch, copies):
    path = tmp_path / "many.yaml"
    path.write_text(_many(copies))
    result = lint_paths([str(path)], Settings(digests=True))
    specs = fix_specs()
    assert sum(d.rule_id in specs for d in result.diagnostics) >= 5 * copies
    calls = []
    real = fix_module.load
    monkeypatch.setattr(fix_module, "load", lambda text: calls.append(len(text)) or real(text))
    fix_module._value_plain.cache_clear()
    (planned,) = plan_fixes(result, specs)
    file_parses = [n for n in calls if n >= len(planned.original)]
    # One parse to plan every edit, one to verify the result, whatever the number of findings.
    assert len(file_parses) == 2
    assert len(planned.applied) >= 5 * copies
    calls.clear()
    from linter.fix import diagnostic_fixes

    fixes = diagnostic_fixes(result, specs)
    assert len([n for n in calls if n >= len(planned.original)]) == 2
    assert len(fixes) >= 5 * copies


# --- the property ---------------------------------------------------------------------

_SC = [
    None,
    "securityContext:\n  allowPrivilegeEscalation: true",
    "securityContext: {allowPrivilegeEscalation: true, capabilities: {drop: [NET_RAW]}}",
    "securityContext:\n  capabilities:\n    drop:\n      - NET_RAW\n  runAsUser: 0  # root",
    "securityContext:",
    "securityContext: {}",
    "securityContext: &sc\n  readOnlyRootFilesystem: false",
]
_ARGS = [None, 'args: ["-in-cluster", "-dev"]', "args:\n  - -insecure-ssl\n  - -in-cluster", "args: [-dev]"]


@st.composite
def manifests(draw) -> list[str]:
    first = draw(st.sampled_from(_SC))
    second = draw(st.sampled_from(_SC + (["securityContext: *sc"] if first and "&sc" in first else [])))
    lines = ["# generated", "apiVersion: apps/v1", "kind: Deployment", "metadata:", "  name: hl  # name",
             "spec:", "  template:", "    spec:", "      containers:"]
    for name, sc in (("headlamp", first), ("side", second)):
        lines += [f"        - name: {name}", "          image: ghcr.io/headlamp-k8s/headlamp:v0.45.0"]
        args = draw(st.sampled_from(_ARGS))
        for block in (args, sc):
            if block:
                lines += ["          " + part for part in block.split("\n")]
        if draw(st.booleans()):
            lines.append("          # trailing comment")
    if draw(st.booleans()):
        lines += ["      volumes:", "        - {name: x, emptyDir: {}}"]
    return lines


@st.composite
def values_files(draw) -> list[str]:
    lines = ["# values"]
    sc = draw(st.sampled_from(_SC))
    if sc:
        lines += sc.replace("&sc", "").rstrip().split("\n")
    if draw(st.booleans()):
        lines += ["config:", "  extraArgs:", "    - -dev", "    - -insecure-ssl"]
    if draw(st.booleans()):
        lines += ["clusterRoleBinding: {create: true}"]
    return lines


@st.composite
def files(draw) -> tuple[str, bytes]:
    values = draw(st.booleans())
    lines = draw(values_files() if values else manifests())
    exotic = draw(st.sampled_from(["", "\u2028", "\x85", "\r"]))
    if exotic:
        lines[0] += exotic + "# more"  # YAML reads a new (comment) line; git does not
    style = draw(st.sampled_from(["lf", "crlf", "mixed"]))
    ends = [("\r\n" if style == "crlf" or (style == "mixed" and draw(st.booleans())) else "\n") for _ in lines]
    text = "".join(line + end for line, end in zip(lines, ends))
    if not draw(st.booleans()):
        text = text[: -len(ends[-1])]
    data = text.encode("utf-8")
    if draw(st.booleans()):
        data = b"\xef\xbb\xbf" + data
    return ("values.yaml" if values else "manifest.yaml"), data


@given(files())
@PROPERTY
def test_fix_property(case):
    name, data = case
    folder = Path(tempfile.mkdtemp(dir=_WORKDIR))
    path = folder / name
    path.write_bytes(data)
    _, planned = _plan(path)
    if not planned:
        return  # nothing to fix
    (fixed,) = planned
    if fixed.error is not None and "CR only" in fixed.error:
        assert b"\n" not in data  # a one-line file whose only line break is a lone CR: rightly refused
        return
    if fixed.error is not None:
        assert fixed.fixed == fixed.original  # refused: nothing is written
        written, errors = write_all(planned, [folder])
        assert not written and errors and path.read_bytes() == data
    # Every generated file is fixable: a refusal here is a planner bug the verification caught.
    assert fixed.error is None, fixed.error
    original_text = fixed.original
    # Differs only at the planned edits.
    assert apply_all(original_text, fix_module.plan_file(
        original_text, lint_paths([str(path)], Settings()).diagnostics, fix_specs(), name == "values.yaml",
        fix_module._values_context(lint_paths([str(path)], Settings()).sources[str(path)],
                                   lint_paths([str(path)], Settings())) if name == "values.yaml" else None,
    ).edits) == fixed.fixed
    after = load(fixed.fixed)
    before = load(original_text)
    count = lambda r, rule: sum(p.rule == rule for p in r.problems + [p for d in r.documents for p in d.problems])  # noqa: E731
    assert count(after, "HL001") <= count(before, "HL001") and count(after, "HL004") <= count(before, "HL004")
    if PATCH is not None:
        _assert_diff_applies(folder, path, fixed)
    written, errors = write_all(planned, [folder])
    assert written and not errors and path.read_bytes() == fixed.data()
    _, again = _plan(path)
    assert again == [], "not a fixed point"


def _assert_diff_applies(folder: Path, path: Path, planned) -> None:
    if PATCH is None:
        return
    copy = folder / ("patched-" + path.name)
    copy.write_bytes(path.read_bytes())
    subprocess.run([PATCH, "-s", "--binary", str(copy)], input=planned.diff().encode("utf-8"), check=True,
                   capture_output=True)
    assert copy.read_bytes() == planned.data()
    copy.unlink()
