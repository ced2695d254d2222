"""Meta-tests: the registry, the rule docs, the fixtures and the README stay in step."""

from __future__ import annotations

import re

import pytest

from linter.rules import all_rules
from linter.rules.base import DOC_HEADINGS
from tests.cli import invoke
from tests.conftest import FIXTURES, ROOT
from tests.fixture_expectations import lint_args

RULES = all_rules()
_BLOCK = re.compile(r"```yaml\n(.*?)```", re.S)


def doc_section(doc: str, heading: str) -> str:
    match = re.search(rf"^## {re.escape(heading)}\n(.*?)(?=^## |\Z)", doc, re.S | re.M)
    assert match, f"missing heading {heading!r}"
    return match.group(1)


def yaml_blocks(section: str, kind: str) -> list[str]:
    return [b for b in _BLOCK.findall(section) if b.startswith(f"# {kind}\n")]


def test_ids_and_names_are_unique_and_well_formed():
    ids = [r.id for r in RULES]
    names = [r.name for r in RULES]
    assert len(ids) == len(set(ids))
    assert len(names) == len(set(names))
    for rule in RULES:
        assert re.fullmatch(r"HL\d{3}", rule.id)
        assert re.fullmatch(r"[a-z0-9]+(-[a-z0-9]+)*", rule.name)
        assert 0.1 <= rule.meta.security_severity <= 10
        module = rule.module.rsplit(".", 1)[-1]
        assert module == f"{rule.id.lower()}_{rule.name.replace('-', '_')}", "module named after id and name"


@pytest.mark.parametrize("rule", RULES, ids=lambda r: r.id)
def test_rule_doc_has_every_heading_in_order(rule):
    positions = [rule.doc.find(f"## {heading}\n") for heading in DOC_HEADINGS]
    assert all(p >= 0 for p in positions), f"{rule.id} doc lacks a heading: {positions}"
    assert positions == sorted(positions)


@pytest.mark.parametrize("rule", RULES, ids=lambda r: r.id)
def test_rule_options_are_documented(rule):
    options = doc_section(rule.doc, "Options")
    for option in rule.meta.options:
        assert f"`{option.name}`" in options


@pytest.mark.parametrize("rule", [r for r in RULES if r.check is not None or r.id != "HL000"], ids=lambda r: r.id)
def test_rule_has_bad_and_good_fixtures(rule):
    if rule.id == "HL000":
        pytest.skip("HL000 reports linter bugs; tests/test_engine.py triggers it with a failing rule")
    folder = FIXTURES / "rules" / rule.module.rsplit(".", 1)[-1]
    assert folder.is_dir(), f"no fixture folder {folder}"
    assert list(folder.glob("bad*.yaml")), "no bad fixture"
    assert list(folder.glob("good*.yaml")), "no good fixture"


def test_readme_lists_every_rule():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    for rule in RULES:
        assert re.search(rf"\|\s*{rule.id}\s*\|\s*`?{re.escape(rule.name)}`?\s*\|", readme), rule.id


def _rules_fired(tmp_path, text: str) -> set[str]:
    import json

    is_values = text.startswith("# values\n")
    path = tmp_path / ("values.yaml" if is_values else "example.yaml")
    path.write_text(text, encoding="utf-8")
    target = ["--values", str(path)] if is_values else [str(path)]
    # An example may pin its run like a fixture (``# lint-args: --now 2099-01-01``).
    extra = lint_args(path)
    result = invoke(["check", "-f", "json", "--exit-zero", "--all-workloads", *extra, *target])
    assert result.exit_code == 0, result.output
    return {d["rule"] for d in json.loads(result.stdout)["diagnostics"]}


@pytest.mark.parametrize("rule", [r for r in RULES if r.id != "HL000"], ids=lambda r: r.id)
def test_doc_examples_fire_and_use_instead_does_not(rule, tmp_path):
    examples = yaml_blocks(doc_section(rule.doc, "Example"), "manifest")
    values_examples = yaml_blocks(doc_section(rule.doc, "Example"), "values")
    assert examples or values_examples, f"{rule.id} has no manifest or values example"
    # `# values` blocks are linted as Headlamp values files (chart defaults + the block)
    for block in examples + values_examples:
        assert rule.id in _rules_fired(tmp_path, block), f"{rule.id} example does not fire:\n{block}"
    use_instead = doc_section(rule.doc, "Use instead")
    for block in yaml_blocks(use_instead, "manifest") + yaml_blocks(use_instead, "values"):
        assert rule.id not in _rules_fired(tmp_path, block), f"{rule.id} 'Use instead' fires:\n{block}"


def test_every_rule_module_is_registered():
    from linter.rules import RULE_MODULES

    on_disk = sorted(p.stem for p in (ROOT / "linter" / "rules").glob("hl[0-9][0-9][0-9]_*.py"))
    assert sorted(RULE_MODULES) == on_disk
