"""Headlamp values inside Flux HelmReleases, Argo CD Applications and kustomizations (linter.gitops).

Every fixture under ``fixtures/gitops/`` carries ``# expect:`` markers for
every finding of every rule, so the whole set of (line, column, rule) is
compared, positions inside embedded YAML strings included.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from linter.gitops.embedded import parse_embedded
from linter.yamlpos import MapNode, ScalarNode, load, walk
from tests.cli import invoke
from tests.conftest import FIXTURES
from tests.fixture_expectations import expectations

# A file is linted alone; a folder (a kustomization and its value files, an application and its repository's
# value files) is linted as a whole.
CASES = sorted((FIXTURES / "gitops").glob("*.yaml")) + sorted(p for p in (FIXTURES / "gitops").iterdir() if p.is_dir())


def lint(*args: str) -> list[dict]:
    result = invoke(["check", "-f", "json", "--exit-zero", *args])
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)["diagnostics"]


def findings(*args: str) -> set[tuple[int, int, str]]:
    return {(d["line"], d["column"], d["rule"]) for d in lint(*args)}


def case_expectations(case: Path) -> set[tuple[str, int, int, str]]:
    files = [case] if case.is_file() else sorted(case.rglob("*.yaml"))
    return {(f.resolve().as_posix(), *item) for f in files for item in expectations(f)}


@pytest.mark.parametrize("case", CASES, ids=lambda p: str(p.relative_to(FIXTURES)))
def test_fixture_findings_match_markers(case):
    expected = case_expectations(case)
    assert expected, f"{case} has no # expect: marker"
    found = {(Path(d["path"]).resolve().as_posix(), d["line"], d["column"], d["rule"]) for d in lint(str(case))}
    assert found == expected


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


# --- fixes ----------------------------------------------------------------------------------------------------

FIXED_RULES = {"HL405", "HL408"}  # (HL404 stays where privileged: true implies escalation)


@pytest.mark.parametrize("name", ["flux-chart-ref.yaml", "argo-values-string.yaml", "argo-values-object.yaml",
                                  "kustomize-inline/kustomization.yaml"])
def test_fix_edits_embedded_values_and_the_findings_go(name, tmp_path):
    original = FIXTURES / "gitops" / name
    path = tmp_path / original.name
    path.write_text(original.read_text(encoding="utf-8"), encoding="utf-8")
    before = {rule for _, _, rule in findings(str(path))}
    assert FIXED_RULES <= before
    result = invoke(["check", "--fix", "--exit-zero", str(path)])
    assert result.exit_code == 0, result.output
    after = findings(str(path))
    assert not {rule for _, _, rule in after} & FIXED_RULES, after
    assert not any(rule in ("HL001", "HL020") for _, _, rule in after)
    second = invoke(["check", "--diff", "--exit-zero", str(path)])
    assert "+++" not in second.stdout  # nothing left to change: the fixes converge


def test_fix_inside_a_block_string_keeps_its_indentation(tmp_path):
    path = tmp_path / "app.yaml"
    path.write_text(
        "apiVersion: argoproj.io/v1alpha1\nkind: Application\nmetadata:\n  name: headlamp\nspec:\n  source:\n"
        "    repoURL: https://kubernetes-sigs.github.io/headlamp/\n    chart: headlamp\n    targetRevision: 0.45.0\n"
        "    helm:\n      values: |-\n        securityContext:\n          runAsNonRoot: true\n"
        "  destination:\n    namespace: headlamp\n",
        encoding="utf-8",
    )
    result = invoke(["check", "--fix", "--exit-zero", "--select", "HL404", str(path)])
    assert result.exit_code == 0, result.output
    assert path.read_text(encoding="utf-8").endswith(
        "      values: |-\n        securityContext:\n          runAsNonRoot: true\n"
        "          allowPrivilegeEscalation: false\n  destination:\n    namespace: headlamp\n")


def test_fix_adds_spec_values_to_a_helmrelease_without_values(tmp_path):
    path = tmp_path / "hr.yaml"
    path.write_text(
        "apiVersion: helm.toolkit.fluxcd.io/v2\nkind: HelmRelease\nmetadata:\n  name: headlamp\n  namespace: ops\n"
        "spec:\n  interval: 1h\n  chart:\n    spec:\n      chart: headlamp\n      version: 0.45.0\n"
        "      sourceRef:\n        kind: HelmRepository\n        name: headlamp\n",
        encoding="utf-8",
    )
    assert (8, 3, "HL404") in findings(str(path))
    invoke(["check", "--fix", "--exit-zero", "--select", "HL404", str(path)])
    assert path.read_text(encoding="utf-8").endswith(
        "        name: headlamp\n  values:\n    securityContext:\n      allowPrivilegeEscalation: false\n")
    assert not any(rule == "HL404" for _, _, rule in findings(str(path)))


# --- chart versions -----------------------------------------------------------------------------------------------

def _helmrelease(tmp_path, version_line: str, values: str = "    securityContext:\n      runAsUser: 0\n") -> Path:
    path = tmp_path / "hr.yaml"
    path.write_text(
        "apiVersion: helm.toolkit.fluxcd.io/v2\nkind: HelmRelease\nmetadata:\n  name: headlamp\n  namespace: ops\n"
        f"spec:\n  chart:\n    spec:\n      chart: headlamp\n{version_line}      sourceRef:\n"
        f"        kind: HelmRepository\n        name: headlamp\n  values:\n{values}",
        encoding="utf-8",
    )
    return path


@pytest.mark.parametrize(("constraint", "expected"), [
    ("0.40.x", "0.40.1"), ("^0.38.0", "0.38.0"), (">=0.30.0 <0.41.0", "0.40.1"), ("~0.39.0", "0.39.0"),
    ("0.33.0", "0.33.0"), ("*", None), (None, None),
])
def test_version_ranges_resolve_to_the_newest_matching_chart(constraint, expected, tmp_path):
    from linter.values import chart

    line = f'      version: "{constraint}"\n' if constraint is not None else ""
    release = chart.release(expected) if expected else chart.newest()
    images = {d["message"].split("uses image ", 1)[1].split(" ", 1)[0]
              for d in lint(str(_helmrelease(tmp_path, line))) if d["rule"] == "HL602"}
    assert images == {f"ghcr.io/headlamp-k8s/headlamp:v{release.app_version}"}


@pytest.mark.parametrize("constraint", ["0.0.1", "99.0.0", "<0.1.0", "latest"])
def test_unknown_chart_version_is_one_located_message_and_nothing_else(constraint, tmp_path):
    found = findings(str(_helmrelease(tmp_path, f'      version: "{constraint}"\n')))
    assert found == {(10, 16, "HL019")}


# --- bad input ------------------------------------------------------------------------------------------------------

def test_target_path_into_a_scalar_is_located_and_the_rest_is_linted(tmp_path):
    path = tmp_path / "hr.yaml"
    path.write_text(
        "apiVersion: helm.toolkit.fluxcd.io/v2\nkind: HelmRelease\nmetadata:\n  name: headlamp\n  namespace: ops\n"
        "spec:\n  chart:\n    spec:\n      chart: headlamp\n      version: 0.45.0\n  valuesFrom:\n"
        "    - kind: ConfigMap\n      name: base\n    - kind: ConfigMap\n      name: base\n      valuesKey: tag\n"
        "      targetPath: image.tag.value\n"
        "---\napiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: base\n  namespace: ops\ndata:\n  tag: v1\n"
        "  values.yaml: |\n    image:\n      tag: v0.45.0\n"
        "---\napiVersion: v1\nkind: Pod\nmetadata:\n  name: debug\n  namespace: ops\nspec:\n  containers:\n"
        "    - name: shell\n      image: ghcr.io/headlamp-k8s/headlamp:v0.45.0\n      securityContext:\n"
        "        privileged: true\n",
        encoding="utf-8",
    )
    found = findings(str(path))
    assert (15, 13, "HL020") in found
    assert (40, 21, "HL403") in found  # the Pod after it is still linted
    assert not any(rule == "HL301" for _, _, rule in found)  # the broken release is not linted half-way


def test_values_string_that_is_not_a_mapping(tmp_path):
    path = tmp_path / "app.yaml"
    path.write_text(
        "apiVersion: argoproj.io/v1alpha1\nkind: Application\nmetadata:\n  name: headlamp\nspec:\n  source:\n"
        "    repoURL: https://kubernetes-sigs.github.io/headlamp/\n    chart: headlamp\n    targetRevision: 0.45.0\n"
        "    helm:\n      values: |\n        - config\n        - image\n",
        encoding="utf-8",
    )
    assert findings(str(path)) == {(12, 9, "HL020")}


def test_kustomize_value_file_that_does_not_exist(tmp_path):
    (tmp_path / "kustomization.yaml").write_text(
        "helmCharts:\n  - name: headlamp\n    version: 0.45.0\n    valuesFile: nope.yaml\n", encoding="utf-8")
    assert findings(str(tmp_path)) == {(4, 17, "HL020")}


def test_a_values_file_read_by_a_release_is_not_linted_twice():
    case = FIXTURES / "gitops" / "argo-multi-source"
    diagnostics = lint(str(case))
    keys = [(d["path"], d["line"], d["column"], d["rule"], d["message"]) for d in diagnostics]
    assert len(keys) == len(set(keys))
    assert any(d["path"].endswith("values-prod.yaml") for d in diagnostics)
