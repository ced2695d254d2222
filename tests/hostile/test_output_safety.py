"""Issue item 4: input-derived text cannot inject into any report format.

A manifest (in a file whose name is itself hostile) puts terminal escapes,
C1 controls, bidirectional overrides and newlines that forge diagnostics
into the names that findings quote. Every format must show them escaped and
keep its own structure. To cover a new format, add it to ``FORMAT_CHECKS``
with a function that parses the report and returns the messages it holds;
``test_every_registered_format_is_checked`` fails until that is done.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Callable

import pytest

from linter.reporters import REPORTERS
from tests.hostile.harness import lint

# Each reaches a finding message through a container, pod or file name.
HOSTILE_NAMES = {
    "clear_screen": "\x1b[2J\x1b[H",
    "title": "\x1b]0;owned\x07",
    "csi_c1": "\x9b31mred",
    "bidi": "evil\u202egnp.exe",
    "forged_line": "x\nfake.yaml:1:1: error: forged [HL999]",
    "carriage_return": "ok\r\x1b[Kall clean",
}

POD_HEAD = """\
apiVersion: v1
kind: Pod
metadata:
  name: {pod}
spec:
  containers:
"""
CONTAINER = """\
  - name: {name}
    image: ghcr.io/headlamp-k8s/headlamp:v0.30.0
    securityContext:
      privileged: true
"""

# Raw characters no report may contain: C0 controls but tab/newline, DEL, C1, bidi controls.
_RAW = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]")
_OUR_COLOURS = re.compile(r"\x1b\[[0-9;]*m")


def _write(tmp_path: Path) -> Path:
    """One pod named with every hostile text, one container per hostile text, in a hostile file name."""
    name = "pod-" + "".join(HOSTILE_NAMES.values()).replace("\n", "_") + ".yaml"
    text = POD_HEAD.format(pod=json.dumps("".join(HOSTILE_NAMES.values())))
    text += "".join(CONTAINER.format(name=json.dumps(hostile)) for hostile in HOSTILE_NAMES.values())
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def check_full(report: str) -> list[str]:
    return [line for line in report.splitlines() if re.match(r"^\S.*:\d+:\d+: (error|warning|info): ", line)]


def check_concise(report: str) -> list[str]:
    lines = report.splitlines()
    pattern = re.compile(r"^.+:\d+:\d+: (error|warning|info): .* \[HL\d{3}\]$")
    assert all(pattern.match(line) for line in lines), lines
    return lines


def check_json(report: str) -> list[str]:
    return [d["message"] for d in json.loads(report)["diagnostics"]]


def check_sarif(report: str) -> list[str]:
    return [r["message"]["text"] for run in json.loads(report)["runs"] for r in run["results"]]


def check_gitlab(report: str) -> list[str]:
    return [issue["description"] for issue in json.loads(report)]


def check_github(report: str) -> list[str]:
    lines = report.splitlines()
    pattern = re.compile(r"^::(error|warning|notice) [^\n]*?::(.*)$")
    assert all(pattern.match(line) for line in lines), lines
    return [pattern.match(line).group(2) for line in lines]


def check_junit(report: str) -> list[str]:
    import xml.etree.ElementTree as ET

    root = ET.fromstring(report)
    # One test case per file and rule; its body holds one concise line per finding.
    return [line for failure in root.iter("failure") for line in (failure.text or "").splitlines() if line]


def check_markdown(report: str) -> list[str]:
    rows = [line for line in report.splitlines() if line.startswith("| ") and "[HL" in line]
    assert all(line.count(" | ") >= 3 for line in rows), rows
    return rows


def check_html(report: str) -> list[str]:
    import html.parser

    class Findings(html.parser.HTMLParser):
        def __init__(self):
            super().__init__()
            self.messages: list[str] = []
            self._depth = 0

        def handle_starttag(self, tag, attrs):
            classes = (dict(attrs).get("class") or "").split()
            if "message" in classes:
                self._depth = 1
                self.messages.append("")
            elif self._depth:
                self._depth += 1

        def handle_endtag(self, tag):
            if self._depth:
                self._depth -= 1

        def handle_data(self, data):
            if self._depth:
                self.messages[-1] += data

    parser = Findings()
    parser.feed(report)
    return parser.messages


# format -> parses the report (asserting its structure) and returns the finding texts
FORMAT_CHECKS: dict[str, Callable[[str], list[str]]] = {
    "full": check_full,
    "concise": check_concise,
    "json": check_json,
    "sarif": check_sarif,
    "gitlab": check_gitlab,
    "github": check_github,
    "junit": check_junit,
    "markdown": check_markdown,
    "html": check_html,
}
# Formats that JSON-encode text: the hostile characters travel escaped and come back intact.
JSON_FORMATS = {"json", "sarif", "gitlab"}
# Markdown cannot show a backslash escape in a table without breaking it; it blanks controls instead.
BLANKING_FORMATS = {"markdown"}


def test_every_registered_format_is_checked():
    assert set(REPORTERS) <= set(FORMAT_CHECKS), f"add output-safety checks for {set(REPORTERS) - set(FORMAT_CHECKS)}"


@pytest.fixture(scope="module")
def hostile_file(tmp_path_factory) -> Path:
    return _write(tmp_path_factory.mktemp("output-safety"))


@pytest.mark.parametrize("output_format", sorted(REPORTERS))
def test_reports_escape_input_derived_text(hostile_file, output_format):
    # The container rules only: they quote every hostile name, and their count is known.
    run = lint("-f", output_format, "--color", "never", "--select", "HL4", str(hostile_file))
    assert run.returncode == 1, run.stderr
    assert not _RAW.search(run.stdout), repr(_RAW.search(run.stdout))
    assert not _RAW.search(run.stderr)
    findings = FORMAT_CHECKS[output_format](run.stdout)
    # HL401/404/405/407/408/412 and HL403 for each of the containers, and HL411 (info) for the pod;
    # JUnit fails test cases only for findings at or above the fail level.
    expected = 7 * len(HOSTILE_NAMES) + (0 if output_format == "junit" else 1)
    assert len(findings) == expected, findings
    assert not any(line.startswith("fake.yaml") for line in run.stdout.splitlines())
    if output_format in JSON_FORMATS:
        # Escaped on the wire, intact in the data: every hostile text round-trips exactly.
        for hostile in HOSTILE_NAMES.values():
            assert any(f'container "{hostile}"' in m for m in findings), hostile
        if output_format == "json":
            document = json.loads(run.stdout)
            assert {d["path"] for d in document["diagnostics"]} == {hostile_file.as_posix()}
    elif output_format in BLANKING_FORMATS:
        assert "evil gnp.exe" in run.stdout
    else:
        # GitHub's workflow commands have their own escapes for line breaks.
        breaks = ("x%0Afake.yaml", "ok%0D") if output_format == "github" else ("x\\x0afake.yaml", "ok\\x0d")
        for shown in ("\\x1b[2J", "\\x1b]0;owned\\x07", "\\x9b31m", "\\u202e") + breaks:
            assert shown in run.stdout, shown


def test_full_format_in_colour_adds_only_its_own_escapes(hostile_file):
    run = lint("-f", "full", "--color", "always", str(hostile_file))
    assert "\x1b[" in run.stdout  # it is coloured
    assert not _RAW.search(_OUR_COLOURS.sub("", run.stdout))
    assert "\\x1b[2J" in run.stdout


def test_notes_and_errors_on_stderr_are_escaped(tmp_path):
    folder = tmp_path / "dir\x1b[2J"
    folder.mkdir()
    run = lint(str(folder), str(tmp_path / "missing\x1b]0;x\x07.yaml"))
    assert run.returncode == 2
    assert not _RAW.search(run.stderr), repr(run.stderr)
    assert "no YAML or JSON files found" in run.stderr and "\\x1b[2J" in run.stderr
    assert "no such file or directory" in run.stderr and "\\x1b]0;x\\x07" in run.stderr


def test_full_marker_lines_up_with_escaped_and_cut_source_lines():
    from linter.reporters.full import CONTEXT, MAX_SHOWN, _excerpt

    raw = "k: a\u202eb\tc: true"
    shown, before, width = _excerpt(raw, raw.index("true") + 1, 4)
    assert shown == "k: a\\u202eb\tc: true"
    assert before == " " * len("k: a\\u202eb") + "\t" + " " * len("c: ") and width == 4
    assert shown[len(before):len(before) + width] == "true"

    line = "x" * 1_000_000 + " privileged: true"
    column = line.index("true") + 1
    shown, before, width = _excerpt(line, column, 4)
    assert len(shown) <= MAX_SHOWN + 2 and shown.startswith("…")
    assert before == " " * (CONTEXT + 1) and shown[len(before):len(before) + width] == "true"
