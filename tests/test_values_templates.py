"""The pieces of the chart model that mirror Go and Helm: number printing, tpl, per-version keys."""

from __future__ import annotations

import pytest

from linter.values import chart
from linter.values.merge import ValuesLayer, effective_values
from linter.values.render import render
from linter.values.templates import tpl
from linter.values.templates.context import Context, first_read
from linter.values.templates.gotext import format_value, reread
from linter.yamlpos import ScalarNode, load


@pytest.mark.parametrize(("value", "printed"), [
    (0, "0"), (7, "7"), (86400, "86400"), (999999, "999999"), (1000000, "1e+06"), (2000000, "2e+06"),
    (2592000, "2.592e+06"), (31536000, "3.1536e+07"), (1234567, "1.234567e+06"), (-2000000, "-2e+06"),
    (-12, "-12"), (0.5, "0.5"), (1.25, "1.25"), (0.0001, "0.0001"), (0.00001, "1e-05"), (-0.00002, "-2e-05"),
    (1.0, "1"), (1e21, "1e+21"), (True, "true"), (False, "false"), (None, ""), ("a b", "a b"),
    (["0.0.0.0/0", "10.0.0.0/8"], "[0.0.0.0/0 10.0.0.0/8]"), ({"b": 1, "a": None}, "map[a:<nil> b:1]"),
])
def test_values_print_like_go_percent_v_of_helm_values(value, printed):
    assert format_value(value) == printed


@pytest.mark.parametrize(("text", "value"), [("false", False), ("123456", 123456), ("2e+06", 2e6),
                                             ("[a b]", ["a b"]), ("plain", "plain"), ("", None)])
def test_printed_text_reads_back_as_yaml(text, value):
    like = ScalarNode("x", load("x").documents[0].root.span, "x")  # type: ignore[union-attr]
    node = reread(text, like)
    plain = [i.value for i in node.items] if hasattr(node, "items") else node.value  # type: ignore[union-attr]
    assert plain == value and node.span == like.span


def context(text: str, version: str = "0.45.0", release: str = "rel", namespace: str = "ns") -> Context:
    root = load(text).documents[0].root
    eff = effective_values([ValuesLayer("values.yaml", root)], chart.release(version))  # type: ignore[arg-type]
    return Context(eff, release, namespace, {"values.yaml": text})


@pytest.mark.parametrize(("template", "out"), [
    ('{{ include "headlamp.fullname" . }}', "rel-headlamp"),
    ("{{ .Release.Namespace | quote }}", '"ns"'),
    ('{{ .Values.missing | default "x" }}', "x"),
    ("{{ .Values.team | upper | quote }}", '"UI"'),
    ('a:{{- include "headlamp.selectorLabels" . | nindent 2 }}',
     "a:\n  app.kubernetes.io/name: headlamp\n  app.kubernetes.io/instance: rel"),
    ("x: {{ toYaml .Values.labels | nindent 2 }}", "x: \n  a: \"1\"\n  b: two"),
    ('{{ printf "%s-%s" .Release.Name "db" | trunc 5 | trimSuffix "-" }}', "rel-d"),
    ("{{/* a comment */}}{{ .Chart.AppVersion }}", "0.45.0"),
    ("  {{- .Release.Name -}}  !", "rel!"),
])
def test_tpl_evaluates_the_chart_helpers_and_common_pipelines(template, out):
    ctx = context("team: ui\nlabels:\n  b: two\n  a: \"1\"\n")
    done = tpl.render(ctx, template)
    assert (done.text, done.unsupported) == (out, [])


@pytest.mark.parametrize("template", ['{{ lookup "v1" "Secret" "ns" "x" }}', "{{ if .Values.x }}y{{ end }}",
                                      "{{ .Capabilities.KubeVersion }}", '{{ include "other.name" . }}'])
def test_tpl_leaves_what_it_cannot_evaluate_and_says_where(template):
    done = tpl.render(context("{}\n"), template)
    assert done.unsupported and done.unsupported[0].offset == template.index("{{")


def test_headlamp_namespace_helper_exists_from_chart_0_36_0():
    assert tpl.render(context("{}\n", "0.36.0"), '{{ include "headlamp.namespace" . }}').text == "ns"
    assert tpl.render(context("{}\n", "0.35.0"), '{{ include "headlamp.namespace" . }}').unsupported


@pytest.mark.parametrize(("key", "since"), [("config.sessionTTL", "0.40.1"), ("config.tlsCertPath", "0.36.0"),
                                            ("extraContainers", "0.40.0"), ("config.oidc.usePKCE", "0.37.0"),
                                            ("podLabels.team", "0.36.0"), ("securityContext", None)])
def test_keys_are_read_from_the_first_chart_release_whose_templates_read_them(key, since):
    assert first_read(key) == (chart.version_key(since) if since else None)


@pytest.mark.parametrize(("version", "rendered"), [("0.35.0", False), ("0.40.1", True)])
def test_a_key_is_rendered_only_by_chart_versions_that_have_it(version, rendered):
    text = "config:\n  sessionTTL: 3600\n"
    out = render(context(text, version).eff, "headlamp", "default", {"values.yaml": text})
    deployment = next(o for o in out.objects if o.get("kind").value == "Deployment")  # type: ignore[union-attr]
    args = deployment.get("spec").get("template").get("spec").get("containers").items[0].get("args")  # type: ignore
    assert ("-session-ttl=3600" in [a.value for a in args.items]) is rendered


def test_a_pod_label_repeating_a_selector_label_is_rendered_twice_and_reported():
    text = "podLabels:\n  app.kubernetes.io/name: other\n"
    out = render(context(text).eff, "headlamp", "default", {"values.yaml": text})
    deployment = next(o for o in out.objects if o.get("kind").value == "Deployment")  # type: ignore[union-attr]
    labels = deployment.get("spec").get("template").get("metadata").get("labels")  # type: ignore[union-attr]
    names = [(k.value, v.value) for k, v in labels.entries if k.value == "app.kubernetes.io/name"]
    assert names == [("app.kubernetes.io/name", "headlamp"), ("app.kubernetes.io/name", "other")]
    assert labels.get("app.kubernetes.io/name").value == "other"
    assert [(p.rule, p.location.span.line, p.location.span.column) for p in out.problems] == [("HL004", 2, 3)]
