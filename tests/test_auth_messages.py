"""Messages say what the setting is, where it came from and the consequence (exact texts for a few rules)."""

from __future__ import annotations

import json

from tests.cli import invoke

POD = """\
apiVersion: v1
kind: Pod
metadata: {name: headlamp}
spec:
  containers:
    - name: headlamp
      image: ghcr.io/headlamp-k8s/headlamp:v0.45.0
      args: ["-in-cluster", "-dev", "-sesion-ttl=5"]
      env:
        - name: HEADLAMP_CONFIG_OIDC_SKIP_TLS_VERIFY
          value: "true"
"""


def messages(tmp_path, text: str, select: str) -> dict[str, str]:
    path = tmp_path / "m.yaml"
    path.write_text(text, encoding="utf-8")
    result = invoke(["check", "-f", "json", "--exit-zero", "--select", select, str(path)])
    return {d["rule"]: d["message"] for d in json.loads(result.stdout)["diagnostics"]}


def test_messages_name_setting_origin_and_consequence(tmp_path):
    found = messages(tmp_path, POD, "HL203,HL109,HL006")
    assert found == {
        "HL203": "-oidc-skip-tls-verify set by env HEADLAMP_CONFIG_OIDC_SKIP_TLS_VERIFY: the IdP's certificate is"
        " not checked",
        "HL109": "-dev set by arg -dev: any origin may make credentialed requests (development mode)",
        "HL006": '-sesion-ttl is not a Headlamp server flag (Headlamp container "headlamp" of Pod default/headlamp):'
        " the server refuses to start; did you mean -session-ttl?",
    }
