"""Rules read values-rendered settings like manifest ones, and word them with the values key.

The values builder (another module) renders the chart into nodes that carry
a ``NodeSource``; here we attach sources by hand to manifest nodes, the
way that builder does, so the wording and blame are tested without it.
"""

from __future__ import annotations

from linter.located import NodeSource, Origin
from linter.model.builder import add_object, build_model
from linter.model import ModelParts
from linter.model.from_manifests import make_object
from linter.model.headlamp import HeadlampMatcher
from linter.model.nodes import FieldReader
from linter.rules import rule_by_id
from linter.rules.base import RuleContext
from linter.yamlpos import MapNode, ScalarNode, SeqNode, load

VALUES = "values.yaml"

RENDERED = """\
apiVersion: apps/v1
kind: Deployment
metadata:
  name: headlamp
spec:
  template:
    spec:
      containers:
        - name: headlamp
          image: ghcr.io/headlamp-k8s/headlamp:v0.45.0
          args:
            - -in-cluster
            - -session-ttl=86400
            - -unsafe-use-service-account-token
            - -oidc-client-id=$(OIDC_CLIENT_ID)
            - -oidc-client-secret=$(OIDC_CLIENT_SECRET)
            - -oidc-idp-issuer-url=$(OIDC_ISSUER_URL)
          env:
            - name: OIDC_CLIENT_SECRET
              valueFrom:
                secretKeyRef: {name: oidc, key: clientSecret}
---
apiVersion: v1
kind: Secret
metadata:
  name: oidc
data:
  clientSecret: aHVudGVyMg==
"""


def _walk(node):
    yield node
    if isinstance(node, MapNode):
        for key, value in node.entries:
            yield key
            yield from _walk(value)
    elif isinstance(node, SeqNode):
        for item in node.items:
            yield from _walk(item)


def _mark(text: str, marks: dict[str, tuple[Origin, str]]):
    """Every node is a chart default; a scalar whose text is in ``marks`` gets that origin and key."""
    loaded = load(text)
    for doc in loaded.documents:
        for node in _walk(doc.root):
            origin, key = Origin.CHART_DEFAULT, "chart"
            if isinstance(node, ScalarNode) and node.text in marks:
                origin, key = marks[node.text]
            node.source = NodeSource(VALUES, origin, key)
    parts = ModelParts()
    reader = FieldReader(VALUES, Origin.VALUES)
    for doc in loaded.documents:
        obj = make_object(reader, doc.root, doc.index, "default")
        add_object(parts, reader, obj, doc.root, HeadlampMatcher())
    return build_model([parts])


def findings(rule_id: str, model, **options):
    ctx = RuleContext(options={rule_id: options} if options else {})
    return list(rule_by_id(rule_id).check(model, ctx))


MODEL_MARKS = {
    "-unsafe-use-service-account-token": (Origin.VALUES, "config.unsafeUseServiceAccountToken"),
    "-session-ttl=86400": (Origin.CHART_DEFAULT, "config.sessionTTL"),
    "aHVudGVyMg==": (Origin.VALUES, "config.oidc.clientSecret"),
    "-oidc-client-id=$(OIDC_CLIENT_ID)": (Origin.VALUES, "config.oidc.clientID"),
}


def test_values_key_named_for_a_values_setting():
    (found,) = findings("HL106", _mark(RENDERED, MODEL_MARKS))
    assert "set by values key config.unsafeUseServiceAccountToken" in found.message
    assert found.location.path == VALUES


def test_chart_default_says_which_key_to_set():
    model = _mark(RENDERED, MODEL_MARKS)
    assert findings("HL110", model) == []
    (found,) = findings("HL110", model, **{"max-session-ttl": 3600})
    assert "chart default config.sessionTTL" in found.message
    assert "set config.sessionTTL: 3600 in your values" in found.message


def test_client_secret_written_in_values_is_plaintext_even_when_rendered_into_a_secret():
    (found,) = findings("HL103", _mark(RENDERED, MODEL_MARKS))
    assert "values key config.oidc.clientSecret" in found.message
    assert found.key.endswith("-oidc-client-secret")


def test_client_secret_from_a_chart_default_secret_is_worded_as_a_secret_in_the_input():
    marks = dict(MODEL_MARKS)
    del marks["aHVudGVyMg=="]
    (found,) = findings("HL103", _mark(RENDERED, marks))
    assert "in the linted input (base64 is not encryption)" in found.message


def test_oidc_hint_names_values_keys():
    text = RENDERED.replace("            - -oidc-client-id=$(OIDC_CLIENT_ID)\n", "")
    (found,) = findings("HL102", _mark(text, MODEL_MARKS))
    assert "config.oidc.clientID and config.oidc.issuerURL" in found.message


# --- real values files (the chart rendered by linter/values) -----------------------------------------------

import json  # noqa: E402


from tests.cli import invoke  # noqa: E402


def lint_values(tmp_path, text: str, select: str) -> list[tuple[int, int, str, str]]:
    path = tmp_path / "headlamp.values.yaml"
    path.write_text(text, encoding="utf-8")
    result = invoke(["check", "-f", "json", "--exit-zero", "--select", select, "--values", str(path)])
    assert result.exit_code == 0, result.output
    return sorted((d["line"], d["column"], d["rule"], d["message"]) for d in json.loads(result.stdout)["diagnostics"])


def test_extra_args_flag_and_separate_value(tmp_path):
    (found,) = lint_values(tmp_path, "config:\n  extraArgs:\n    - -session-ttl\n    - '600000'\n", "HL110")
    assert found[:3] == (3, 7, "HL110")
    assert "set by values key config.extraArgs[0] is 600000 s" in found[3]


def test_env_from_values_and_flag_precedence(tmp_path):
    env = "env:\n  - name: HEADLAMP_CONFIG_DEV\n    value: 'true'\n"
    (found,) = lint_values(tmp_path, env, "HL109")
    assert found[2] == "HL109" and "values key env[0]" in found[3]
    assert lint_values(tmp_path, "config:\n  extraArgs: [-dev=false]\n" + env, "HL109") == []


def test_var_expansion_from_values_env_blames_the_env_value(tmp_path):
    text = "config:\n  extraArgs: ['-session-ttl=$(TTL)']\nenv:\n  - name: TTL\n    value: '999999'\n"
    (found,) = lint_values(tmp_path, text, "HL110")
    assert found[:3] == (5, 12, "HL110")


def test_unknown_flag_in_extra_args_with_suggestion(tmp_path):
    (found,) = lint_values(tmp_path, "config:\n  extraArgs: [--insecure-sll]\n", "HL006")
    assert found[:3] == (2, 15, "HL006") and found[3].endswith("did you mean -insecure-ssl?")


def test_two_values_files_are_two_releases_but_manifests_link_with_values(tmp_path):
    """Alternative values files in one run are not linked; a manifest Ingress beside a values file is."""
    a = tmp_path / "headlamp-a.values.yaml"
    a.write_text("service:\n  type: NodePort\n", encoding="utf-8")
    (tmp_path / "headlamp-b.values.yaml").write_text("config:\n  sessionTTL: 600\n", encoding="utf-8")
    result = invoke(["check", "-f", "json", "--exit-zero", "--select", "HL202,HL102", str(tmp_path)])
    found = sorted((d["path"].rsplit("/", 1)[-1], d["line"], d["rule"]) for d in json.loads(result.stdout)["diagnostics"])
    # a's NodePort exposes a's Headlamp only (one HL202, not one per installation); b is not exposed (HL102).
    assert found == [("headlamp-a.values.yaml", 2, "HL202"), ("headlamp-b.values.yaml", 1, "HL102")]

    ingress = tmp_path / "ingress.yaml"
    ingress.write_text(
        "apiVersion: networking.k8s.io/v1\nkind: Ingress\nmetadata: {name: hl}\nspec:\n"
        "  defaultBackend: {service: {name: headlamp, port: {number: 80}}}\n",
        encoding="utf-8",
    )
    result = invoke(["check", "-f", "json", "--exit-zero", "--select", "HL201", "--values", str(a), str(ingress)])
    found = sorted((d["path"].rsplit("/", 1)[-1], d["line"]) for d in json.loads(result.stdout)["diagnostics"])
    assert found == [("ingress.yaml", 5)]
