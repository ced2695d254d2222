"""The old chart line (0.1.0 … 0.11.0): a values file gives the findings of Helm's rendering of it.

Parity is checked like ``tests/test_values_parity.py`` (findings keyed by rule, object and container,
values-only rules aside) over every pair of Helm renderings in
``../shared/reference/headlamp/helm-pairs/<0.1.1 … 0.11.0>/`` and over the committed subset in
``fixtures/values/old-pairs/``, linted with ``--chart-version`` of the pair's folder.
"""

from __future__ import annotations

import pytest

from tests.conftest import FIXTURES, SHARED, shared_path
from tests.test_values_parity import findings

OLD = ("0.1.1", "0.3.0", "0.5.0", "0.7.0", "0.9.0", "0.11.0")
PAIRS = SHARED / "reference" / "headlamp" / "helm-pairs"


def _pairs(base) -> list:
    return [pytest.param(values, id=f"{values.parent.name}/{values.name.split('.')[0]}")
            for version in OLD for values in sorted((base / version).glob("*.values.yaml"))]


def _parity(values) -> tuple[set, set]:
    rendered = values.with_name(values.name.replace(".values.", ".rendered."))
    return (findings("--chart-version", values.parent.name, "--values", str(values)), findings(str(rendered)))


@pytest.mark.parametrize("values", _pairs(FIXTURES / "values" / "old-pairs"))
def test_committed_old_chart_pairs_give_the_findings_of_their_rendering(values):
    from_values, from_rendered = _parity(values)
    assert from_values == from_rendered


@pytest.mark.parametrize("values", _pairs(PAIRS) if PAIRS.is_dir() else [
    pytest.param(None, marks=pytest.mark.skip(reason=f"{PAIRS} is absent: the shared reference data only exists"
                                                     " beside the development checkout"))])
def test_every_old_chart_pair_gives_the_findings_of_its_rendering(values):
    from_values, from_rendered = _parity(values)
    assert from_values == from_rendered


def test_the_shared_old_pairs_are_all_there():
    base = shared_path("reference", "headlamp", "helm-pairs")
    assert len(_pairs(base)) == 72


def test_the_old_chart_runs_as_root_and_binds_cluster_admin_in_kube_system(tmp_path):
    values = FIXTURES / "values" / "old-pairs" / "0.1.1" / "000.values.yaml"
    diagnostics = findings("--chart-version", "0.1.1", "--values", str(values))
    assert {("HL401", "Deployment/default/headlamp", "headlamp"), ("HL604", "Deployment/default/headlamp", "headlamp"),
            ("HL605", "Deployment/default/headlamp", "headlamp"),
            ("HL301", "ClusterRoleBinding/None/headlamp-admin", "")} <= diagnostics


def test_the_binding_subject_is_in_kube_system_before_0_3_0_and_in_the_release_namespace_after(tmp_path):
    from linter.model.from_values import ValuesOptions, render_layered
    from linter.source import SourceFile

    path = tmp_path / "values.yaml"
    path.write_text("", encoding="utf-8")
    for version, namespace in (("0.1.0", "kube-system"), ("0.2.0", "kube-system"), ("0.3.0", "default"),
                               ("0.11.0", "default")):
        rendered = render_layered([(SourceFile.from_text("values.yaml", ""), path)], ValuesOptions(chart_version=version),
                                  lambda *a: None)
        assert rendered is not None
        (binding,) = [o for o in rendered.objects if o.get("kind").value == "ClusterRoleBinding"]
        (subject,) = binding.get("subjects").items
        assert (version, subject.get("namespace").value) == (version, namespace)
        assert binding.get("roleRef").get("name").value == "cluster-admin"


@pytest.mark.parametrize("version", ["0.8.0", "0.11.0", "0.30.1", "0.45.0"])
def test_the_pvc_template_repeats_the_access_modes_key_per_entry(tmp_path, version):
    from tests.test_values import at, lint, write

    values = write(tmp_path, "values.yaml", "persistentVolumeClaim:\n  enabled: true\n  size: 1Gi\n  accessModes:\n"
                                            "  - ReadWriteOnce\n  - ReadOnlyMany\n  - ReadWriteMany\n")
    diagnostics = lint("--chart-version", version, "--values", str(values))
    assert at(diagnostics, "HL004", "HL003") == {("values.yaml", 6, 5, "HL004"), ("values.yaml", 7, 5, "HL004")}
    assert all("has 3 entries: the chart writes an accessModes: key for each" in d["message"]
               for d in diagnostics if d["rule"] == "HL004")


@pytest.mark.parametrize("version, refused", [("0.27.0", False), ("0.28.0", True), ("0.45.0", True)])
def test_an_enabled_pvc_without_a_size_is_refused_by_helm_from_0_28_0(tmp_path, version, refused):
    from tests.test_values import at, lint, write

    values = write(tmp_path, "values.yaml", "persistentVolumeClaim:\n  enabled: true\n")
    expected = {("values.yaml", 1, 1, "HL003")} if refused else set()
    assert at(lint("--chart-version", version, "--values", str(values)), "HL003") == expected
