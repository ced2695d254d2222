"""Headlamp values files: merging, chart versions, locations, detection, extraManifests, bad input."""

from __future__ import annotations

import json
import textwrap

import pytest

from linter.located import FILE_START, Origin
from linter.values import chart
from linter.values.merge import ValuesLayer, effective_values
from linter.yamlpos import MapNode, load
from tests.cli import invoke
from tests.conftest import ROOT, run_cli


def lint(*args: str, cwd=None) -> list[dict]:
    result = invoke(["check", "-f", "json", "--exit-zero", *args])
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)["diagnostics"]


def at(diagnostics: list[dict], *rules: str) -> set[tuple[str, int, int, str]]:
    return {(d["path"].rsplit("/", 1)[-1], d["line"], d["column"], d["rule"]) for d in diagnostics
            if not rules or d["rule"] in rules}


def write(tmp_path, name: str, text: str):
    path = tmp_path / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(textwrap.dedent(text), encoding="utf-8")
    return path


def layer(path: str, text: str, prefix: str = "") -> ValuesLayer:
    root = load(textwrap.dedent(text)).documents[0].root
    assert isinstance(root, MapNode)
    return ValuesLayer(path, root, prefix)


# -- merge semantics ---------------------------------------------------------


def test_maps_merge_with_the_chart_defaults_and_remember_the_setter():
    eff = effective_values([layer("a.yaml", "securityContext:\n  runAsUser: 1000\n")], chart.release("0.45.0"))
    user = eff.node("securityContext.runAsUser")
    default = eff.node("securityContext.runAsGroup")
    assert user.value == 1000 and user.source.path == "a.yaml" and user.source.origin is Origin.VALUES
    assert (user.span.line, user.span.column) == (2, 14)
    assert default.value == 101 and default.source.origin is Origin.CHART_DEFAULT
    assert default.span == FILE_START and default.source.path == "a.yaml"
    assert default.source.key == "securityContext.runAsGroup"


def test_lists_and_scalars_replace_and_the_last_file_wins():
    eff = effective_values(
        [
            layer("base.yaml", "config:\n  extraArgs: [-a, -b]\nservice:\n  type: NodePort\n  port: 8080\n"),
            layer("prod.yaml", "config:\n  extraArgs: [-c]\nservice:\n  type: ClusterIP\n"),
        ],
        chart.release("0.45.0"),
    )
    assert [i.value for i in eff.node("config.extraArgs").items] == ["-c"]
    assert eff.node("service.type").source.path == "prod.yaml"
    assert eff.node("service.port").value == 8080 and eff.node("service.port").source.path == "base.yaml"
    # chart defaults are blamed in the last file
    assert eff.node("service.annotations").source.path == "prod.yaml"


def test_null_deletes_and_an_empty_map_keeps_the_defaults():
    release = chart.release("0.45.0")
    nulled = effective_values([layer("a.yaml", "securityContext: null\n")], release)
    assert nulled.node("securityContext") is None and "securityContext" in nulled.nulled
    empty = effective_values([layer("a.yaml", "securityContext: {}\n")], release)
    assert empty.node("securityContext.runAsUser").value == 100


def test_null_in_a_later_file_deletes_what_an_earlier_file_set():
    eff = effective_values(
        [layer("a.yaml", "securityContext:\n  runAsUser: 5\n"), layer("b.yaml", "securityContext:\n  runAsUser: ~\n")],
        chart.release("0.45.0"),
    )
    assert eff.node("securityContext.runAsUser") is None
    assert eff.node("securityContext.runAsNonRoot").value is True


def test_a_map_after_a_null_merges_the_defaults_back():
    eff = effective_values(
        [layer("a.yaml", "securityContext: null\n"), layer("b.yaml", "securityContext:\n  privileged: true\n")],
        chart.release("0.45.0"),
    )
    assert eff.node("securityContext.privileged").source.path == "b.yaml"
    assert eff.node("securityContext.runAsUser").value == 100


def test_wrong_type_for_a_map_is_hl003_at_the_value_and_ignored():
    eff = effective_values([layer("a.yaml", 'securityContext: "yes"\n')], chart.release("0.45.0"))
    assert [(p.rule, p.location.span.line, p.location.span.column) for p in eff.problems] == [("HL003", 1, 18)]
    assert eff.node("securityContext.runAsUser").value == 100


# -- chart versions ----------------------------------------------------------


def test_every_chart_release_from_0_1_0_to_0_45_0_is_packaged():
    versions = [r.version for r in chart.releases()]
    assert versions[0] == "0.1.0" and versions[-1] == "0.45.0"
    assert {"0.1.5", "0.2.0", "0.10.0", "0.11.0", "0.17.1", "0.29.1", "0.30.1", "0.32.1", "0.40.1"} <= set(versions)
    assert len(versions) == 55  # every tag headlamp-helm-<v> of the chart's history
    for version in versions:
        assert chart.defaults_text(version)
        assert chart.strict_schema(version)["properties"]
    assert chart.chart_schema("0.22.0") is None and chart.chart_schema("0.23.0") is not None


@pytest.mark.parametrize(
    "constraint, expected",
    [("0.40.0", "0.40.0"), ("^0.40.0", "0.40.1"), ("~0.31.0", "0.31.1"), ("0.42.x", "0.42.0"),
     (">=0.30.0 <0.36.0", "0.35.0"), ("*", "0.45.0"), ("1.x || 0.39.0", "0.39.0"), ("^1.0.0", None),
     # exact, with Helm's spellings
     ("v0.40.1", "0.40.1"), ("=0.40.1", "0.40.1"), ("0.11.0", "0.11.0"), ("0.1.1", "0.1.1"),
     # ranges as Chart.yaml files write them (Masterminds semver v3, which Helm uses)
     ("0.38.x", "0.38.0"), (">=0.30 <0.41", "0.40.1"), (">= 0.30.0, < 0.41.0", "0.40.1"),
     (">=0.30.0,<0.41.0", "0.40.1"), ("0.30.0 - 0.40.0", "0.40.0"), ("0.30 - 0.40", "0.40.1"), ("~0.39", "0.39.0"),
     ("~>0.31", "0.31.1"), ("~0.1.2", "0.1.5"), ("^0.1.0", "0.1.5"), ("0.40", "0.40.1"), ("x", "0.45.0"),
     (">0.30", "0.45.0"), ("<=0.40", "0.40.1"), ("<0.13", "0.12.0"), (">0.44.0", "0.45.0"), ("!=0.45.0", "0.44.0"),
     (">=0.30.0-0 <0.41.0-0", "0.40.1"), ("=>0.44.0", "0.45.0"), ("0.9.x || 0.3.0", "0.9.0"),
     # unknown: newer than every packaged release, a chart version never released, not a constraint
     (">=0.46.0", None), ("^0.46.0", None), ("0.17.0", None), ("0.29.0", None), ("latest", None),
     ("0.40.1abc", None), (">=", None),
     # too old: before the first release (0.1.0)
     ("<0.1.0", None), ("0.0.5", None), ("^0.0.1", None)],
)
def test_dependency_constraints_select_the_newest_matching_release(constraint, expected):
    found = chart.matching(constraint)
    assert (found.version if found else None) == expected


def test_image_tag_defaults_to_the_charts_app_version(tmp_path):
    from linter.model.from_values import ValuesOptions, lint_layered
    from linter.model.headlamp import HeadlampMatcher
    from linter.source import SourceFile

    values = write(tmp_path, "values.yaml", "replicaCount: 1\n")
    source = SourceFile.from_text("values.yaml", values.read_text())
    for version, tag in (("0.29.1", "v0.29.0"), ("0.45.0", "v0.45.0")):
        build = lint_layered([(source, values)], ValuesOptions(chart_version=version), HeadlampMatcher(),
                             lambda *a: None)
        (deployment,) = build.parts.workloads
        image = deployment.pod.containers[0].image
        assert image.value == f"ghcr.io/headlamp-k8s/headlamp:{tag}"
        assert image.origin is Origin.CHART_DEFAULT and image.key == "image.tag"


def test_the_security_context_fallback_exists_from_chart_0_36_0(tmp_path):
    values = write(tmp_path, "values.yaml", "securityContext: null\n")
    new = at(lint("--chart-version", "0.36.0", "--values", str(values)), "HL404")
    old = at(lint("--chart-version", "0.35.0", "--values", str(values)), "HL404")
    assert new == set() and old == {("values.yaml", 1, 1, "HL404")}


def test_chart_yaml_next_to_the_file_selects_the_version(tmp_path):
    write(tmp_path, "chart/Chart.yaml", "apiVersion: v2\nname: headlamp\nversion: 0.35.0\n")
    values = write(tmp_path, "chart/values.yaml", "securityContext: null\n")
    assert at(lint(str(values)), "HL404") == {("values.yaml", 1, 1, "HL404")}  # 0.35.0 has no fallback


def test_unknown_chart_version_is_one_located_finding_and_no_other_chart_lints_the_file(tmp_path):
    values = write(tmp_path, "values.yaml", "securityContext:\n  privileged: true\n")
    manifest = write(tmp_path, "pod.yaml", "apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec:\n"
                     "  containers:\n  - name: c\n    image: x:1\n    securityContext: {privileged: true}\n")
    result = run_cli("check", "-f", "concise", "--all-workloads", "--chart-version", "9.9.9", values.name, manifest.name,
                     cwd=tmp_path)
    assert result.returncode == 1 and result.stderr == ""
    assert [line for line in result.stdout.splitlines() if line.startswith("values.yaml")] == [
        "values.yaml:1:1: warning: --chart-version 9.9.9 is not a release of the headlamp chart that headlamp-lint"
        " knows (0.1.0 … 0.45.0); values.yaml is not linted [HL019]"
    ]
    assert "pod.yaml" in result.stdout and "HL403" in result.stdout  # the manifest is still linted


# -- findings at the values key ----------------------------------------------


def test_chart_defaults_alone_report_the_missing_settings_at_line_1(tmp_path):
    values = write(tmp_path, "values.yaml", "# chart defaults only\n")
    diagnostics = lint(str(values))
    rules = ("HL404", "HL405", "HL407", "HL408", "HL412")
    assert at(diagnostics, *rules) == {("values.yaml", 1, 1, r) for r in rules}
    messages = {d["rule"]: d["message"] for d in diagnostics}
    assert "set securityContext.allowPrivilegeEscalation: false in your values" in messages["HL404"]
    assert "set securityContext.capabilities.drop: [ALL] in your values" in messages["HL405"]
    assert "set securityContext.readOnlyRootFilesystem: true in your values" in messages["HL407"]
    assert "set securityContext.seccompProfile.type: RuntimeDefault in your values" in messages["HL408"]
    assert "resources.limits.memory" in messages["HL412"] and "chart default" in messages["HL412"]


def test_security_context_null_reaches_the_chart_fallback(tmp_path):
    values = write(tmp_path, "values.yaml", "replicaCount: 1\nsecurityContext: null\n")
    diagnostics = lint(str(values))
    fired = {d["rule"] for d in diagnostics}
    assert not fired & {"HL404", "HL405", "HL408"}
    (hl407,) = [d for d in diagnostics if d["rule"] == "HL407"]
    assert (hl407["line"], hl407["column"]) == (2, 1)  # the user's `securityContext: null`
    assert "securityContext.readOnlyRootFilesystem" in hl407["message"]


def test_a_layered_finding_points_at_the_last_file_that_set_the_key(tmp_path):
    base = write(tmp_path, "base.yaml", "securityContext:\n  privileged: false\n  runAsUser: 1000\n")
    prod = write(tmp_path, "prod.yaml", "replicaCount: 2\nsecurityContext:\n  privileged: true\n")
    diagnostics = lint("--values", str(base), "--values", str(prod))
    assert at(diagnostics, "HL403") == {("prod.yaml", 3, 15, "HL403")}
    # chart defaults go to line 1 of the last file
    assert at(diagnostics, "HL412") == {("prod.yaml", 1, 1, "HL412")}
    reversed_order = lint("--values", str(prod), "--values", str(base))
    assert at(reversed_order, "HL403") == set()


def test_hl002_suggests_the_chart_key(tmp_path):
    values = write(tmp_path, "values.yaml", "clusterRolebinding:\n  create: false\n")
    (d,) = [d for d in lint(str(values)) if d["rule"] == "HL002"]
    assert (d["line"], d["column"], d["end_column"]) == (1, 1, 19)
    assert "did you mean clusterRoleBinding?" in d["message"]


def test_hl003_points_at_the_offending_value(tmp_path):
    values = write(tmp_path, "values.yaml", "service:\n  type: Public\nconfig:\n  sessionTTL: 99999999999\n")
    assert at(lint(str(values)), "HL003") == {("values.yaml", 2, 9, "HL003"), ("values.yaml", 4, 15, "HL003")}


def test_the_chart_schema_of_the_selected_version_is_used(tmp_path):
    # env[].valueFrom is valid from chart 0.44.0; 0.23.0-0.43.0 required name+value
    values = write(tmp_path, "values.yaml",
                   "env:\n  - name: X\n    valueFrom:\n      secretKeyRef: {name: s, key: k}\n")
    assert at(lint("--chart-version", "0.45.0", str(values)), "HL003") == set()
    assert {(line, rule) for _, line, _, rule in at(lint("--chart-version", "0.43.0", str(values)), "HL003")} == {
        (2, "HL003")}


# -- detection -----------------------------------------------------------------


def test_umbrella_chart_values_under_the_dependency_alias(tmp_path):
    write(tmp_path, "umbrella/Chart.yaml", """\
        apiVersion: v2
        name: platform
        version: 1.0.0
        dependencies:
          - name: headlamp
            version: "~0.35.0"
            repository: https://kubernetes-sigs.github.io/headlamp/
            alias: dashboard
        """)
    values = write(tmp_path, "umbrella/values.yaml", """\
        other-chart:
          anything: true
        dashboard:
          securityContext:
            privileged: true
          clusterRolebinding: {}
        """)
    diagnostics = lint(str(values))
    assert at(diagnostics, "HL403", "HL002") == {("values.yaml", 5, 17, "HL403"), ("values.yaml", 6, 3, "HL002")}
    (hl002,) = [d for d in diagnostics if d["rule"] == "HL002"]
    assert "dashboard.clusterRolebinding" in hl002["message"]
    # the alias prefixes the key to set, and 0.35.0 (~0.35.0) has no hostUsers (no HL411 at line 1 from it)
    hl404 = [d for d in diagnostics if d["rule"] == "HL404"]
    assert hl404 and all("dashboard.securityContext.allowPrivilegeEscalation" in d["message"] for d in hl404)


def test_values_named_files_are_detected_by_their_keys(tmp_path):
    write(tmp_path, "deploy/values-prod.yaml",
          "securityContext:\n  privileged: true\nreplicaCount: 2\nconfig:\n  enableHelm: false\n")
    write(tmp_path, "deploy/values-other.yaml", "postgres:\n  enabled: true\nreplicas: 3\n")
    # a generic chart's values share replicaCount/image/service/securityContext with Headlamp's: not enough
    write(tmp_path, "deploy/values-generic.yaml",
          "replicaCount: 3\nimage:\n  repository: example/app\nservice:\n  type: ClusterIP\n"
          "securityContext:\n  privileged: true\n")
    # the values of another chart
    write(tmp_path, "other-chart/Chart.yaml", "apiVersion: v2\nname: whereami\nversion: 1.0.0\n")
    write(tmp_path, "other-chart/values.yaml", "securityContext:\n  privileged: true\nconfig:\n  baseURL: /x\n")
    diagnostics = lint(str(tmp_path))
    assert at(diagnostics, "HL403") == {("values-prod.yaml", 2, 15, "HL403")}
    assert {d["path"].rsplit("/", 1)[-1] for d in diagnostics if d["rule"] != "HL015"} == {"values-prod.yaml"}
    # the other chart's values look like Headlamp's (config.baseURL): not linted, and it says why and how
    assert at(diagnostics, "HL015") == {("values.yaml", 1, 1, "HL015")}
    (hint,) = [d["message"] for d in diagnostics if d["rule"] == "HL015"]
    assert "Chart.yaml of chart whereami, which does not depend on the headlamp chart" in hint and "--values" in hint


def test_values_glob_maps_other_names(tmp_path):
    # nothing Headlamp-specific in its keys or name: not values unless a glob says so
    path = write(tmp_path, "app-settings.yaml", "securityContext:\n  privileged: true\n")
    assert at(lint(str(path)), "HL403") == set()
    assert at(lint("--values-glob", "*-settings.yaml", str(path)), "HL403") == {
        ("app-settings.yaml", 2, 15, "HL403")}


def test_unparseable_chart_yaml_is_located_and_the_values_still_linted(tmp_path):
    write(tmp_path, "c/Chart.yaml", "name: headlamp\nversion: [0.40.0\n")
    values = write(tmp_path, "c/values.yaml", "securityContext:\n  privileged: true\n")
    diagnostics = lint(str(values))
    assert ("Chart.yaml", "HL001") in {(d["path"].rsplit("/", 1)[-1], d["rule"]) for d in diagnostics}
    assert at(diagnostics, "HL403") == {("values.yaml", 2, 15, "HL403")}


def test_a_values_file_that_is_not_a_mapping(tmp_path):
    values = write(tmp_path, "values.yaml", "- a\n- b\n")
    other = write(tmp_path, "pod.yaml", "apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec:\n  containers:\n"
                                        "    - name: c\n      image: ghcr.io/headlamp-k8s/headlamp:v0.45.0\n"
                                        "      securityContext: {privileged: true}\n")
    diagnostics = lint("--values", str(values), str(other))
    assert ("values.yaml", 1, 1, "HL003") in at(diagnostics, "HL003")
    assert at(diagnostics, "HL403") == {("pod.yaml", 8, 37, "HL403")}
    assert "HL010" not in {d["rule"] for d in diagnostics}


# -- extraManifests ------------------------------------------------------------


def test_extra_manifests_are_linted_at_their_lines_with_tpl_substitution(tmp_path):
    values = write(tmp_path, "values.yaml", """\
        extraManifests:
          - |
            apiVersion: v1
            kind: Pod
            metadata:
              name: {{ .Release.Name }}-debug
              namespace: {{ .Release.Namespace }}
            spec:
              containers:
                - name: debug
                  image: {{ .Values.image.registry }}/headlamp-k8s/headlamp:v0.45.0
                  securityContext:
                    privileged: true
          - apiVersion: v1
            kind: Pod
            metadata:
              name: map-item
            spec:
              hostNetwork: true
              containers:
                - name: c
                  image: ghcr.io/headlamp-k8s/headlamp:v0.45.0
          - |
            apiVersion: v1
            kind: Pod
            metadata:
              name: {{ include "headlamp.fullname" . }}-{{ randAlphaNum 5 }}
            spec:
              hostPID: true
        """)
    diagnostics = lint("--release-name", "hl", "--namespace", "tools", "--all-workloads", str(values))
    assert at(diagnostics, "HL403", "HL409", "HL005") == {
        ("values.yaml", 13, 25, "HL403"),
        ("values.yaml", 19, 20, "HL409"),
        ("values.yaml", 27, 49, "HL005"),  # the expression itself, inside the literal block
        ("values.yaml", 29, 16, "HL409"),  # the item is still linted
    }
    objects = {(d["rule"], d["object"]["kind"], d["object"]["namespace"], d["object"]["name"])
               for d in diagnostics if d["rule"] in ("HL403", "HL409")}
    assert objects == {("HL403", "Pod", "tools", "hl-debug"), ("HL409", "Pod", "tools", "map-item"),
                       ("HL409", "Pod", "tools", "hl-headlamp-randAlphaNum 5")}


def test_packaged_and_published_strict_schemas_are_identical():
    published = sorted((ROOT / "schemas").glob("headlamp-values-*.strict.schema.json"))
    packaged = sorted((ROOT / "linter" / "schemas").glob("headlamp-values-*.strict.schema.json"))
    assert [p.name for p in published] == [p.name for p in packaged] and len(published) == len(chart.releases())
    for a, b in zip(published, packaged):
        assert a.read_bytes() == b.read_bytes(), a.name


def test_import_linter_does_not_import_jsonschema():
    import subprocess
    import sys

    code = ("import sys, linter, linter.engine, linter.model.from_values, linter.values.check;"
            " print('jsonschema' in sys.modules)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT)
    assert out.stdout.strip() == "False", out.stderr


def test_examples_show_values_findings_and_the_hardened_values_are_clean():
    insecure = lint(str(ROOT / "examples" / "headlamp-insecure.values.yaml"))
    assert {"HL002", "HL401", "HL404", "HL406", "HL410"} <= {d["rule"] for d in insecure}
    # HL602 wants a digest, which an example cannot know for a real release; HL607 depends on today's date.
    assert lint("--ignore", "HL602,HL607", str(ROOT / "examples" / "headlamp-hardened.values.yaml")) == []


# -- robustness: the builder is total ------------------------------------------

from hypothesis import HealthCheck, given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

_KEYS = ["securityContext", "podSecurityContext", "resources", "image", "tag", "config", "extraArgs", "oidc",
         "secret", "create", "externalSecret", "enabled", "service", "type", "port", "ingress", "hosts", "paths",
         "tls", "env", "volumes", "volumeMounts", "initContainers", "extraContainers", "extraManifests",
         "pluginsManager", "httpRoute", "rules", "name", "serviceAccount", "clusterRoleBinding", "hostUsers",
         "capabilities", "drop", "readOnlyRootFilesystem", "podDisruptionBudget", "clusterInventory", "namespaces"]
_SCALARS = st.one_of(st.none(), st.booleans(), st.integers(-2, 70000), st.sampled_from(["", "x", "{{ .Release.Name }}",
                                                                                         "{{ bad }}", "/tmp", "ALL"]))
_VALUES = st.recursive(_SCALARS, lambda inner: st.one_of(st.lists(inner, max_size=3),
                                                          st.dictionaries(st.sampled_from(_KEYS), inner, max_size=4)),
                       max_leaves=25)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.dictionaries(st.sampled_from(_KEYS), _VALUES, max_size=6))
def test_any_values_content_gives_findings_not_crashes(tmp_path, data):
    path = tmp_path / "values.yaml"
    path.write_text(json.dumps(data), encoding="utf-8")
    result = invoke(["check", "-f", "json", "--exit-zero", "--values", str(path)])
    assert result.exit_code == 0, result.output
    assert "HL000" not in {d["rule"] for d in json.loads(result.stdout)["diagnostics"]}


_PATHS = ["securityContext", "securityContext.capabilities", "securityContext.capabilities.drop", "podSecurityContext",
          "resources.limits", "image.tag", "image.registry", "config.extraArgs", "config.oidc.secret.create",
          "config.oidc.clientID", "config.oidc.externalSecret.enabled", "config.oidc.externalSecret.name",
          "config.inCluster", "config.baseURL", "config.clusterInventory.enabled", "config.clusterInventory.namespaces",
          "config.staticPlugins.enabled", "service.type", "service.port", "service.nodePort", "ingress.enabled",
          "ingress.hosts", "ingress.tls", "ingress.annotations", "env", "volumes", "volumeMounts", "initContainers",
          "extraContainers", "extraManifests", "pluginsManager.enabled", "pluginsManager.securityContext",
          "pluginsManager.volumeMounts", "httpRoute.enabled", "httpRoute.rules", "serviceAccount.create",
          "serviceAccount.name", "clusterRoleBinding.create", "hostUsers", "podDisruptionBudget.enabled",
          "fullnameOverride", "nameOverride", "namespaceOverride", "probes.scheme"]


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(assignments=st.lists(st.tuples(st.sampled_from(_PATHS), _VALUES), max_size=8))
def test_any_value_at_a_chart_key_gives_findings_not_crashes(tmp_path, assignments):
    data: dict = {}
    for dotted, value in assignments:
        node = data
        *parents, last = dotted.split(".")
        for part in parents:
            node = node.setdefault(part, {}) if isinstance(node.get(part, {}), dict) else {}
        node[last] = value
    path = tmp_path / "values.yaml"
    path.write_text(json.dumps(data), encoding="utf-8")
    result = invoke(["check", "-f", "json", "--exit-zero", "--values", str(path)])
    assert result.exit_code == 0, result.output
    assert "HL000" not in {d["rule"] for d in json.loads(result.stdout)["diagnostics"]}


def test_installations_from_values_carry_the_chart_version(tmp_path):
    from linter.engine import Collector, _load_any, link_model
    from linter.discover import FileInput
    from linter.settings import Settings
    from linter.source import SourceFile

    path = write(tmp_path, "values.yaml", "config:\n  enableHelm: true\n")
    settings = Settings(chart_version="0.38.0")
    unit = _load_any(SourceFile.from_text("values.yaml", path.read_text()), FileInput("values.yaml", path, True),
                     settings, Collector(settings), [])
    (installation,) = link_model([unit]).installations
    assert (installation.source, installation.chart_version) == ("values", "0.38.0")
    (container,) = installation.headlamp_containers
    assert container.image.value.endswith(":v0.38.0")
    flag = next(a for a in container.args if a.value == "-enable-helm")
    assert (flag.key, flag.origin, flag.location.span.line) == ("config.enableHelm", Origin.VALUES, 2)


def test_a_values_file_with_a_syntax_error_is_reported_not_linted_as_defaults(tmp_path):
    values = write(tmp_path, "values.yaml", "securityContext:\n  runAsUser: [1\n")
    assert {d["rule"] for d in lint(str(values))} == {"HL001"}
    assert {d["rule"] for d in lint("--values", str(values))} == {"HL001"}


def test_a_missing_values_file_is_a_one_line_error(tmp_path):
    result = run_cli("check", "--values", str(tmp_path / "nope.yaml"))
    assert result.returncode == 2
    assert result.stderr.strip().splitlines() == [
        f"headlamp-lint: error: {tmp_path / 'nope.yaml'}: --values file does not exist or is not a file"]


def test_missing_nested_fields_under_chart_defaults_are_chart_defaults_named_by_values_key(tmp_path):
    from linter.model.from_values import ValuesOptions, lint_layered
    from linter.model.headlamp import HeadlampMatcher
    from linter.source import SourceFile

    values = write(tmp_path, "values.yaml", "pluginsManager:\n  enabled: true\n")
    source = SourceFile.from_text("values.yaml", values.read_text())
    build = lint_layered([(source, values)], ValuesOptions(), HeadlampMatcher(), lambda *a: None)
    (workload,) = build.parts.workloads
    headlamp, plugin = workload.pod.containers
    for container in (headlamp, plugin):  # the plugin manager inherits the global securityContext
        sec = container.security
        for fact, key in ((sec.capabilities_drop, "securityContext.capabilities.drop"),
                          (sec.seccomp_type, "securityContext.seccompProfile.type"),
                          (sec.allow_privilege_escalation, "securityContext.allowPrivilegeEscalation")):
            assert (fact.origin, fact.key, fact.location.path) == (Origin.CHART_DEFAULT, key, "values.yaml")
            assert fact.location.span == FILE_START
    limit = plugin.resources.memory_limit
    assert (limit.origin, limit.key) == (Origin.CHART_DEFAULT, "pluginsManager.resources.limits.memory")


@pytest.mark.parametrize(
    "version, secret_arg, secret_env",
    [("0.12.0", "-oidc-client-secret=s3cret", None), ("0.45.0", "-oidc-client-secret=$(OIDC_CLIENT_SECRET)", "secretKeyRef")],
)
def test_oidc_args_follow_the_chart_version_and_point_at_the_values_key(tmp_path, version, secret_arg, secret_env):
    from linter.model.from_values import ValuesOptions, lint_layered
    from linter.model.headlamp import HeadlampMatcher
    from linter.source import SourceFile

    values = write(tmp_path, "values.yaml", "config:\n  oidc:\n    clientID: abc\n    clientSecret: s3cret\n")
    build = lint_layered([(SourceFile.from_text("values.yaml", values.read_text()), values)],
                         ValuesOptions(chart_version=version), HeadlampMatcher(), lambda *a: None)
    container = build.parts.workloads[0].pod.containers[0]
    (arg,) = [a for a in container.args if a.value.startswith("-oidc-client-secret")]
    assert (arg.value, arg.key, arg.origin, arg.location.span.line) == (
        secret_arg, "config.oidc.clientSecret", Origin.VALUES, 4)
    assert {e.name: e.source for e in container.env}.get("OIDC_CLIENT_SECRET") == secret_env
    in_cluster = container.args[0]
    assert (in_cluster.value, in_cluster.origin, in_cluster.key) == ("-in-cluster", Origin.CHART_DEFAULT, "config.inCluster")


def test_values_from_stdin_with_a_values_file_name():
    result = run_cli("check", "-f", "concise", "--stdin-filename", "values.yaml", "-",
                     stdin="securityContext:\n  privileged: true\nconfig:\n  enableHelm: false\n")
    assert result.returncode == 1
    assert "values.yaml:2:15: error:" in result.stdout and "[HL403]" in result.stdout
