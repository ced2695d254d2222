"""Parity: a values file wrapped in a Flux HelmRelease, an Argo CD Application (``values`` string and
``valuesObject``) or a kustomization's ``helmCharts`` gives the same findings as the bare values file.

Every finding of the bare file (``--values``, the same chart version) must come back from the wrapped
file, at the same place shifted by the wrapper's lines and indentation, or for a chart default (line 1 of
the bare file) at the key that holds the values; with the same message, object and key once the
wrapper's key prefix (``spec.values.``) is taken out. Cases: the committed pairs and chart golden tests
(``fixtures/values/``), and, when ``../shared`` is there, every helm-pairs values file and chart test.
"""

from __future__ import annotations

import json
from functools import lru_cache
from dataclasses import dataclass
from pathlib import Path

import pytest

from linter.values import chart
from linter.yamlpos import MapNode, load
from tests.cli import invoke
from tests.conftest import FIXTURES, SHARED


@dataclass(frozen=True)
class Form:
    name: str
    template: str  # {version}; the line holding only "{values}" is replaced by the indented values file
    anchor: str  # the values key: chart defaults are blamed at it
    prefix: str
    filename: str = "wrapped.yaml"


ARGO_HEAD = """apiVersion: argoproj.io/v1alpha1
kind: Application
metadata:
  name: headlamp
  namespace: argocd
spec:
  project: default
"""

FORMS = (
    Form("flux-helmrelease", """apiVersion: helm.toolkit.fluxcd.io/v2
kind: HelmRelease
metadata:
  name: headlamp
  namespace: default
spec:
  interval: 1h
  chart:
    spec:
      chart: headlamp
      version: "{version}"
      sourceRef:
        kind: HelmRepository
        name: headlamp
  values:
{values}
""", "  values:", "spec.values."),
    Form("argo-values-string", ARGO_HEAD + """  source:
    repoURL: https://kubernetes-sigs.github.io/headlamp/
    chart: headlamp
    targetRevision: "{version}"
    helm:
      values: |
{values}
  destination:
    server: https://kubernetes.default.svc
    namespace: default
""", "      values:", "spec.source.helm.values."),
    Form("argo-values-object", ARGO_HEAD + """  destination:
    server: https://kubernetes.default.svc
    namespace: default
  source:
    repoURL: https://kubernetes-sigs.github.io/headlamp/
    chart: headlamp
    targetRevision: "{version}"
    helm:
      valuesObject:
{values}
""", "      valuesObject:", "spec.source.helm.valuesObject."),
    Form("kustomize-inline", """apiVersion: kustomize.config.k8s.io/v1beta1
kind: Kustomization
helmCharts:
  - name: headlamp
    repo: https://kubernetes-sigs.github.io/headlamp/
    version: "{version}"
    releaseName: headlamp
    namespace: default
    valuesInline:
{values}
""", "    valuesInline:", "helmCharts[0].valuesInline.", "kustomization.yaml"),
)


def _cases() -> list:
    out = []
    for folder in ("pairs", "chart-tests"):
        for case in sorted((FIXTURES / "values" / folder).iterdir()):
            if (case / "values.yaml").is_file():
                out.append(pytest.param(case / "values.yaml", "0.45.0", id=f"{folder}/{case.name}"))
    tests = SHARED / "reference" / "headlamp" / "chart-tests"
    for case in sorted(tests.iterdir()) if tests.is_dir() else ():
        if (case / "values.yaml").is_file():
            out.append(pytest.param(case / "values.yaml", "0.45.0", id=f"shared/chart-tests/{case.name}"))
    pairs = SHARED / "reference" / "headlamp" / "helm-pairs"
    for version in sorted(pairs.iterdir()) if pairs.is_dir() else ():
        if not version.name[:1].isdigit():
            continue  # README, reproducers: not a chart version's pairs
        for path in sorted(version.glob("*.values.yaml")):
            out.append(pytest.param(path, version.name, id=f"shared/helm-pairs/{version.name}/{path.name}"))
    return out


@lru_cache(maxsize=8)
def _bare(path: str, version: str) -> tuple:
    """The bare file's findings (shared by the forms)."""
    return tuple(_lint("--chart-version", version, "--values", path))


def _lint(*args: str) -> list[dict]:
    result = invoke(["check", "-f", "json", "--exit-zero", "--all-workloads", *args])
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)["diagnostics"]


def _wrap(form: Form, text: str, version: str) -> tuple[str, int, int, tuple[int, int]]:
    """The wrapped file, the lines and columns added before each values line, and the anchor (line, col)."""
    lines = form.template.split("\n")
    at = lines.index("{values}")
    indent = len(form.anchor) - len(form.anchor.lstrip()) + (4 if form.name == "argo-values-string" else 2)
    body = "\n".join((" " * indent + line) if line.strip() else "" for line in text.split("\n"))
    wrapped = "\n".join(lines[:at]).replace("{version}", version) + "\n" + body + "\n" + "\n".join(lines[at + 1:])
    anchor_line = next(i for i, line in enumerate(lines) if line.startswith(form.anchor)) + 1
    return wrapped, at, indent, (anchor_line, len(form.anchor) - len(form.anchor.lstrip()) + 1)


def _bare_findings_ok(text: str) -> str | None:
    """Why a values file cannot be wrapped as written, or None."""
    loaded = load(text)
    if len([d for d in loaded.documents if d.root is not None]) > 1 or "\t" in text:
        return "several YAML documents or tab characters: not a values file that can be indented into another"
    root = loaded.documents[0].root if loaded.documents else None
    if root is not None and not isinstance(root, MapNode) and getattr(root, "value", None) is not None:
        return "not a mapping"
    if loaded.problems or any(d.problems for d in loaded.documents):
        return "a YAML problem in the values file: its message names the wrapper when embedded"
    return None


@pytest.mark.parametrize("form", FORMS, ids=lambda f: f.name)
@pytest.mark.parametrize(("path", "version"), _cases())
def test_wrapped_values_give_the_findings_of_the_bare_file(path: Path, version: str, form: Form, tmp_path):
    try:
        chart.release(version)
    except Exception:  # noqa: BLE001
        pytest.skip(f"chart {version} is not packaged with headlamp-lint (HL019 covers it)")
    text = path.read_text(encoding="utf-8")
    reason = _bare_findings_ok(text)
    if reason:
        pytest.skip(reason)
    wrapped_text, lines_before, indent, anchor = _wrap(form, text, version)
    wrapped = tmp_path / form.filename
    wrapped.write_text(wrapped_text, encoding="utf-8")

    def shifted(d: dict) -> tuple:
        if (d["line"], d["column"], d["end_line"], d["end_column"]) == (1, 1, 1, 2):
            place = anchor
        else:
            place = (d["line"] + lines_before, d["column"] + indent)
        return (*place, d["rule"], d["message"], json.dumps(d.get("object"), sort_keys=True), d["key"])

    def unprefixed(d: dict) -> tuple:
        strip = form.prefix
        return (d["line"], d["column"], d["rule"], d["message"].replace(strip, ""),
                json.dumps(d.get("object"), sort_keys=True), d["key"].replace(strip, ""))

    expected = sorted(shifted(d) for d in _bare(str(path), version))
    found = sorted(unprefixed(d) for d in _lint(str(wrapped)) if d["path"].endswith(form.filename))
    assert found == expected
