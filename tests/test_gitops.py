"""Headlamp values inside Flux HelmReleases, Argo CD Applications and kustomizations (linter.gitops).

Every fixture under ``fixtures/gitops/`` carries ``# expect:`` markers for
every finding of every rule, so the whole set of (line, column, rule) is
compared, positions inside embedded YAML strings included.
"""

from __future__ import annotations

import json

import pytest

from linter.gitops.embedded import parse_embedded
from linter.yamlpos import MapNode, ScalarNode, load, walk
from tests.cli import invoke
from tests.conftest import FIXTURES
from tests.fixture_expectations import expectations, lint_args

GITOPS = sorted(p for p in (FIXTURES / "gitops").rglob("*.yaml") if "values" not in p.name or p.parent.name == "gitops")


def lint(*args: str) -> list[dict]:
    result = invoke(["check", "-f", "json", "--exit-zero", *args])
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)["diagnostics"]


def findings(*args: str) -> set[tuple[int, int, str]]:
    return {(d["line"], d["column"], d["rule"]) for d in lint(*args)}


@pytest.mark.parametrize("path", [p for p in GITOPS if expectations(p)], ids=lambda p: str(p.relative_to(FIXTURES)))
def test_fixture_findings_match_markers(path):
    assert findings(*lint_args(path), str(path)) == expectations(path)


# --- positions inside block scalars ------------------------------------------------------------------------------

def _embedded(text: str):
    loaded = load(text)
    node = loaded.documents[0].root.get("values")
    assert isinstance(node, ScalarNode)
    return parse_embedded(node, text.split("\n"))


def _where(parsed, key: str) -> tuple[int, int]:
    for item in walk(parsed.root):
        if isinstance(item, MapNode):
            for k, v in item.entries:
                if k.text == key:
                    return v.span.line, v.span.column
    raise AssertionError(key)


@pytest.mark.parametrize("header", ["|", "|-", "|+", "|2", "|2-", "|-2", "| # the values"])
def test_block_positions_are_exact_in_the_outer_file(header):
    parsed = _embedded(f"values: {header}\n  config:\n    inCluster: true\n\n  image:\n    tag: v1\nother: 1\n")
    assert parsed.exact and not parsed.problems
    assert _where(parsed, "inCluster") == (3, 16)
    assert _where(parsed, "tag") == (6, 10)


def test_block_indentation_indicator_with_deeper_first_line():
    text = "values: |4\n      deep: 1\n    top: 2\n"
    loaded = load(text)
    node = loaded.documents[0].root.get("values")
    parsed = parse_embedded(node, text.split("\n"))
    # "  deep: 1" is not YAML the values can start with (more indented than what follows): a located error
    assert parsed.exact
    assert [(p.rule, p.span.line) for p in parsed.problems if p.rule == "HL001"]


def test_tabs_inside_strings_keep_columns():
    text = 'values: |\n  config:\n    baseURL: "/a\tb"\n    inCluster: true\n'
    loaded = load(text)
    parsed = parse_embedded(loaded.documents[0].root.get("values"), text.split("\n"))
    assert parsed.exact
    assert _where(parsed, "baseURL") == (3, 14)
    assert _where(parsed, "inCluster") == (4, 16)


def test_folded_or_quoted_strings_are_pinned_to_the_string():
    text = 'values: "config:\\n  inCluster: true\\n"\n'
    loaded = load(text)
    parsed = parse_embedded(loaded.documents[0].root.get("values"), text.split("\n"))
    assert not parsed.exact
    assert _where(parsed, "inCluster") == (1, 9)


def test_crlf_file_positions(tmp_path):
    source = (FIXTURES / "gitops" / "argo-values-string.yaml").read_text(encoding="utf-8")
    crlf = tmp_path / "app.yaml"
    crlf.write_bytes(source.replace("\n", "\r\n").encode())
    assert findings(str(crlf)) == expectations(FIXTURES / "gitops" / "argo-values-string.yaml")


def test_invalid_yaml_in_block_is_located_and_the_rest_is_linted(tmp_path):
    path = tmp_path / "apps.yaml"
    path.write_text(
        "apiVersion: argoproj.io/v1alpha1\nkind: Application\nmetadata:\n  name: headlamp\nspec:\n  source:\n"
        "    repoURL: https://kubernetes-sigs.github.io/headlamp/\n    chart: headlamp\n    targetRevision: 0.40.1\n"
        "    helm:\n      values: |\n        config:\n          inCluster: true\n         bad: [\n"
        "---\napiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: other\nspec:\n  template:\n    spec:\n"
        "      containers:\n        - name: app\n          image: ghcr.io/headlamp-k8s/headlamp:v0.40.1\n"
        "          securityContext:\n            privileged: true\n",
        encoding="utf-8",
    )
    found = findings(str(path))
    hl001 = [f for f in found if f[2] == "HL001"]
    assert len(hl001) == 1 and 13 <= hl001[0][0] <= 14, found
    assert (27, 25, "HL403") in found  # the Deployment after it is still linted
    assert not any(f[2] == "HL301" for f in found)  # the broken release is not linted as chart defaults


def test_suppression_comment_inside_embedded_values(tmp_path):
    source = (FIXTURES / "gitops" / "argo-values-string.yaml").read_text(encoding="utf-8")
    path = tmp_path / "app.yaml"
    path.write_text(source.replace("runAsUser: 0  # expect: HL401:22",
                                   "runAsUser: 0  # headlamp-lint: disable=HL401 -- a test"), encoding="utf-8")
    found = findings(str(path))
    assert not any(rule == "HL401" for _, _, rule in found)
    assert not any(rule == "HL007" for _, _, rule in found)


def test_chart_default_names_the_embedded_key_to_set():
    diagnostics = lint(str(FIXTURES / "gitops" / "argo-values-object.yaml"))
    hl411 = [d for d in diagnostics if d["rule"] == "HL411"]
    assert hl411 and "set spec.source.helm.valuesObject.hostUsers: false" in hl411[0]["message"]
    assert (hl411[0]["line"], hl411[0]["column"]) == (13, 7)
