"""The language server's parts that need no client: positions, the project's runs, code action edits."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

pytest.importorskip("lsprotocol", reason="the lsp extra is not installed (pip install -e '.[test]')")

from linter.diagnostics import Diagnostic  # noqa: E402
from linter.engine import ResultMemo, SourceInput, lint_paths, lint_sources  # noqa: E402
from linter.discover import discover  # noqa: E402
from linter.lsp import actions  # noqa: E402
from linter.lsp.positions import UTF8, UTF32, TextIndex, normalise  # noqa: E402
from linter.lsp.project import Project  # noqa: E402
from linter.settings import Settings  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture
def in_tmp(tmp_path: Path):
    cwd = os.getcwd()
    os.chdir(tmp_path)
    yield tmp_path
    os.chdir(cwd)


# --- positions ---------------------------------------------------------------------------------


def test_columns_become_utf16_code_units():
    text = "a: \U0001F680x\nb: é\n"
    index = TextIndex(text)
    # Column 5 (1-based code points) is the x after the rocket: 3 + 2 code units.
    assert index.span_range(1, 5, 1, 6) == ((0, 5), (0, 6))
    assert index.span_range(2, 4, 2, 5) == ((1, 3), (1, 4))
    assert TextIndex(text, UTF8).span_range(1, 5, 1, 6) == ((0, 7), (0, 8))
    assert TextIndex(text, UTF32).span_range(1, 5, 1, 6) == ((0, 4), (0, 5))
    # Back: the LSP position of the x is the linter's column 5; inside the rocket's pair, the rocket.
    assert index.linter_position(index.lsp_offset(0, 5)) == (1, 5)
    assert index.lsp_offset(0, 4) == 4


def test_yaml_only_line_breaks_are_inside_a_line_for_both():
    # YAML reads U+2028 and NEL as line breaks, but the linter's lines (like git's and LSP's) end at \n only.
    text = "a: 1\u2028b: 2\x85c: 3\nd: 4\n"
    index = TextIndex(text)
    assert index.span_range(1, 11, 1, 12) == ((0, 10), (0, 11))
    assert index.span_range(2, 1, 2, 2) == ((1, 0), (1, 1))
    assert index.linter_position(index.lsp_offset(0, 10)) == (1, 11)


def test_spans_past_the_end_are_clamped():
    index = TextIndex("a: 1\nbb\n")
    assert index.span_range(2, 1, 2, 99) == ((1, 0), (1, 2))
    assert index.span_range(9, 1, 9, 2) == ((2, 0), (2, 0))
    assert index.lsp_offset(0, 99) == 4
    assert index.lsp_offset(99, 0) == 8


def test_buffers_are_normalised_like_files():
    assert normalise("\ufeffa: 1\r\nb: 2\rc: 3\n") == "a: 1\nb: 2\nc: 3\n"


# --- the project --------------------------------------------------------------------------------


def _keyed(diagnostics: list[Diagnostic]) -> list[tuple]:
    return [(d.path, d.line, d.column, d.rule_id, d.message) for d in diagnostics]


def test_reused_results_equal_a_fresh_run(in_tmp: Path):
    """lint_sources with a memo gives what lint_paths gives, on every run, GitOps releases included."""
    for folder in ("fixtures/gitops", "fixtures/rules/hl401_run_as_root", "fixtures/rules/hl501_no_network_policy",
                   "fixtures/lsp/workspace"):
        shutil.copytree(ROOT / folder, in_tmp / Path(folder).name)
    settings = Settings(digests=False)
    expected = _keyed(lint_paths(["."], settings).diagnostics)
    assert any(path.startswith("gitops/") for path, *_ in expected)
    files = discover(["."]).files
    memo = ResultMemo(settings)
    first = lint_sources([SourceInput(item) for item in files], settings, memo)
    again = lint_sources([SourceInput(item) for item in files], settings, memo)
    assert _keyed(first.diagnostics) == expected
    assert _keyed(again.diagnostics) == expected
    # A buffer replaces its file; the other files' results are reused.
    edited = [SourceInput(item, "kind: [\n" if item.display == "workspace/values.yaml" else None) for item in files]
    changed = _keyed(lint_sources(edited, settings, memo).diagnostics)
    assert [d[3] for d in changed if d[0] == "workspace/values.yaml"] == ["HL001"]
    assert [d for d in changed if d[0].startswith("gitops/")] == [d for d in expected if d[0].startswith("gitops/")]


def test_project_reads_its_configuration(in_tmp: Path):
    shutil.copytree(ROOT / "fixtures/lsp/workspace", in_tmp / "ws")
    (in_tmp / "ws" / ".git").mkdir()
    (in_tmp / "ws" / ".headlamp-lint.yaml").write_text("ignore: [HL102]\nexclude: [values.yaml]\n")
    project = Project(in_tmp / "ws")
    project.activate()
    assert project.reload_settings() is None
    assert sorted(item.display for item in project.files) == [".headlamp-lint.yaml", "headlamp.yaml", "netpol.yaml"]
    assert [d.rule_id for d in project.lint().diagnostics] == ["HL109", "HL404"]
    (in_tmp / "ws" / ".headlamp-lint.yaml").write_text("ignore: HL102\n")
    error = project.reload_settings()
    assert error is not None and error.startswith(".headlamp-lint.yaml:1:9: ")
    assert "values.yaml" in [item.display for item in project.files]  # the defaults: nothing excluded
    assert "HL102" in [d.rule_id for d in project.lint().diagnostics]


# --- code action edits -----------------------------------------------------------------------------


def _doc(text: str, display: str = "x.yaml") -> actions.Document:
    return actions.Document("file:///x.yaml", display, text, TextIndex(text))


def _apply(doc: actions.Document, new: str) -> str:
    edit = actions.text_edit(doc, new)
    start = doc.index.lsp_offset(edit.range.start.line, edit.range.start.character)
    end = doc.index.lsp_offset(edit.range.end.line, edit.range.end.character)
    return doc.text[:start] + edit.new_text + doc.text[end:]


def test_text_edit_is_minimal_and_keeps_crlf():
    doc = actions.Document("file:///x.yaml", "x.yaml", "a: 1\nb: 🚀 2\nc: 3\n", TextIndex("a: 1\nb: 🚀 2\nc: 3\n"), True)
    edit = actions.text_edit(doc, "a: 1\nb: 🚀 3\nx: 1\nc: 3\n")
    assert (edit.range.start.line, edit.range.start.character, edit.range.end.line, edit.range.end.character) == (
        1, 6, 1, 7)
    assert edit.new_text == "3\r\nx: 1"


def test_line_suppression_goes_above_when_a_comment_would_change_a_string():
    text = "a: |\n  one\n  two\nb: 1\n"
    # Line 3 is inside a block scalar: neither a comment at its end nor one above it is a comment.
    assert actions.line_suppression(_doc(text), "HL401", 3) is None
    new, line = actions.line_suppression(_doc(text), "HL401", 4)
    assert (new, line) == ("a: |\n  one\n  two\nb: 1  # headlamp-lint: disable=HL401 -- \n", 4)
    quoted = 'a: "one\n  two"\nb: 1\n'
    new, line = actions.line_suppression(_doc(quoted), "HL401", 1)
    assert (new, line) == ('# headlamp-lint: disable=HL401 -- \na: "one\n  two"\nb: 1\n', 2)


def test_suppressions_join_an_existing_comment():
    text = "# headlamp-lint: disable-file=HL405 -- legacy\na: 1  # headlamp-lint: disable=HL401 -- why\n"
    new, _ = actions.line_suppression(_doc(text), "HL403", 2)
    assert new == "# headlamp-lint: disable-file=HL405 -- legacy\na: 1  # headlamp-lint: disable=HL401,HL403 -- why\n"
    assert actions.file_suppression(_doc(text), "HL409") == (
        "# headlamp-lint: disable-file=HL405,HL409 -- legacy\na: 1  # headlamp-lint: disable=HL401 -- why\n")
    assert actions.line_suppression(_doc(text), "HL401", 2) is None  # named already
