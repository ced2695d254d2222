"""Compare the positions of linter.yamlpos with ruamel.yaml's round-trip loader.

The linter composes nodes from the C parser's events instead of using the
round-trip loader (about nine times slower). This module checks that the
two agree on every key, every scalar value and every list item: the same
1-based line and column. ``scripts/bench.py --positions`` runs it on the
whole corpus and the fixtures; tests/test_perf.py runs it on a sample.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from linter.yamlpos import MapNode, ScalarNode, SeqNode, load


@dataclass
class PositionReport:
    files: int = 0  # files compared
    skipped: int = 0  # files the round-trip loader cannot read, templates, files with YAML errors
    nodes: int = 0  # positions compared
    # Empty values (`key:` with nothing after it) have no text of their own:
    # libyaml, and so the linter, places them right after the key, while the
    # round-trip loader's pure-Python parser places them at the next token
    # (often lines further, past comments). Counted, not compared.
    empty_values: int = 0
    # A scalar with an anchor or a tag (`host: &host x`, `n: !!str 1`): the round-trip loader places it at
    # its `&`/`!`, the linter at the value itself (what a finding blames). Counted when the linter's
    # position is the value after that decoration on the same line; anything else is a mismatch.
    decorated: int = 0
    mismatches: list[str] = field(default_factory=list)


def compare_text(text: str, display: str, report: PositionReport) -> None:
    """Compare one file's positions; mismatches are appended as 'path:line:col: ...' lines."""
    from ruamel.yaml import YAML
    from ruamel.yaml.comments import CommentedMap, CommentedSeq

    ours = load(text)
    if ours.problems or any(d.problems for d in ours.documents) or "{{" in text:
        report.skipped += 1
        return
    try:
        theirs = list(YAML(typ="rt").load_all(text))
    except Exception:  # noqa: BLE001 - the reference loader rejects some valid YAML (e.g. duplicate anchors)
        report.skipped += 1
        return
    report.files += 1
    for doc, data in zip(ours.documents, theirs):
        if doc.root is not None:
            _compare(doc.root, data, CommentedMap, CommentedSeq, display, report, text.split("\n"))


def _check(report: PositionReport, display: str, what: str, span, line: int, col: int,
           lines: list[str] | None = None) -> None:
    report.nodes += 1
    between = lines[line][col:span.column - 1].split() if lines is not None and line < len(lines) else []
    if span.line == line + 1 and between and all(part[:1] in ("&", "!") for part in between):
        report.decorated += 1
        return
    if (span.line, span.column) != (line + 1, col + 1):
        report.mismatches.append(
            f"{display}:{span.line}:{span.column}: {what}: round-trip loader says {line + 1}:{col + 1}"
        )


def _compare(node, data, cmap, cseq, display: str, report: PositionReport, lines: list[str] | None = None) -> None:
    stack = [(node, data)]
    seen: set[int] = set()
    while stack:
        node, data = stack.pop()
        if id(node) in seen:  # an alias: its anchor's nodes were compared already
            continue
        seen.add(id(node))
        if isinstance(node, MapNode) and isinstance(data, cmap):
            own = data.lc.data  # positions of the keys written in this mapping (not merged ones)
            for key, value in node.entries:
                if not isinstance(key.value, str) or key.value not in own:
                    continue
                line, col, vline, vcol = own[key.value]
                _check(report, display, f"key {key.value!r}", key.span, line, col)
                if isinstance(value, ScalarNode) and value.raw == "" and not value.quoted:
                    report.empty_values += 1
                elif isinstance(value, ScalarNode):
                    _check(report, display, f"value of {key.value!r}", value.span, vline, vcol, lines)
                stack.append((value, data[key.value]))
        elif isinstance(node, SeqNode) and isinstance(data, cseq):
            for index, item in enumerate(node.items):
                if isinstance(item, ScalarNode) and item.raw == "" and not item.quoted:
                    report.empty_values += 1
                    continue
                line, col = data.lc.item(index)
                _check(report, display, f"item {index}", item.span, line, col, lines)
                stack.append((item, data[index]))


def compare_files(paths: list[Path], root: Path | None = None) -> PositionReport:
    report = PositionReport()
    for path in paths:
        try:
            text = path.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError):
            report.skipped += 1
            continue
        display = path.relative_to(root).as_posix() if root is not None else str(path)
        compare_text(text.replace("\r\n", "\n"), display, report)
    return report
