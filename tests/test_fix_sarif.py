"""SARIF results carry each fixable finding's fix (``fixes[].artifactChanges``), computed by the fix planner."""

from __future__ import annotations

import json
import shutil

import pytest

from linter.engine import lint_paths
from linter.fix import _values_context, diagnostic_fix, fix_text
from linter.rules import fix_specs
from linter.settings import Settings
from tests.conftest import FIXTURES
from tests.reporting import render_format
from tests.test_reporters import validate_sarif

CASES = [FIXTURES / "fixes" / "deployment.yaml", FIXTURES / "fixes" / "values" / "current" / "values.yaml",
         FIXTURES / "fixes" / "values" / "old-chart" / "values.yaml"]


def apply_replacements(text: str, replacements: list[dict]) -> str:
    """What a review tool does with a SARIF fix: replace whole-line regions, bottom up."""
    lines = text.splitlines(keepends=True)
    for r in sorted(replacements, key=lambda r: r["deletedRegion"]["startLine"], reverse=True):
        region = r["deletedRegion"]
        assert region["startColumn"] == region["endColumn"] == 1
        lines[region["startLine"] - 1: region["endLine"] - 1] = [r["insertedContent"]["text"]]
    return "".join(lines)


@pytest.mark.parametrize("path", CASES, ids=lambda p: p.parent.name + "/" + p.name)
def test_sarif_fixes_are_valid_and_reproduce_each_single_fix(path):
    result = lint_paths([str(path)], Settings())
    document = json.loads(render_format("sarif", result))
    validate_sarif(document)
    specs = fix_specs()
    with_fix = 0
    for sarif_result, diagnostic in zip(document["runs"][0]["results"], result.diagnostics):
        assert sarif_result["ruleId"] == diagnostic.rule_id
        expected, _ = fix_text(result.sources[diagnostic.path].text, [diagnostic],
                               {diagnostic.rule_id: specs[diagnostic.rule_id]} if diagnostic.rule_id in specs else {},
                               diagnostic.path in result.values_files,
                               _values_context(result.sources[diagnostic.path], result)
                               if diagnostic.path in result.values_files else None)
        fixes = sarif_result.get("fixes", [])
        if expected == result.sources[diagnostic.path].text:
            assert not fixes
            continue
        with_fix += 1
        (change,) = fixes[0]["artifactChanges"]
        assert change["artifactLocation"]["uri"].endswith(path.name)
        assert "--fix" in fixes[0]["description"]["text"]
        assert apply_replacements(result.sources[diagnostic.path].text, change["replacements"]) == expected
    assert with_fix >= 3


def test_replacements_use_crlf_for_crlf_files(tmp_path):
    path = tmp_path / "values.yaml"
    path.write_bytes(CASES[1].read_text().replace("\n", "\r\n").encode())
    result = lint_paths([str(path)], Settings())
    specs = fix_specs()
    replacements = [r for d in result.diagnostics if d.rule_id in specs for r in diagnostic_fix(result, d, specs[d.rule_id])]
    assert replacements and all(r.text.endswith("\r\n") and "\n" not in r.text.replace("\r\n", "") for r in replacements)


def test_no_fixes_without_a_source(tmp_path):
    shutil.copy(CASES[0], tmp_path / "d.yaml")
    result = lint_paths([str(tmp_path / "d.yaml")], Settings())
    result.sources.clear()
    document = json.loads(render_format("sarif", result))
    assert not any("fixes" in r for r in document["runs"][0]["results"])
